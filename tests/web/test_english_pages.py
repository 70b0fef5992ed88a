"""Every page, read in English by each kind of member, has no Chinese but the users' own data.

The permission matrix's world (tests/web/test_permission_matrix.py) gives one object of each kind;
a stored match list with reasons and notifications made by the real services are added, so the
reasons, budget phrases and notifications are rendered too. Any run of CJK characters (Han and
full-width punctuation) on a page must be part of a value users typed: an organisation's, need's,
profile's or event's texts, a place name, a taxonomy name without an English one.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from accounts.forms import QINGDAO_DISTRICTS
from accounts.models import Organization, User
from marketplace.leads.services import lead_decline, lead_invite
from marketplace.matches.features import (
    capability_features,
    need_features,
    region_lineages,
    vocabulary_load,
)
from marketplace.matches.models import MatchList, StoredMatch
from marketplace.models import (
    AuditEntry,
    Capability,
    Certification,
    Domain,
    Event,
    ImportJob,
    Lead,
    Need,
    ProductClass,
    Region,
    RobotType,
    ServiceCategory,
)
from marketplace.taxonomy.version import taxonomy_version
from matching.encoders import encoder_name
from matching.ranking.ranker import rank_capabilities
from matching.ranking.serialize import match_to_data
from matching.ranking.types import Signals
from tests.conftest import ClientFor
from tests.security.test_content_security_policy import _plain_paths
from tests.web.test_permission_matrix import CASES, ROLES, World
from tests.web.test_permission_matrix import world as world  # the fixture

# Han characters and CJK or full-width punctuation ("（", "：", "、").
CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
HIDDEN = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
# The language menu names each language in itself; Qingdao's districts are place names.
ALLOWED = ("简体中文", "中文", *QINGDAO_DISTRICTS)
MEMBERS = ("demand_own", "vendor", "organizer")


def _typed_by_users() -> str:
    """Every text users typed or the taxonomy names without an English name, one per line."""
    values: list[str] = list(ALLOWED)
    text_models: list[tuple[type[Any], tuple[str, ...]]] = [
        (Organization, ()),
        (User, ("full_name",)),
        (Need, ()),
        (Capability, ()),
        (Event, ()),
        (Lead, ("message", "decline_note", "demand_message")),
        (ImportJob, ("original_name",)),
        (Region, ("name",)),
        (AuditEntry, ("target_label",)),
    ]
    for model, fields in text_models:
        names = fields or tuple(
            f.name
            for f in model._meta.concrete_fields
            if f.get_internal_type() in ("CharField", "TextField")
        )
        for row in model.objects.values_list(*names):
            values.extend(str(value) for value in row if value)
    for details in AuditEntry.objects.values_list("details", flat=True):
        values.extend(_strings(details))
    for table in Event.objects.all():
        values.extend(t.name for t in table.tables.all())
    for model in (Domain, ServiceCategory, ProductClass, RobotType):
        values.extend(model.objects.filter(name_en="").values_list("name_zh", flat=True))
    values.extend(Certification.objects.filter(name_en="").values_list("name", flat=True))
    return "\n".join(values)


def _strings(data: Any) -> list[str]:
    """Every string inside JSON data (an audit entry's recorded values)."""
    if isinstance(data, dict):
        return [text for value in data.values() for text in _strings(value)]
    if isinstance(data, list):
        return [text for value in data for text in _strings(value)]
    return [str(data)] if data is not None else []


def _product_chinese(page: str, typed: str) -> list[str]:
    text = html.unescape(HIDDEN.sub(" ", page))
    return sorted({run for run in CJK_RUN.findall(text) if run.strip() and run not in typed})


def _store_matches(world: World) -> None:
    """A stored list for 颐和苑's published need, with every kind of reason: budget, site,
    certifications, categories, region, a demand written in its description."""
    need = world.need_published
    taxonomy = world.taxonomy
    certification, _ = Certification.objects.get_or_create(
        name="二类医疗器械注册证", defaults={"name_en": "Class II medical device registration"}
    )
    Need.objects.filter(pk=need.pk).update(
        budget_max_cny=80000,
        site_floors=3,
        site_has_elevator=False,
        site_environment="mixed",
        description="Night rounds in the corridors. 需要支持与现有呼叫系统对接。",
    )
    need.refresh_from_db()
    need.required_certifications.set([certification])
    need.categories.set([taxonomy["delivery"]] if "delivery" in taxonomy else [])
    for capability, price in (
        (world.capability_published, 60000),
        (world.capability_rival, 120000),
    ):
        Capability.objects.filter(pk=capability.pk).update(
            price_min_cny=price, price_max_cny=price * 2
        )
        capability.refresh_from_db()
        capability.service_regions.set([taxonomy["regions"]["青岛市"]])
    lineages = region_lineages()
    needs = Need.objects.select_related("domain", "region")
    need_row = needs.prefetch_related(
        "categories", "product_classes", "required_certifications"
    ).get(pk=need.pk)
    capabilities = [
        Capability.objects.select_related("robot_type", "organization").get(pk=c.pk)
        for c in (world.capability_published, world.capability_rival)
    ]
    matches = rank_capabilities(
        need_features(need_row, lineages),
        [(capability_features(c), Signals(0.6, 0.4)) for c in capabilities],
        vocabulary=vocabulary_load(),
    )
    match_list = MatchList.objects.create(
        need=need_row,
        model_name=encoder_name(),
        need_updated_at=need_row.updated_at,
        taxonomy_version=taxonomy_version(),
        ranked_at=timezone.now(),
    )
    for position, match in enumerate(matches, start=1):
        StoredMatch.objects.create(
            match_list=match_list,
            capability_id=match.capability_id,
            position=position,
            score=match.score,
            eligible=match.eligible,
            detail=match_to_data(match),
        )


def _notify(world: World) -> None:
    """Notifications both ways, through the services: an invitation to 康途 and a decline that
    颐和苑 is told of."""
    alice, dora = world.users["demand_own"], world.users["demand_other"]
    assert alice is not None and dora is not None and world.need_haijing is not None
    lead_invite(world.need_haijing, world.capability_published, dora)
    rival = world.capability_rival
    lead = lead_invite(world.need_published, rival, alice, message="Please come.")
    victor = User.objects.get(organization=rival.organization)
    lead_decline(lead, victor, reason=Lead.DeclineReason.BUDGET)


def _pages(world: World, role: str) -> list[str]:
    paths = {path for path in _plain_paths(get_resolver().url_patterns)}
    for case in CASES:
        if case.method == "GET" and case.expected[ROLES.index(role)] == 200:
            paths.add(reverse(case.url_name, kwargs=case.kwargs(world)))
    return sorted(paths)


@pytest.mark.parametrize("role", MEMBERS)
def test_every_page_in_english_has_no_chinese_but_user_data(role: str, world: World) -> None:
    # given
    _store_matches(world)
    _notify(world)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    user = world.users[role]
    assert user is not None
    client.force_login(user)

    # when
    pages: dict[str, str] = {}
    for path in _pages(world, role):
        response = client.get(path)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            pages[path] = response.content.decode()

    # then: what the pages show, against what users typed by now (an export is audited)
    typed = _typed_by_users()
    found = {path: _product_chinese(page, typed) for path, page in pages.items()}
    found = {path: chinese for path, chinese in found.items() if chinese}
    assert len(pages) > 20
    assert found == {}


def test_reasons_and_notifications_are_shown_in_english(world: World) -> None:
    # given
    _store_matches(world)
    _notify(world)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    alice = world.users["demand_own"]
    assert alice is not None
    client.force_login(alice)

    # when
    matches = client.get(reverse("matches:need_matches", args=[world.need_published.pk]))
    inbox = client.get(reverse("notifications:notification_list"))

    # then
    page = html.unescape(matches.content.decode())
    assert "Service area includes: 青岛市" in page
    assert "unit price up to CNY 80,000" in page
    assert "3 floors, no lift" in page
    assert "Class II medical device registration" in page
    assert f"{world.capability_rival.organization.name} declined: " in inbox.content.decode()
    assert "Budget does not match" in inbox.content.decode()


def test_the_api_gives_reasons_and_notifications_in_the_accept_language(
    world: World, client_for: ClientFor
) -> None:
    # given
    _store_matches(world)
    _notify(world)
    alice = world.users["demand_own"]
    matches_url = reverse("api:need_matches", args=[world.need_published.pk])
    inbox_url = reverse("api:notification_list")

    # when
    english = client_for(alice, language="en")
    chinese = client_for(alice, language="zh-hans")
    english_matches, chinese_matches = english.get(matches_url), chinese.get(matches_url)
    english_inbox, chinese_inbox = english.get(inbox_url), chinese.get(inbox_url)

    # then
    assert english_matches.status_code == chinese_matches.status_code == 200
    english_reasons = [r["text"] for m in english_matches.json() for r in m["reasons"]]
    chinese_reasons = [r["text"] for m in chinese_matches.json() for r in m["reasons"]]
    assert "✓ Regions served (青岛市): Service area includes: 青岛市" in english_reasons
    assert "✓ 服务地区（青岛市）：服务范围包含：青岛市" in chinese_reasons
    english_aspects = {a["key"]: a for a in english_matches.json()[0]["aspects"]}
    assert english_aspects["budget"]["wanted"] == "unit price up to CNY 80,000"
    assert english_aspects["budget"]["label"] == "Budget"
    chinese_aspects = {a["key"]: a for a in chinese_matches.json()[0]["aspects"]}
    assert chinese_aspects["budget"]["wanted"] == "单价不超过 8 万元"
    english_titles = [n["title"] for n in english_inbox.json()["results"]]
    chinese_titles = [n["title"] for n in chinese_inbox.json()["results"]]
    rival = world.capability_rival.organization.name
    need = world.need_published.title
    assert english_titles == [f"{rival} declined: {need}"]
    assert chinese_titles == [f"{rival} 婉拒了：{need}"]
