"""The organiser dashboard: each figure's definition, and who may open the page.

The named world adds three demand organisations to 颐和苑 (alice): 海景养老院, 金色年华 and
阳光家园; vendors are 康途机器人 (bob) and its rival (victor); needs are published unless a test
says otherwise.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization, User
from marketplace.dashboard.selectors import (
    GOOD_MATCH_SCORE,
    event_figures,
    funnel,
    match_coverage,
    match_gaps,
    needs_by_domain_and_status,
    vendor_response,
)
from marketplace.models import (
    Capability,
    Domain,
    Event,
    EventParticipant,
    EventTable,
    Lead,
    Meeting,
    Need,
    ShortlistEntry,
)
from tests.accounts.factories import OrganizationFactory
from tests.marketplace.factories import CapabilityFactory, NeedFactory

DASHBOARD = reverse("dashboard:dashboard")
ASKED = timezone.now() - datetime.timedelta(days=10)


@dataclass
class World:
    yihe: Organization
    haijing: Organization
    jinse: Organization
    yangguang: Organization
    kangtu: Organization
    rival: Organization
    civil: Domain
    health: Domain
    capabilities: list[Capability]


@pytest.fixture
def world(taxonomy: dict[str, Any], alice: User, bob: User, victor: User, olga: User) -> World:
    kangtu, rival = bob.organization, victor.organization
    return World(
        yihe=alice.organization,
        haijing=OrganizationFactory.create(name="海景养老院"),
        jinse=OrganizationFactory.create(name="金色年华养老公寓"),
        yangguang=OrganizationFactory.create(name="阳光家园"),
        kangtu=kangtu,
        rival=rival,
        civil=taxonomy["civil"],
        health=taxonomy["health"],
        capabilities=[
            CapabilityFactory.create(organization=owner, robot_type=taxonomy["care_robot"])
            for owner in (kangtu, kangtu, rival, rival)
        ],
    )


def _need(
    world: World,
    organization: Organization,
    title: str,
    *,
    domain: Domain | None = None,
    status: str = Need.Status.PUBLISHED,
    days_ago: int = 5,
) -> Need:
    return NeedFactory.create(
        organization=organization,
        title=title,
        domain=domain or world.civil,
        status=status,
        published_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def _lead(need: Need, capability: Capability, score: float = 0.8, **fields: Any) -> Lead:
    return Lead.objects.create(
        need=need,
        capability=capability,
        demand=need.organization,
        vendor=capability.organization,
        score=score,
        **fields,
    )


def _hours(hours: float) -> datetime.datetime:
    return ASKED + datetime.timedelta(hours=hours)


class Schedule:
    """One event's participants, and meetings between them at its one table."""

    def __init__(self, event: Event) -> None:
        self.event = event
        self.table = EventTable.objects.create(event=event, name="1号桌", capacity=10)
        self.participants: dict[int, EventParticipant] = {}

    def join(self, organization: Organization, role: str) -> EventParticipant:
        participant = EventParticipant.objects.create(
            event=self.event, organization=organization, role=role
        )
        self.participants[organization.pk] = participant
        return participant

    def meet(
        self,
        demand: Organization,
        vendor: Organization,
        slot: int,
        attendance: str = Meeting.Attendance.UNKNOWN,
        outcome: str = Meeting.Outcome.NONE,
    ) -> Meeting:
        return Meeting.objects.create(
            event=self.event,
            demand=self.participants[demand.pk],
            vendor=self.participants[vendor.pk],
            slot=slot,
            table=self.table,
            attendance=attendance,
            outcome=outcome,
        )


def _event(world: World, office: Organization, name: str, days_ago: int) -> Event:
    return Event.objects.create(
        organizer=office, name=name, date=timezone.localdate() - datetime.timedelta(days=days_ago)
    )


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _chart(html: str, chart_id: str) -> dict[str, Any]:
    found = re.search(
        r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html, re.S
    )
    assert found is not None
    charts = {chart["id"]: chart for chart in json.loads(found.group(1))}
    return charts[chart_id]


# --------------------------------------------------------------------------- figures


def test_needs_by_domain_and_status_counts_every_need_and_shows_empty_domains(
    world: World,
) -> None:
    # given
    _need(world, world.yihe, "送餐", status=Need.Status.PUBLISHED)
    _need(world, world.yihe, "巡查", status=Need.Status.DRAFT)
    _need(world, world.haijing, "陪伴", status=Need.Status.PUBLISHED)
    _need(world, world.haijing, "康复", domain=world.health, status=Need.Status.PENDING_REVIEW)
    Domain.objects.create(code="education", name_zh="教育", order=5)

    # when
    figures = needs_by_domain_and_status()

    # then
    statuses = figures.statuses
    counts = {row.domain.code: dict(zip(statuses, row.counts, strict=True)) for row in figures.rows}
    assert [row.domain.code for row in figures.rows] == ["civil_affairs", "education", "healthcare"]
    assert counts["civil_affairs"]["published"] == 2
    assert counts["civil_affairs"]["draft"] == 1
    assert counts["healthcare"]["pending_review"] == 1
    assert sum(counts["education"].values()) == 0
    assert [row.total for row in figures.rows] == [3, 0, 1]
    assert figures.total == 4
    assert dict(zip(statuses, figures.status_totals, strict=True))["published"] == 2


def test_a_need_is_well_covered_with_three_eligible_matcher_leads_at_or_above_the_threshold(
    world: World, newcomer: Organization
) -> None:
    # given
    c1, c2, c3, c4 = world.capabilities
    covered = _need(world, world.yihe, "三条优质匹配")
    _lead(covered, c1, 0.9)
    _lead(covered, c2, 0.7)
    _lead(covered, c3, GOOD_MATCH_SCORE)  # exactly at the threshold counts
    _lead(covered, c4, 0.95, eligible=False)
    two_good = _need(world, world.haijing, "两条优质匹配", domain=world.health)
    _lead(two_good, c1, 0.8)
    _lead(two_good, c2, 0.6)
    _lead(two_good, c3, GOOD_MATCH_SCORE - 0.01)
    # An institution's invitation is not a match, whatever score it carries.
    _lead(two_good, c4, 0.9, source=Lead.Source.INVITATION)
    weak = _need(world, world.haijing, "只有低分匹配")
    _lead(weak, c1, 0.3)
    _need(world, world.jinse, "没有线索", domain=world.health)
    # Not published: a draft, and a need from an organisation still under review.
    draft = _need(world, world.yihe, "草稿", status=Need.Status.DRAFT)
    unapproved = _need(world, newcomer, "待审机构的需求")
    for need in (draft, unapproved):
        for capability in (c1, c2, c3):
            _lead(need, capability, 0.9)

    # when
    coverage = match_coverage()

    # then
    assert coverage.published == 4
    assert coverage.well_covered == 1
    assert coverage.percent == 25.0
    assert coverage.by_good_matches == [2, 0, 1, 1]  # 0, 1, 2 and ≥3 good matches


def test_the_gap_list_holds_exactly_the_published_needs_without_a_good_match(
    world: World, newcomer: Organization
) -> None:
    # given
    c1, c2, c3, _c4 = world.capabilities
    one_good = _need(world, world.yihe, "一条优质匹配")
    _lead(one_good, c1, 0.8)
    _lead(one_good, c2, 0.2)
    below = _need(world, world.haijing, "只有低分匹配", days_ago=3)
    _lead(below, c1, 0.49)
    ineligible = _need(world, world.haijing, "高分但不满足硬性要求", days_ago=9)
    _lead(ineligible, c1, 0.95, eligible=False)
    invited_only = _need(world, world.jinse, "只有邀请", domain=world.health, days_ago=1)
    _lead(invited_only, c3, 0.9, source=Lead.Source.INVITATION)
    bare = _need(world, world.yangguang, "没有线索", domain=world.health, days_ago=7)
    _need(world, world.yihe, "草稿", status=Need.Status.DRAFT)
    _need(world, newcomer, "待审机构的需求")

    # when
    gaps = match_gaps()

    # then: oldest first
    assert gaps.needs == [ineligible, bare, below, invited_only]
    assert gaps.count == 4
    assert [(domain.code, count) for domain, count in gaps.by_domain] == [
        ("civil_affairs", 2),
        ("healthcare", 2),
    ]


def test_the_gap_list_is_cut_to_its_limit_but_the_count_covers_every_gap(world: World) -> None:
    # given
    needs = [_need(world, world.yihe, f"需求{n}", days_ago=10 - n) for n in range(4)]

    # when
    gaps = match_gaps(limit=2)

    # then
    assert gaps.needs == needs[:2]
    assert gaps.count == 4


def test_response_rate_counts_every_answer_among_the_leads_that_reached_the_vendor(
    world: World,
) -> None:
    # given
    c1, c2, c3, c4 = world.capabilities
    a = _need(world, world.yihe, "甲")
    b = _need(world, world.haijing, "乙")
    status = Lead.Status
    _lead(a, c1, vendor_notified_at=ASKED, responded_at=_hours(2), status=status.INTERESTED)
    _lead(a, c2, invited_at=ASKED, responded_at=_hours(10), status=status.DECLINED)
    # Alerted, then invited an hour later: the wait runs from the alert.
    _lead(
        a,
        c3,
        vendor_notified_at=ASKED,
        invited_at=_hours(1),
        responded_at=_hours(4),
        status=status.IN_TALKS,
    )
    _lead(a, c4, vendor_notified_at=ASKED, responded_at=_hours(6), status=status.INTERESTED)
    # Answered on its own before the invitation: counts as answered, but has no response time.
    _lead(b, c1, invited_at=_hours(5), responded_at=ASKED, status=status.IN_TALKS)
    _lead(b, c2, vendor_notified_at=ASKED, status=status.NEW)
    _lead(b, c3, invited_at=ASKED, status=status.VIEWED)
    # Never alerted nor invited, but answered from the inbox: an answer all the same, with no
    # response time.
    _lead(b, c4, responded_at=_hours(1), status=status.DECLINED)
    # A draft need's answered lead: the dashboard counts published needs only.
    draft = _need(world, world.yihe, "草稿", status=Need.Status.DRAFT)
    _lead(draft, c1, vendor_notified_at=ASKED, status=status.INTERESTED)

    # when
    response = vendor_response()

    # then
    assert response.reached == 8
    assert response.answered == 6
    assert response.percent == 75.0
    assert response.by_status == {"interested": 2, "declined": 2, "in_talks": 2, "unanswered": 2}
    assert response.timed == 4
    assert response.median_hours == 5.0  # waits of 2, 4, 6 and 10 hours


def test_median_response_time_with_an_odd_number_of_answers(world: World) -> None:
    # given
    c1, c2, c3, _c4 = world.capabilities
    need = _need(world, world.yihe, "甲")
    for capability, hours in ((c1, 30), (c2, 1.5), (c3, 48)):
        _lead(
            need,
            capability,
            vendor_notified_at=ASKED,
            responded_at=_hours(hours),
            status=Lead.Status.INTERESTED,
        )

    # when
    response = vendor_response()

    # then
    assert response.median_hours == 30.0


def test_response_figures_are_empty_without_leads_that_reached_the_vendor(world: World) -> None:
    # given
    _lead(_need(world, world.yihe, "甲"), world.capabilities[0], 0.9)

    # when
    response = vendor_response()

    # then
    assert (response.reached, response.answered, response.percent) == (0, 0, None)
    assert response.median_hours is None


@pytest.fixture
def funnel_world(world: World, office: Organization, newcomer: Organization) -> World:
    """Needs at every stage of the funnel; meetings at one event decide the last three."""
    c1, c2, c3, _c4 = world.capabilities
    # 颐和苑's two needs both reach the pilot stage: meetings are between organisations.
    for title in ("颐和苑一", "颐和苑二"):
        need = _need(world, world.yihe, title)
        _lead(need, c1, 0.3)
        _lead(need, c2, 0.6, status=Lead.Status.INTERESTED)
    # 海景: one need deployed; another matched but unanswered stops at "matched".
    deployed = _need(world, world.haijing, "海景已部署")
    _lead(deployed, c1, 0.7, status=Lead.Status.DECLINED)
    _lead(_need(world, world.haijing, "海景未回复"), c1, 0.7)
    # 金色: an invitation was answered, but the matcher never found a match.
    unmatched = _need(world, world.jinse, "金色无匹配")
    _lead(unmatched, c1, 0.9, eligible=False)
    _lead(unmatched, c3, 0.0, source=Lead.Source.INVITATION, status=Lead.Status.IN_TALKS)
    _need(world, world.jinse, "金色无线索")
    # 阳光: met, with a follow-up only.
    met = _need(world, world.yangguang, "阳光已会谈")
    _lead(met, c3, 0.8, status=Lead.Status.INTERESTED)
    # Not published: counted nowhere.
    draft = _need(world, world.yihe, "颐和苑草稿", status=Need.Status.DRAFT)
    _lead(draft, c1, 0.9, status=Lead.Status.INTERESTED)
    _need(world, newcomer, "待审机构的需求")

    schedule = Schedule(_event(world, office, "对接会", days_ago=3))
    for organization in (world.yihe, world.haijing, world.jinse, world.yangguang):
        schedule.join(organization, EventParticipant.Role.DEMAND)
    for organization in (world.kangtu, world.rival):
        schedule.join(organization, EventParticipant.Role.VENDOR)
    met_, no_show = Meeting.Attendance.MET, Meeting.Attendance.NO_SHOW
    schedule.meet(world.yihe, world.kangtu, 0, met_, Meeting.Outcome.PILOT)
    schedule.meet(world.haijing, world.rival, 0, met_, Meeting.Outcome.DEPLOYMENT)
    schedule.meet(world.jinse, world.kangtu, 1, met_, Meeting.Outcome.PILOT)
    schedule.meet(world.yangguang, world.rival, 1, met_, Meeting.Outcome.FOLLOW_UP)
    schedule.meet(world.yihe, world.rival, 2, no_show)
    return world


def test_the_funnel_counts_needs_that_reached_each_stage_and_every_earlier_one(
    funnel_world: World,
) -> None:
    # when
    stages = funnel()

    # then
    assert [(stage.code, stage.count) for stage in stages] == [
        ("published", 7),
        ("matched", 5),
        ("responded", 4),
        ("met", 4),
        ("pilot", 3),
        ("deployed", 1),
    ]
    assert [stage.percent for stage in stages] == [100.0, 71.4, 57.1, 57.1, 42.9, 14.3]


def test_a_no_show_is_not_a_meeting_in_the_funnel(world: World, office: Organization) -> None:
    # given
    need = _need(world, world.yihe, "甲")
    _lead(need, world.capabilities[0], 0.8, status=Lead.Status.INTERESTED)
    schedule = Schedule(_event(world, office, "对接会", days_ago=3))
    schedule.join(world.yihe, EventParticipant.Role.DEMAND)
    schedule.join(world.kangtu, EventParticipant.Role.VENDOR)
    schedule.meet(world.yihe, world.kangtu, 0, Meeting.Attendance.NO_SHOW)

    # when
    stages = {stage.code: stage.count for stage in funnel()}

    # then
    assert (stages["responded"], stages["met"]) == (1, 0)


@pytest.fixture
def answer_world(world: World) -> World:
    """Published needs with one matcher lead in each state a vendor can leave it, at most one
    answer per need, and an answered lead of a draft need (counted nowhere). Three answers:
    one after an alert, one after an invitation, one from the inbox with no alert at all (the
    case that once made the response rate read 0 while the funnel read 有回复)."""
    c1, c2, c3, _c4 = world.capabilities
    status = Lead.Status
    first = _need(world, world.yihe, "甲")
    _lead(first, c1, vendor_notified_at=ASKED, responded_at=_hours(2), status=status.INTERESTED)
    _lead(first, c2)  # never reached the vendor
    second = _need(world, world.haijing, "乙")
    _lead(second, c1, responded_at=_hours(1), status=status.DECLINED)  # answered from the inbox
    _lead(second, c3, viewed_at=ASKED, status=status.VIEWED)
    third = _need(world, world.jinse, "丙")
    _lead(third, c3, invited_at=ASKED, responded_at=_hours(4), status=status.IN_TALKS)
    _lead(_need(world, world.yangguang, "丁"), c1, vendor_notified_at=ASKED)
    _lead(_need(world, world.yangguang, "戊"), c2, viewed_at=ASKED, status=status.VIEWED)
    draft = _need(world, world.yihe, "草稿", status=Need.Status.DRAFT)
    _lead(draft, c1, vendor_notified_at=ASKED, status=status.INTERESTED)
    return world


ANSWERED_IN_ANSWER_WORLD = 3


def test_the_response_rate_and_the_funnel_count_the_same_answers(answer_world: World) -> None:
    # when
    response = vendor_response()
    stages = {stage.code: stage.count for stage in funnel()}

    # then
    assert response.answered == stages["responded"] == ANSWERED_IN_ANSWER_WORLD
    assert (response.reached, response.percent) == (6, 50.0)
    assert response.by_status == {"interested": 1, "declined": 1, "in_talks": 1, "unanswered": 3}


def test_the_page_shows_the_same_answers_in_the_response_rate_and_the_funnel(
    answer_world: World, olga: User
) -> None:
    # when
    html = _client(olga).get(DASHBOARD).content.decode()

    # then
    assert '<div class="figure" data-figure="response-rate"><strong>50.0%</strong>' in html
    assert "的 6 条线索中，3 条（50.0%）得到供应商回复。" in html
    responded = re.search(r'<tr data-stage="responded">(.*?)</tr>', html, re.S)
    assert responded is not None
    assert f'<td class="num">{ANSWERED_IN_ANSWER_WORLD}</td>' in responded.group(1)
    assert _chart(html, "chart-funnel")["datasets"][0]["data"][2] == ANSWERED_IN_ANSWER_WORLD


@pytest.fixture
def events(world: World, office: Organization) -> tuple[Event, Event]:
    fair = Schedule(_event(world, office, "青岛养老机器人供需对接会", days_ago=3))
    for organization in (world.yihe, world.haijing, world.jinse):
        fair.join(organization, EventParticipant.Role.DEMAND)
    for organization in (world.kangtu, world.rival):
        fair.join(organization, EventParticipant.Role.VENDOR)
    pairs = [
        (world.yihe, world.kangtu, ShortlistEntry.State.PINNED),
        (world.haijing, world.kangtu, ShortlistEntry.State.PROPOSED),
        (world.jinse, world.rival, ShortlistEntry.State.PROPOSED),
        (world.yihe, world.rival, ShortlistEntry.State.REMOVED),
    ]
    for demand, vendor, state in pairs:
        ShortlistEntry.objects.create(
            event=fair.event,
            demand=fair.participants[demand.pk],
            vendor=fair.participants[vendor.pk],
            state=state,
        )
    met = Meeting.Attendance.MET
    fair.meet(world.yihe, world.kangtu, 0, met, Meeting.Outcome.PILOT)
    fair.meet(world.haijing, world.kangtu, 1, met, Meeting.Outcome.DEPLOYMENT)
    fair.meet(world.jinse, world.rival, 0, Meeting.Attendance.NO_SHOW)
    fair.meet(world.yihe, world.rival, 1)
    earlier = _event(world, office, "上季度对接会", days_ago=90)
    return fair.event, earlier


def test_event_figures_count_participants_shortlist_meetings_and_outcomes(
    events: tuple[Event, Event],
) -> None:
    # given
    fair, earlier = events

    # when
    rows = event_figures()

    # then: newest first; an event without participants shows zeros
    assert [row.event for row in rows] == [fair, earlier]
    figures = [
        (
            row.demand_participants,
            row.vendor_participants,
            row.shortlisted,
            row.scheduled,
            row.met,
            row.no_show,
            row.pilots,
            row.deployments,
        )
        for row in rows
    ]
    assert figures == [(3, 2, 3, 4, 2, 1, 1, 1), (0, 0, 0, 0, 0, 0, 0, 0)]


# --------------------------------------------------------------------------- the page


def test_an_organiser_sees_every_figure_in_the_pages_tables(
    funnel_world: World, olga: User
) -> None:
    # when
    response = _client(olga).get(DASHBOARD)

    # then
    assert response.status_code == 200
    html = response.content.decode()
    # 7 published needs, none with three good matches.
    assert '<div class="figure" data-figure="published"><strong>7</strong>' in html
    assert '<div class="figure" data-figure="well-covered"><strong>0.0%</strong>' in html
    funnel_row = re.search(r'<tr data-stage="pilot">(.*?)</tr>', html, re.S)
    assert funnel_row is not None
    assert '<td class="num">3</td><td class="num">42.9%</td>' in funnel_row.group(1)
    gap_ids = {int(pk) for pk in re.findall(r'<tr data-need="(\d+)">', html)}
    assert gap_ids == set(
        Need.objects.published()
        .exclude(title__in=["颐和苑一", "颐和苑二", "海景已部署", "海景未回复", "阳光已会谈"])
        .values_list("pk", flat=True)
    )
    assert "金色无匹配" in html
    assert reverse("needs:need_detail", args=[Need.objects.get(title="金色无线索").pk]) in html
    assert _chart(html, "chart-funnel")["datasets"][0]["data"] == [7, 5, 4, 4, 3, 1]
    assert "匹配分不低于 50 的" in html  # GOOD_MATCH_SCORE on the 0–100 scale


def test_the_page_shows_response_and_event_figures_in_text(
    events: tuple[Event, Event], world: World, olga: User
) -> None:
    # given
    need = _need(world, world.yihe, "甲")
    _lead(
        need,
        world.capabilities[0],
        vendor_notified_at=ASKED,
        responded_at=_hours(3),
        status=Lead.Status.INTERESTED,
    )
    _lead(need, world.capabilities[1], invited_at=ASKED)
    fair, _earlier = events

    # when
    response = _client(olga).get(DASHBOARD)

    # then
    html = response.content.decode()
    assert '<div class="figure" data-figure="response-rate"><strong>50.0%</strong>' in html
    assert '<div class="figure" data-figure="median-hours"><strong>3.0</strong>' in html
    row = re.search(rf'<tr data-event="{fair.pk}">(.*?)</tr>', html, re.S)
    assert row is not None
    cells = dict(re.findall(r'<td class="num" data-field="(\w+)">(\d+)</td>', row.group(1)))
    assert cells == {
        "demand": "3",
        "vendor": "2",
        "shortlisted": "3",
        "scheduled": "4",
        "met": "2",
        "no_show": "1",
        "pilots": "1",
        "deployments": "1",
    }
    assert _chart(html, "chart-events")["labels"] == [fair.name, "上季度对接会"]


def test_the_page_renders_zeros_before_anything_happened(
    taxonomy: dict[str, Any], olga: User
) -> None:
    # when
    response = _client(olga).get(DASHBOARD)

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="figure" data-figure="published"><strong>0</strong>' in html
    assert '<div class="figure" data-figure="well-covered"><strong>—</strong>' in html
    assert '<div class="figure" data-figure="median-hours"><strong>—</strong>' in html
    assert "还没有对接活动。" in html
    assert "每条公开需求都至少有 1 条优质匹配。" in html
    assert _chart(html, "chart-funnel")["datasets"][0]["data"] == [0, 0, 0, 0, 0, 0]


def test_the_page_is_translated_into_english(taxonomy: dict[str, Any], olga: User) -> None:
    # when
    response = _client(olga).get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en")

    # then
    html = response.content.decode()
    assert "<h1>Dashboard</h1>" in html
    assert _chart(html, "chart-funnel")["labels"][0] == "Published"


def test_the_pages_queries_do_not_grow_with_the_data(
    funnel_world: World, events: tuple[Event, Event], olga: User, office: Organization
) -> None:
    # given
    client = _client(olga)
    with CaptureQueriesContext(connection) as before:
        client.get(DASHBOARD)
    for n in range(5):
        _need(
            funnel_world, OrganizationFactory.create(), f"新增需求{n}", domain=funnel_world.health
        )
        _event(funnel_world, office, f"新增活动{n}", days_ago=30 + n)

    # when
    with CaptureQueriesContext(connection) as after:
        response = client.get(DASHBOARD)

    # then
    assert response.content.decode().count("<tr data-need=") == 7
    assert len(after.captured_queries) == len(before.captured_queries)


@pytest.mark.parametrize("user_name", ["alice", "bob", "nina"])
def test_demand_and_vendor_users_are_refused(user_name: str, request: Any) -> None:
    # given
    user = request.getfixturevalue(user_name)

    # when
    response = _client(user).get(DASHBOARD)

    # then
    assert response.status_code == 403
    assert "只有组织方可以查看数据看板。" in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(db: None) -> None:
    # when
    response = _client(None).get(DASHBOARD)

    # then
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={DASHBOARD}"


def test_only_organisers_see_the_dashboard_in_the_nav(olga: User, bob: User) -> None:
    # when
    organiser_home = _client(olga).get(reverse("home")).content.decode()
    vendor_home = _client(bob).get(reverse("home")).content.decode()

    # then
    assert f'href="{DASHBOARD}"' in organiser_home
    assert f'href="{DASHBOARD}"' not in vendor_home
