"""One score scale for people: a match score reads the same 0–100 whole number on every page and
in every export (the API's ``score`` keeps the engine's 0–1)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import User
from marketplace.common.scores import score_percent, score_points
from marketplace.events import scheduling as matching_events
from marketplace.matches.models import MatchList, StoredMatch
from marketplace.models import Capability, Lead, Need
from marketplace.taxonomy.version import taxonomy_version
from matching.encoders import encoder_name
from matching.ranking.serialize import match_to_data
from matching.ranking.types import RankedMatch, ScoreBreakdown
from tests.marketplace.event_world import Fair, build_fair

# --------------------------------------------------------------------------- the helper


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.973, 97),
        (0.0, 0),
        (1.0, 100),
        (0.5, 50),
        (0.004, 0),
        (0.005, 1),  # half up, not to even
        (0.125, 13),
        (0.575, 58),  # 0.575 * 100 is 57.49999… in floats; the score as written is 57.5
        (0.975, 98),
        (0.965, 97),
    ],
)
def test_a_score_reads_as_a_whole_number_from_0_to_100_rounded_half_up(
    value: float, expected: int
) -> None:
    assert score_percent(value) == expected


def test_a_part_of_a_score_reads_in_points_to_one_decimal() -> None:
    assert [score_points(value) for value in (0.48, 0.0005, 0.1234, 0.0)] == [
        "48.0",
        "0.1",
        "12.3",
        "0.0",
    ]


def test_the_template_filter_is_the_same_helper_and_blank_for_no_score() -> None:
    template = Template("{% load scores %}[{{ a|score }}][{{ b|score }}][{{ c|score }}]")

    rendered = template.render(Context({"a": 0.973, "b": None, "c": 0.575}))

    assert rendered == "[97][][58]"


# --------------------------------------------------------------------------- the pages

PAIR_SCORE = 0.973
SHOWN = "97"


def store_matches(need: Need, scored: list[tuple[Capability, float]]) -> None:
    """The need's list as the worker stores it, without the model: best first."""
    match_list = MatchList.objects.create(
        need=need,
        model_name=encoder_name(),
        need_updated_at=need.updated_at,
        taxonomy_version=taxonomy_version(),
        ranked_at=timezone.now(),
    )
    for position, (capability, score) in enumerate(scored, start=1):
        match = RankedMatch(
            need_id=need.pk,
            capability_id=capability.pk,
            score=score,
            eligible=True,
            failed_requirements=(),
            breakdown=ScoreBreakdown(()),
            aspects=(),
        )
        StoredMatch.objects.create(
            match_list=match_list,
            capability=capability,
            position=position,
            score=score,
            eligible=True,
            detail=match_to_data(match),
        )


@pytest.fixture
def scored_fair(olga: User, alice: User, bob: User, victor: User) -> Fair:
    """The event world with stored matches: 颐和苑's need × 康途's profile scores 0.973 (the
    pair every test looks at), the others less; the shortlist and schedule are generated from
    those lists, and the matcher's lead for the pair carries the same score."""
    fair = build_fair(olga=olga, alice=alice, bob=bob, victor=victor)
    kangtu, rival = fair.capabilities["kangtu"], fair.capabilities["rival"]
    store_matches(fair.needs["yihe"], [(kangtu, PAIR_SCORE), (rival, 0.612)])
    store_matches(fair.needs["haijing"], [(rival, 0.845), (kangtu, 0.5)])
    need = fair.needs["yihe"]
    Lead.objects.create(
        need=need,
        capability=kangtu,
        demand=need.organization,
        vendor=kangtu.organization,
        score=PAIR_SCORE,
    )
    matching_events.event_shortlist_generate(fair.event, fair.olga)
    matching_events.event_schedule_generate(fair.event, fair.olga)
    return fair


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _page(user: User, url: str) -> str:
    response = _client(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def _card(html: str, href: str) -> str:
    """The header of the match card that links to ``href``."""
    headers = re.findall(r'<article class="match-card.*?</header>', html, re.S)
    return next(header for header in headers if f'href="{href}"' in header)


def test_the_same_pair_shows_the_same_score_on_every_page_and_export(scored_fair: Fair) -> None:
    # given
    fair = scored_fair
    need = fair.needs["yihe"]
    lead = Lead.objects.get(need=need, capability=fair.capabilities["kangtu"])
    event = fair.event.pk

    # when
    matches = _page(fair.alice, reverse("matches:need_matches", args=[need.pk]))
    profile = _page(
        fair.bob, reverse("matches:capability_leads", args=[fair.capabilities["kangtu"].pk])
    )
    inbox = _page(fair.bob, reverse("leads:lead_inbox"))
    detail = _page(fair.bob, reverse("leads:lead_detail", args=[lead.pk]))
    shortlist = _page(fair.olga, reverse("events:event_shortlist", args=[event]))
    schedule = _page(fair.olga, reverse("events:event_schedule", args=[event]))
    csv_file = _client(fair.olga).get(reverse("events:event_shortlist_csv", args=[event]))
    xlsx_file = _client(fair.olga).get(reverse("events:event_schedule_xlsx", args=[event]))

    # then: 97 everywhere, never 0.973 nor 0.97
    strong = f"<strong>{SHOWN}</strong>"
    assert strong in _card(matches, fair.capabilities["kangtu"].get_absolute_url())
    assert strong in _card(profile, need.get_absolute_url())
    assert f"匹配分 {strong}" in inbox
    assert f"匹配分 {strong}" in detail
    group = shortlist.split(f'id="demand-{fair.yihe.pk}"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", group, re.S)
    pair_row = next(row for row in rows if re.search(r"<td[^>]*>康途机器人</td>", row))
    assert re.search(rf'<td class="score"[^>]*>{SHOWN}</td>', pair_row)
    assert re.search(rf"颐和苑养老中心 × 康途机器人 <span[^>]*>匹配分 {SHOWN}</span>", schedule)
    csv_rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    csv_row = next(row for row in csv_rows if row[:2] == ["颐和苑养老中心", "康途机器人"])
    assert csv_row[2] == SHOWN
    sheet = load_workbook(io.BytesIO(xlsx_file.content)).worksheets[0]
    xlsx_rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    xlsx_row = next(row for row in xlsx_rows if "康途机器人" in row and "颐和苑养老中心" in row)
    assert xlsx_row[-1] == int(SHOWN)
    for html in (matches, profile, inbox, detail, shortlist, schedule):
        assert "0.973" not in html and "0.97<" not in html


def test_the_api_keeps_score_on_0_to_1_and_adds_the_pages_number_beside_it(
    scored_fair: Fair,
) -> None:
    # given
    fair = scored_fair
    need = fair.needs["yihe"]
    kangtu = fair.capabilities["kangtu"]

    # when
    matches = _api(fair.alice).get(reverse("api:need_matches", args=[need.pk])).json()
    leads = _api(fair.bob).get(reverse("api:lead_list")).json()
    shortlist = _api(fair.olga).get(reverse("api:event_shortlist", args=[fair.event.pk])).json()

    # then
    match = next(item for item in matches if item["capability"]["id"] == kangtu.pk)
    assert (match["score"], match["score_percent"]) == (PAIR_SCORE, int(SHOWN))
    rows = leads["results"] if isinstance(leads, dict) else leads
    lead = next(item for item in rows if item["capability"]["id"] == kangtu.pk)
    assert (lead["score"], lead["score_percent"]) == (PAIR_SCORE, int(SHOWN))
    entries = shortlist["results"] if isinstance(shortlist, dict) else shortlist
    entry = next(
        item
        for item in entries
        if item["demand"]["id"] == fair.yihe.pk and item["vendor"]["id"] == fair.kangtu.pk
    )
    assert (entry["value"], entry["score_percent"]) == (PAIR_SCORE, int(SHOWN))
