"""The reading of free-text needs on the need pages: the form's live suggestions, the worker's
stored reading with its confirm action, and the clarifying question (only the need's
organisation sees and answers them)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.matches.models import MatchList
from marketplace.models import Need, NeedRevision
from marketplace.needs.services import need_create
from tests.marketplace.factories import ProductClassFactory

pytestmark = pytest.mark.django_db

READING = reverse("needs:need_reading")
NEED_CREATE = reverse("needs:need_create")
NIGHT = "夜里护工太累，想要个东西在楼里转转，发现有人摔倒"


def _client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _category_box(html: str, pk: int) -> str:
    box = re.search(rf'<input[^>]*name="categories"[^>]*value="{pk}"[^>]*>', html)
    assert box is not None
    return "ticked" if " checked" in box.group(0) else "unticked"


def _free_text_need(alice: User, taxonomy: dict[str, Any], **fields: Any) -> Need:
    return need_create(
        organization=alice.organization,
        created_by=alice,
        fields={
            "title": "饭点送餐",
            "description": "每天三餐要把饭菜送到各个房间。",
            "domain": taxonomy["civil"],
            "region": taxonomy["regions"]["青岛市"],
            **fields,
        },
        submit=True,
    )


def test_the_form_endpoint_reads_what_is_typed(alice: User, taxonomy: dict[str, Any]) -> None:
    daily = ProductClassFactory.create(code="daily_living", name_zh="生活辅助")
    response = _client(alice).get(
        READING,
        {
            "title": "送饭",
            "description": "robot that takes meals to rooms and rides the elevator",
            "domain": taxonomy["civil"].pk,
        },
    )
    assert response.status_code == 200
    data = response.json()
    assert data["categories"] == [taxonomy["delivery"].pk]
    assert data["domain"] == taxonomy["civil"].pk
    assert data["product_classes"] == [daily.pk]
    assert "我们理解您的需求是：" in data["html"]
    assert "物资配送 · 生活辅助" in data["html"]
    # The elevator is mentioned: floors are stated; budget and certification are not.
    assert "预算、必需资质" in data["html"]


def test_the_form_endpoint_says_when_it_reads_nothing(
    alice: User, taxonomy: dict[str, Any]
) -> None:
    data = _client(alice).get(READING, {"title": "你好", "description": ""}).json()
    assert data["categories"] == []
    assert "我们理解您的需求是" not in data["html"]
    assert "暂时还看不出" in data["html"]


def test_only_institutions_and_organisers_use_the_endpoint(
    bob: User, taxonomy: dict[str, Any]
) -> None:
    assert _client().get(READING, {"description": NIGHT}).status_code == 302
    assert _client(bob).get(READING, {"description": NIGHT}).status_code == 403


def test_the_read_button_shows_the_form_again_unsaved_and_apply_ticks_the_suggestions(
    alice: User, taxonomy: dict[str, Any]
) -> None:
    data = {
        "title": "送饭",
        "description": "每天三餐要把饭菜送到各个房间。",
        "domain": taxonomy["civil"].pk,
        "region": taxonomy["regions"]["青岛市"].pk,
        "action": "read",
    }
    read = _client(alice).post(NEED_CREATE, data)
    assert read.status_code == 200
    assert not Need.objects.exists()
    html = read.content.decode()
    assert "我们理解您的需求是：" in html and "物资配送" in html
    assert _category_box(html, taxonomy["delivery"].pk) == "unticked"

    applied = _client(alice).post(NEED_CREATE, {**data, "action": "apply_reading"})
    html = applied.content.decode()
    assert not Need.objects.exists()
    assert "已填入建议的" in html
    assert _category_box(html, taxonomy["delivery"].pk) == "ticked"
    # What was typed is kept.
    assert "每天三餐要把饭菜送到各个房间。" in html


def test_the_worker_stores_the_reading_and_the_question(embedded: dict[str, Any]) -> None:
    english = embedded["english"]
    stored = MatchList.objects.get(need=english).reading
    assert stored["reading"]["categories"][0]["code"] == "material_delivery"
    assert stored["reading"]["categories"][0]["source"] in ("keyword", "keyword+model")
    # "five floors" is stated; the top profiles' prices differ five-fold: budget is asked.
    assert stored["question"] == "budget"
    # The rehabilitation need states its budget and certificate; one profile fits: no question.
    assert MatchList.objects.get(need=embedded["need"]).reading["question"] == ""


def test_the_owner_sees_the_reading_and_confirms_it(
    embedded: dict[str, Any], alice: User, victor: User, taxonomy: dict[str, Any]
) -> None:
    english = embedded["english"]
    page = _client(alice).get(english.get_absolute_url()).content.decode()
    assert "我们理解您的需求是：" in page
    assert "补充一个问题（选填）" in page
    assert 'name="budget_max_cny"' in page
    # Others see the need, not its reading or question.
    other = _client(victor).get(english.get_absolute_url()).content.decode()
    assert "我们理解您的需求是" not in other and "补充一个问题" not in other

    confirm = reverse("needs:need_reading_confirm", args=[english.pk])
    assert (
        _client(victor).post(confirm, {"categories": [taxonomy["delivery"].pk]}).status_code == 404
    )
    assert not english.categories.exists()

    response = _client(alice).post(confirm, {"categories": [taxonomy["delivery"].pk]})
    assert response.status_code == 302
    english.refresh_from_db()
    assert list(english.categories.all()) == [taxonomy["delivery"]]
    assert english.embedding_dirty  # re-embedded and re-ranked like any edit
    assert NeedRevision.objects.filter(need=english).count() == 1
    entry = AuditEntry.objects.filter(target_id=english.pk, action="edit").get()
    assert entry.details == {"fields": ["categories"]}
    # Confirmed: the suggestion is no longer offered.
    page = _client(alice).get(english.get_absolute_url()).content.decode()
    assert "我们理解您的需求是" not in page


def test_a_confirmation_outside_the_need_domain_is_refused(
    alice: User, taxonomy: dict[str, Any]
) -> None:
    need = _free_text_need(alice, taxonomy)
    from marketplace.models import ServiceCategory

    elsewhere = ServiceCategory.objects.create(
        code="ward_logistics", domain=taxonomy["health"], name_zh="院内物流"
    )
    confirm = reverse("needs:need_reading_confirm", args=[need.pk])
    response = _client(alice).post(confirm, {"categories": [elsewhere.pk]}, follow=True)
    assert "不属于所选领域" in response.content.decode()
    assert not need.categories.exists()


def test_answering_the_question_updates_the_need(
    alice: User, victor: User, taxonomy: dict[str, Any]
) -> None:
    need = _free_text_need(alice, taxonomy)
    clarify = reverse("needs:need_clarify", args=[need.pk])
    answer = {"question": "floors", "site_floors": "5", "site_has_elevator": "yes"}
    assert _client(victor).post(clarify, answer).status_code == 404

    assert _client(alice).post(clarify, answer).status_code == 302
    need.refresh_from_db()
    assert (need.site_floors, need.site_has_elevator) == (5, True)
    entry = AuditEntry.objects.filter(target_id=need.pk, action="edit").get()
    assert entry.details == {"fields": ["site_floors", "site_has_elevator"]}

    empty = _client(alice).post(clarify, {"question": "budget"}, follow=True)
    assert "请填写答案" in empty.content.decode()
    budget = _client(alice).post(
        clarify, {"question": "budget", "budget_max_cny": "-1"}, follow=True
    )
    assert budget.status_code == 200
    need.refresh_from_db()
    assert need.budget_max_cny is None


def test_the_reading_is_in_english_for_a_reader_who_chose_english(
    alice: User, taxonomy: dict[str, Any]
) -> None:
    from django.conf import settings

    client = _client(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = client.get(
        READING, {"description": "takes meals to rooms", "domain": taxonomy["civil"].pk}
    ).json()
    text = re.sub(r"<[^>]+>", "", data["html"])
    assert "We understand your need as: Delivery" in text
    assert (
        "You have not said: budget, floors and elevator, required certifications, region."
        in data["html"]
    )


def test_the_match_page_asks_the_question_and_answers_come_back_to_it(
    embedded: dict[str, Any], alice: User
) -> None:
    english = embedded["english"]
    matches = reverse("matches:need_matches", args=[english.pk])
    page = _client(alice).get(matches).content.decode()
    assert "我们理解您的需求是：" in page and "补充一个问题（选填）" in page
    assert 'name="next_page" value="matches"' in page

    clarify = reverse("needs:need_clarify", args=[english.pk])
    answer = {"question": "budget", "budget_max_cny": "60000", "next_page": "matches"}
    response = _client(alice).post(clarify, answer)
    assert response.status_code == 302 and response["Location"] == matches
    english.refresh_from_db()
    assert english.budget_max_cny == 60000
    # The need changed: the stored question is out of date and not asked again meanwhile.
    assert "补充一个问题" not in _client(alice).get(matches).content.decode()
