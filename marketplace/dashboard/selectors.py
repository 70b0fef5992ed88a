"""Figures for the organiser dashboard, each computed by a few aggregate queries.

Definitions, shared by the page, the tests and the report:

- A *published* need is one the public may see (``Need.objects.published()``: 已发布, 洽谈中 or
  已达成, from an approved organisation). Every need figure below except the domain × status
  table counts published needs only.
- A *matcher lead* is a lead the matcher suggested (``source=matcher``) that meets the need's
  hard requirements (``eligible``). Invitations are not matches: an institution can invite any
  vendor, so their leads carry no score.
- A *good match* is a matcher lead scoring at least ``GOOD_MATCH_SCORE``.
- Lead figures count the leads of published needs (``dashboard_leads``). A lead is *answered*
  when the vendor said 有意向, 已婉拒 or reached 洽谈中 (``LeadQuerySet.answered``): the response
  rate's numerator and the funnel's 有回复 stage read that one definition, so an answer counted
  in one is counted in the other. A lead *reached* the vendor when it was alerted, invited,
  opened or answered (``LeadQuerySet.reached_vendor``): the response rate's denominator.
- The funnel counts needs, and each stage counts only needs that reached every earlier stage.
  Meetings take place between organisations, not needs, so a need is *met* when its
  organisation attended a meeting as the demand side (any event, any vendor).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Least

from marketplace.models import (
    Domain,
    Event,
    EventParticipant,
    Lead,
    LeadQuerySet,
    Meeting,
    Need,
    NeedQuerySet,
    ShortlistEntry,
)

# The one place the "good match" threshold lives: matcher scores run from 0 to 1.
GOOD_MATCH_SCORE = 0.5
# A need is well covered when it has at least this many good matches.
MIN_GOOD_MATCHES = 3
# The gap list shows the needs waiting longest; the count above it covers them all.
GAP_LIST_LIMIT = 50

FUNNEL_STAGES = ("published", "matched", "responded", "met", "pilot", "deployed")


@dataclass(frozen=True)
class DomainStatusRow:
    domain: Domain
    counts: list[int]  # one per Need.Status, in Need.Status order
    total: int


@dataclass(frozen=True)
class NeedsByDomainAndStatus:
    statuses: list[str]
    rows: list[DomainStatusRow]
    status_totals: list[int]
    total: int


@dataclass(frozen=True)
class MatchCoverage:
    published: int
    well_covered: int  # needs with at least MIN_GOOD_MATCHES good matches
    percent: float | None
    # Published needs by how many good matches they have: 0, 1, …, MIN_GOOD_MATCHES or more.
    by_good_matches: list[int]


@dataclass(frozen=True)
class MatchGaps:
    count: int
    needs: list[Need]  # the GAP_LIST_LIMIT waiting longest
    by_domain: list[tuple[Domain, int]]


@dataclass(frozen=True)
class VendorResponse:
    reached: int  # leads that reached the vendor (alerted, invited, opened or answered)
    answered: int
    percent: float | None
    by_status: dict[str, int]  # the answered statuses, and "unanswered"
    timed: int  # answered leads whose answer came after the alert or invitation
    median_hours: float | None


@dataclass(frozen=True)
class FunnelStage:
    code: str
    count: int
    percent: float | None  # of published needs


@dataclass(frozen=True)
class EventFigures:
    event: Event
    demand_participants: int
    vendor_participants: int
    shortlisted: int
    scheduled: int
    met: int
    no_show: int
    pilots: int
    deployments: int


@dataclass(frozen=True)
class DashboardFigures:
    needs_by_domain_and_status: NeedsByDomainAndStatus
    coverage: MatchCoverage
    gaps: MatchGaps
    response: VendorResponse
    funnel: list[FunnelStage]
    events: list[EventFigures]


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def matcher_leads() -> LeadQuerySet:
    return Lead.objects.filter(source=Lead.Source.MATCHER, eligible=True)


def good_matches() -> LeadQuerySet:
    return matcher_leads().filter(score__gte=GOOD_MATCH_SCORE)


def dashboard_leads() -> LeadQuerySet:
    """The leads every lead figure counts: those of published needs."""
    return Lead.objects.filter(need__in=Need.objects.published())


def answered_leads() -> LeadQuerySet:
    """The response rate's numerator; the funnel's 有回复 stage asks for one per need."""
    return dashboard_leads().answered()


def needs_without_good_match() -> NeedQuerySet:
    return Need.objects.published().filter(~Exists(good_matches().filter(need=OuterRef("pk"))))


def needs_by_domain_and_status() -> NeedsByDomainAndStatus:
    """All needs, whatever their status, by domain; domains with no needs show zeros."""
    statuses = list(Need.Status.values)
    counts = {
        (domain_id, status): total
        for domain_id, status, total in Need.objects.order_by()
        .values_list("domain_id", "status")
        .annotate(total=Count("pk"))
    }
    rows = []
    for domain in Domain.objects.all():
        row = [counts.get((domain.pk, status), 0) for status in statuses]
        rows.append(DomainStatusRow(domain=domain, counts=row, total=sum(row)))
    status_totals = [sum(row.counts[i] for row in rows) for i in range(len(statuses))]
    return NeedsByDomainAndStatus(
        statuses=statuses, rows=rows, status_totals=status_totals, total=sum(status_totals)
    )


def match_coverage() -> MatchCoverage:
    good_count = (
        good_matches()
        .filter(need=OuterRef("pk"))
        .order_by()
        .values("need")
        .annotate(total=Count("pk"))
        .values("total")
    )
    needs = Need.objects.published().annotate(
        good=Coalesce(Subquery(good_count, output_field=IntegerField()), Value(0))
    )
    buckets: dict[str, Any] = {
        f"exactly_{n}": Count("pk", filter=Q(good=n)) for n in range(MIN_GOOD_MATCHES)
    }
    figures = needs.aggregate(
        published=Count("pk"),
        well_covered=Count("pk", filter=Q(good__gte=MIN_GOOD_MATCHES)),
        **buckets,
    )
    by_good_matches = [figures[f"exactly_{n}"] for n in range(MIN_GOOD_MATCHES)]
    by_good_matches.append(figures["well_covered"])
    return MatchCoverage(
        published=figures["published"],
        well_covered=figures["well_covered"],
        percent=percent(figures["well_covered"], figures["published"]),
        by_good_matches=by_good_matches,
    )


def match_gaps(limit: int = GAP_LIST_LIMIT) -> MatchGaps:
    """Published needs with no good match: where the organiser should recruit vendors."""
    gaps = needs_without_good_match()
    per_domain = dict(gaps.order_by().values_list("domain_id").annotate(total=Count("pk")))
    by_domain = [
        (domain, per_domain[domain.pk])
        for domain in Domain.objects.filter(pk__in=per_domain.keys())
    ]
    waiting_longest = gaps.select_related("organization", "domain").order_by(
        F("published_at").asc(nulls_first=True), "pk"
    )
    return MatchGaps(
        count=sum(per_domain.values()), needs=list(waiting_longest[:limit]), by_domain=by_domain
    )


def vendor_response() -> VendorResponse:
    reached = dashboard_leads().reached_vendor()
    answered_by_status = dict(
        answered_leads().order_by().values_list("status").annotate(total=Count("pk"))
    )
    total = reached.count()
    answered = sum(answered_by_status.values())
    # Either moment may be missing; the earlier one is when the vendor was first asked.
    asked_at = Least(
        Coalesce("vendor_notified_at", "invited_at"), Coalesce("invited_at", "vendor_notified_at")
    )
    # A vendor may answer on its own before an invitation arrives: that is no response time.
    timed = (
        answered_leads()
        .filter(responded_at__isnull=False)
        .annotate(asked_at=asked_at)
        .filter(responded_at__gte=F("asked_at"))
    )
    timed_count = timed.count()
    return VendorResponse(
        reached=total,
        answered=answered,
        percent=percent(answered, total),
        by_status={
            **{status: answered_by_status.get(status, 0) for status in Lead.ANSWERED_STATUSES},
            "unanswered": total - answered,
        },
        timed=timed_count,
        median_hours=_median_hours(timed, timed_count),
    )


def _median_hours(timed: LeadQuerySet, count: int) -> float | None:
    """The median wait, read from the database as the one or two middle rows."""
    if not count:
        return None
    waits = (
        timed.annotate(
            wait=ExpressionWrapper(F("responded_at") - F("asked_at"), output_field=DurationField())
        )
        .order_by("wait", "pk")
        .values_list("wait", flat=True)
    )
    middle: list[datetime.timedelta] = list(waits[(count - 1) // 2 : count // 2 + 1])
    seconds = sum(wait.total_seconds() for wait in middle) / len(middle)
    return round(seconds / 3600, 1)


def funnel() -> list[FunnelStage]:
    """Published needs, and how many got as far as each later stage."""
    demand_meetings = Meeting.objects.filter(demand__organization=OuterRef("organization"))
    needs = Need.objects.published().annotate(
        is_matched=Exists(matcher_leads().filter(need=OuterRef("pk"))),
        is_responded=Exists(answered_leads().filter(need=OuterRef("pk"))),
        is_met=Exists(demand_meetings.filter(attendance=Meeting.Attendance.MET)),
        # A deployment is past the pilot stage, whether or not a pilot was recorded first.
        is_pilot=Exists(
            demand_meetings.filter(outcome__in=(Meeting.Outcome.PILOT, Meeting.Outcome.DEPLOYMENT))
        ),
        is_deployed=Exists(demand_meetings.filter(outcome=Meeting.Outcome.DEPLOYMENT)),
    )
    reached: dict[str, Any] = {"published": Count("pk")}
    condition = Q()
    for stage in FUNNEL_STAGES[1:]:
        condition &= Q(**{f"is_{stage}": True})
        reached[stage] = Count("pk", filter=condition)
    counts = needs.aggregate(**reached)
    return [
        FunnelStage(
            code=stage, count=counts[stage], percent=percent(counts[stage], counts["published"])
        )
        for stage in FUNNEL_STAGES
    ]


def event_figures() -> list[EventFigures]:
    """Each event, newest first: who came, who was shortlisted, how the meetings went."""
    events = list(Event.objects.order_by("-date", "-pk"))
    participants = {
        (event_id, role): total
        for event_id, role, total in EventParticipant.objects.order_by()
        .values_list("event_id", "role")
        .annotate(total=Count("pk"))
    }
    shortlisted = dict(
        ShortlistEntry.objects.exclude(state=ShortlistEntry.State.REMOVED)
        .order_by()
        .values_list("event_id")
        .annotate(total=Count("pk"))
    )
    meetings = {
        row["event_id"]: row
        for row in Meeting.objects.order_by()
        .values("event_id")
        .annotate(
            scheduled=Count("pk"),
            met=Count("pk", filter=Q(attendance=Meeting.Attendance.MET)),
            no_show=Count("pk", filter=Q(attendance=Meeting.Attendance.NO_SHOW)),
            pilots=Count("pk", filter=Q(outcome=Meeting.Outcome.PILOT)),
            deployments=Count("pk", filter=Q(outcome=Meeting.Outcome.DEPLOYMENT)),
        )
    }
    no_meetings = {"scheduled": 0, "met": 0, "no_show": 0, "pilots": 0, "deployments": 0}
    figures = []
    for event in events:
        meeting = meetings.get(event.pk, no_meetings)
        figures.append(
            EventFigures(
                event=event,
                demand_participants=participants.get((event.pk, EventParticipant.Role.DEMAND), 0),
                vendor_participants=participants.get((event.pk, EventParticipant.Role.VENDOR), 0),
                shortlisted=shortlisted.get(event.pk, 0),
                scheduled=meeting["scheduled"],
                met=meeting["met"],
                no_show=meeting["no_show"],
                pilots=meeting["pilots"],
                deployments=meeting["deployments"],
            )
        )
    return figures


def dashboard_figures() -> DashboardFigures:
    return DashboardFigures(
        needs_by_domain_and_status=needs_by_domain_and_status(),
        coverage=match_coverage(),
        gaps=match_gaps(),
        response=vendor_response(),
        funnel=funnel(),
        events=event_figures(),
    )
