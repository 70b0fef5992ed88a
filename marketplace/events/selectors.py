"""Reads behind the event pages: who may see which participant and meeting, and meetings with
their times and the need and profile behind them.

Visibility: the organiser of an event sees everything in it; a participant's members see their
own participation, and its meetings once the schedule is published. Everyone else sees nothing
(the pages answer 404).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import Organization, User
from marketplace.common.scores import score_percent
from marketplace.models import (
    Capability,
    Event,
    EventParticipant,
    Meeting,
    Need,
    ShortlistEntry,
    Slot,
)


def event_is_managed_by(event: Event, user: User | AnonymousUser) -> bool:
    return Event.objects.managed_by(user).filter(pk=event.pk).exists()


def participant_of(event: Event, user: User | AnonymousUser) -> EventParticipant | None:
    """The user's own organisation at the event, if it registered."""
    if not user.is_authenticated or user.organization_id is None:
        return None
    return (
        EventParticipant.objects.filter(event=event, organization_id=user.organization_id)
        .prefetch_related("needs", "capabilities")
        .first()
    )


def participants_visible_to(user: User | AnonymousUser) -> QuerySet[EventParticipant]:
    """Participants whose agenda the user may open: every participant of an event the user
    organises, and the user's own organisation once that event's schedule is published."""
    if not user.is_authenticated:
        return EventParticipant.objects.none()
    visible = Q(event__in=Event.objects.managed_by(user))
    if user.organization_id is not None:
        visible |= Q(
            organization_id=user.organization_id,
            event__schedule_status=Event.ScheduleStatus.PUBLISHED,
        )
    return EventParticipant.objects.filter(visible)


def meetings_visible_to(event: Event, user: User | AnonymousUser) -> QuerySet[Meeting]:
    """The event's meetings for its organiser; a participant's own once published."""
    meetings = Meeting.objects.filter(event=event)
    if event_is_managed_by(event, user):
        return meetings
    if (
        not user.is_authenticated
        or user.organization_id is None
        or event.schedule_status != Event.ScheduleStatus.PUBLISHED
    ):
        return Meeting.objects.none()
    return meetings.for_organization(user.organization_id)


def participations_of(user: User) -> QuerySet[EventParticipant]:
    """The events the user's organisation registered for, latest first."""
    if user.organization_id is None:
        return EventParticipant.objects.none()
    return (
        EventParticipant.objects.filter(organization_id=user.organization_id)
        .select_related("event")
        .order_by("-event__date", "-event__pk")
    )


def participants_for_manage(event: Event) -> QuerySet[EventParticipant]:
    """Demand organisations first, then vendors, each by name, with what they bring."""
    return (
        EventParticipant.objects.filter(event=event)
        .select_related("organization", "registered_by")
        .prefetch_related("needs", "capabilities")
        .order_by("role", "organization__name")
    )


def demands_below_minimum(event: Event) -> list[tuple[EventParticipant, int]]:
    """Demand participants whose active shortlist is shorter than the event's minimum."""
    participants = EventParticipant.objects.filter(
        event=event, role=EventParticipant.Role.DEMAND
    ).select_related("organization")
    counts = dict(
        ShortlistEntry.objects.filter(event=event)
        .exclude(state=ShortlistEntry.State.REMOVED)
        .values_list("demand_id")
        .annotate(total=Count("pk"))
    )
    return [
        (participant, counts.get(participant.pk, 0))
        for participant in participants
        if counts.get(participant.pk, 0) < event.min_vendors_per_demand
    ]


@dataclass(frozen=True)
class MeetingRow:
    """A meeting as people read it: when, where, who, and the need and profile behind it."""

    meeting: Meeting
    slot: Slot | None
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    need: Need | None
    capability: Capability | None

    @property
    def score(self) -> int:
        return score_percent(self.meeting.value)

    @property
    def time_label(self) -> str:
        return self.slot.label if self.slot else f"#{self.meeting.slot + 1}"

    def other_side(self, participant: EventParticipant) -> EventParticipant:
        meeting = self.meeting
        return meeting.vendor if meeting.demand_id == participant.pk else meeting.demand


def meeting_rows(event: Event, meetings: Iterable[Meeting]) -> list[MeetingRow]:
    """Rows for meetings of one event; pass a queryset or a page of one."""
    slots = event.slots
    if isinstance(meetings, QuerySet):
        meetings = meetings.select_related("table", "demand__organization", "vendor__organization")
    meetings = list(meetings)
    entries = {
        (entry.demand_id, entry.vendor_id): entry
        for entry in ShortlistEntry.objects.filter(
            event=event,
            demand_id__in={m.demand_id for m in meetings},
            vendor_id__in={m.vendor_id for m in meetings},
        ).select_related("best_need", "best_capability")
    }
    rows = []
    for meeting in meetings:
        entry = entries.get((meeting.demand_id, meeting.vendor_id))
        slot = slots[meeting.slot] if meeting.slot < len(slots) else None
        starts_at, ends_at = event.slot_datetimes(meeting.slot) if slot else (None, None)
        rows.append(
            MeetingRow(
                meeting=meeting,
                slot=slot,
                starts_at=starts_at,
                ends_at=ends_at,
                need=entry.best_need if entry else None,
                capability=entry.best_capability if entry else None,
            )
        )
    return rows


def schedule_meetings(event: Event) -> QuerySet[Meeting]:
    """In time order, then by table as the organiser listed them."""
    return (
        Meeting.objects.filter(event=event)
        .select_related("table", "demand__organization", "vendor__organization")
        .order_by("slot", "table__position", "table__pk", "pk")
    )


def unscheduled_pairs(event: Event) -> list[ShortlistEntry]:
    """Active shortlist pairs the schedule has no meeting for."""
    placed = set(Meeting.objects.filter(event=event).values_list("demand_id", "vendor_id"))
    entries = (
        ShortlistEntry.objects.filter(event=event)
        .exclude(state=ShortlistEntry.State.REMOVED)
        .select_related("demand__organization", "vendor__organization")
    )
    return [entry for entry in entries if (entry.demand_id, entry.vendor_id) not in placed]


def participant_meetings(event: Event, participant: EventParticipant) -> QuerySet[Meeting]:
    """One participant's meetings in time order, whichever side it is on."""
    return schedule_meetings(event).filter(Q(demand=participant) | Q(vendor=participant))


def organizations_to_register(event: Event) -> QuerySet[Organization]:
    """Approved demand and vendor organisations not yet registered for ``event`` that have
    something to bring (a published need or profile), demand first, each by name, with their
    published needs and profiles."""
    published_needs = Need.objects.published().order_by("pk")
    published_profiles = Capability.objects.published().order_by("pk")
    return (
        Organization.objects.approved()
        .filter(kind__in=[Organization.Kind.DEMAND, Organization.Kind.VENDOR])
        .exclude(pk__in=EventParticipant.objects.filter(event=event).values("organization"))
        .filter(
            Q(
                kind=Organization.Kind.DEMAND,
                pk__in=published_needs.values("organization"),
            )
            | Q(
                kind=Organization.Kind.VENDOR,
                pk__in=published_profiles.values("organization"),
            )
        )
        .order_by("kind", "name")
        .prefetch_related(
            Prefetch("needs", queryset=published_needs, to_attr="published_needs"),
            Prefetch("capabilities", queryset=published_profiles, to_attr="published_profiles"),
        )
    )
