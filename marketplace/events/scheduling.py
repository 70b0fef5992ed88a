"""An event's shortlist and meeting schedule: matcher scores in, solver out, rows saved.

Pair value = the best eligible need-to-profile score between a demand participant's needs and
a vendor participant's profiles, read from the needs' stored match lists. Pairs that were
declined or marked 不合适 score nothing (the read leaves them out), and pairs that met at an
earlier event are excluded outright.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from marketplace.audit.services import Action, audit_record
from marketplace.matches.lists import STORED_MATCHES
from marketplace.matches.selectors import need_matches_read
from marketplace.models import (
    Event,
    EventParticipant,
    EventTable,
    Meeting,
    Notification,
    ShortlistEntry,
)
from marketplace.notifications.services import notify_organization
from matching.engine import Phrase
from matching.engine import scheduling as solver

SCHEDULE_TIME_LIMIT_S = 5.0


@dataclass(frozen=True, slots=True)
class PairValue:
    value: float
    need_id: int
    capability_id: int


def _manager_check(event: Event, user: User) -> None:
    if not Event.objects.managed_by(user).filter(pk=event.pk).exists():
        raise PermissionDenied(_("只有本活动的组织方可以操作。"))


def _ref(participant: EventParticipant | int) -> str:
    return str(participant if isinstance(participant, int) else participant.pk)


@dataclass(frozen=True, slots=True)
class EventLabels(solver.Labels):
    """The solver's labels, naming tables as the organiser typed them ("洽谈室A")."""

    table_names: Mapping[int, str] = field(default_factory=dict)

    def table(self, table: int) -> str:
        return self.table_names.get(table) or solver.Labels.table(self, table)


def event_labels(event: Event) -> solver.Labels:
    participants = EventParticipant.objects.filter(event=event).select_related("organization")
    return EventLabels(
        names={_ref(p): p.organization.name for p in participants},
        slot_names={slot.index: f"{slot.label}" for slot in event.slots},
        table_names={table.pk: table.name for table in event.tables.all()},
    )


def event_pair_values(event: Event) -> dict[tuple[int, int], PairValue]:
    """{(demand participant id, vendor participant id): best eligible score and its pair}."""
    participants = list(
        EventParticipant.objects.filter(event=event).prefetch_related("needs", "capabilities")
    )
    owner_of: dict[int, int] = {}
    for vendor in (p for p in participants if p.role == EventParticipant.Role.VENDOR):
        for capability in vendor.capabilities.all():
            owner_of[capability.pk] = vendor.pk
    values: dict[tuple[int, int], PairValue] = {}
    for demand in (p for p in participants if p.role == EventParticipant.Role.DEMAND):
        for need in demand.needs.all():
            for match in need_matches_read(need, top=STORED_MATCHES).matches:
                vendor_id = owner_of.get(match.capability_id)
                if vendor_id is None or not match.eligible:
                    continue
                key = (demand.pk, vendor_id)
                if key not in values or match.score > values[key].value:
                    values[key] = PairValue(match.score, need.pk, match.capability_id)
    return values


def met_before(event: Event) -> set[tuple[int, int]]:
    """Participant pairs of this event whose organisations met at an earlier event."""
    participants = {p.organization_id: p.pk for p in EventParticipant.objects.filter(event=event)}
    earlier = Meeting.objects.filter(
        attendance=Meeting.Attendance.MET,
        event__date__lt=event.date,
        demand__organization_id__in=participants,
        vendor__organization_id__in=participants,
    ).values_list("demand__organization_id", "vendor__organization_id")
    return {(participants[d], participants[v]) for d, v in earlier}


def _capacity(event: Event) -> tuple[int, int]:
    slots = len(event.slots)
    return slots, slots * sum(t.capacity for t in event.tables.all())


def _schedule_check_editable(event: Event) -> None:
    if event.schedule_status == Event.ScheduleStatus.PUBLISHED:
        raise ValidationError(_("日程已发布，不能再改名单。请先撤回日程。"))


@transaction.atomic
def event_shortlist_generate(event: Event, user: User) -> solver.Shortlist:
    """Propose, for each demand participant, the vendors it should meet. Pinned pairs stay,
    removed ones stay out; the draft schedule (if any) is discarded."""
    _manager_check(event, user)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _schedule_check_editable(event)
    values = event_pair_values(event)
    entries = list(ShortlistEntry.objects.filter(event=event))
    pinned = {(e.demand_id, e.vendor_id) for e in entries if e.state == ShortlistEntry.State.PINNED}
    removed = {
        (e.demand_id, e.vendor_id) for e in entries if e.state == ShortlistEntry.State.REMOVED
    }
    participants = list(EventParticipant.objects.filter(event=event))
    slot_count, room = _capacity(event)
    spec = solver.ShortlistInput(
        pairs=[solver.Pair(_ref(d), _ref(v), pv.value) for (d, v), pv in sorted(values.items())],
        pinned=frozenset((_ref(d), _ref(v)) for d, v in pinned),
        demands=frozenset(_ref(p) for p in participants if p.role == p.Role.DEMAND),
        excluded=frozenset((_ref(d), _ref(v)) for d, v in removed | met_before(event)),
        vendor_cap={
            _ref(p): p.max_meetings
            for p in participants
            if p.role == p.Role.VENDOR and p.max_meetings is not None
        },
        default_vendor_cap=event.vendor_meeting_cap,
        demand_cap={
            _ref(p): p.max_meetings
            for p in participants
            if p.role == p.Role.DEMAND and p.max_meetings is not None
        },
        min_per_demand=event.min_vendors_per_demand,
        max_meetings=room,
        slot_count=slot_count,
    )
    result = solver.shortlist(spec)
    Meeting.objects.filter(event=event).delete()
    ShortlistEntry.objects.filter(event=event, state=ShortlistEntry.State.PROPOSED).delete()
    for pair in result.pairs:
        key = (int(pair.demand), int(pair.vendor))
        best = values.get(key)
        if pair.pinned:
            # A pair the organiser added by hand gets the need and profile behind it too.
            known = (
                {"best_need_id": best.need_id, "best_capability_id": best.capability_id}
                if best
                else {}
            )
            ShortlistEntry.objects.filter(event=event, demand_id=key[0], vendor_id=key[1]).update(
                value=pair.value, **known
            )
            continue
        ShortlistEntry.objects.create(
            event=event,
            demand_id=key[0],
            vendor_id=key[1],
            value=pair.value,
            best_need_id=best.need_id if best else None,
            best_capability_id=best.capability_id if best else None,
        )
    event.schedule_status = Event.ScheduleStatus.NONE
    event.save(update_fields=["schedule_status", "updated_at"])
    return result


def _participants_check(event: Event, demand: EventParticipant, vendor: EventParticipant) -> None:
    if demand.event_id != event.pk or vendor.event_id != event.pk:
        raise ValidationError(_("双方都必须是本活动的参会机构。"))
    if demand.role != EventParticipant.Role.DEMAND or vendor.role != EventParticipant.Role.VENDOR:
        raise ValidationError(_("对接需在一家需求方和一家供应方之间进行。"))


@transaction.atomic
def shortlist_pair_set(
    event: Event,
    user: User,
    *,
    demand: EventParticipant,
    vendor: EventParticipant,
    state: str,
) -> ShortlistEntry:
    """Add (pinned), pin, unpin (back to proposed) or remove one pair of the draft."""
    _manager_check(event, user)
    # Locked and re-read, as the generators do: a schedule published meanwhile keeps its meetings.
    event = Event.objects.select_for_update().get(pk=event.pk)
    _schedule_check_editable(event)
    _participants_check(event, demand, vendor)
    if state not in ShortlistEntry.State.values:
        raise ValidationError({"state": _("未知的名单状态。")})
    entry, created = ShortlistEntry.objects.get_or_create(
        event=event, demand=demand, vendor=vendor, defaults={"state": state, "manual": True}
    )
    if not created:
        entry.state = state
        entry.save(update_fields=["state", "updated_at"])
    if state == ShortlistEntry.State.REMOVED:
        Meeting.objects.filter(event=event, demand=demand, vendor=vendor).delete()
    return entry


def _schedule_input(
    event: Event, meetings: Sequence[Meeting] | None = None
) -> solver.ScheduleInput:
    entries = ShortlistEntry.objects.filter(event=event).exclude(state=ShortlistEntry.State.REMOVED)
    return solver.ScheduleInput(
        meetings=[(_ref(e.demand_id), _ref(e.vendor_id), e.value) for e in entries],
        slots=[slot.index for slot in event.slots],
        tables={t.pk: t.capacity for t in event.tables.all()},
        time_limit_s=SCHEDULE_TIME_LIMIT_S,
    )


@transaction.atomic
def event_schedule_generate(event: Event, user: User) -> solver.Schedule:
    """Place every active shortlist pair in a (slot, table); a fresh draft each time."""
    _manager_check(event, user)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _schedule_check_editable(event)
    spec = _schedule_input(event)
    if not spec.meetings:
        raise ValidationError(_("推荐名单为空，请先生成名单。"))
    if not spec.tables:
        raise ValidationError(_("活动还没有洽谈桌。"))
    result = solver.schedule(spec)
    Meeting.objects.filter(event=event).delete()
    Meeting.objects.bulk_create(
        Meeting(
            event=event,
            demand_id=int(m.demand),
            vendor_id=int(m.vendor),
            value=m.value,
            slot=m.slot,
            table_id=m.table,
        )
        for m in result.meetings
    )
    event.schedule_status = Event.ScheduleStatus.DRAFT
    event.save(update_fields=["schedule_status", "updated_at"])
    return result


def _current(event: Event, *, skip: Meeting | None = None) -> solver.Schedule:
    meetings = [
        solver.ScheduledMeeting(_ref(m.demand_id), _ref(m.vendor_id), m.value, m.slot, m.table_id)
        for m in Meeting.objects.filter(event=event)
        if skip is None or m.pk != skip.pk
    ]
    return solver.Schedule(
        meetings=meetings,
        unscheduled=[],
        objective=sum(m.value for m in meetings),
        status=solver.ScheduleStatus.FEASIBLE,
    )


def _refuse_broken_rules(
    event: Event, demand_id: int, vendor_id: int, slot: int, table: EventTable
) -> None:
    """Refuse, naming every rule it breaks, a meeting of the pair in this slot at this table."""
    broken = solver.validate_move(
        _schedule_input(event),
        _current(event),
        (_ref(demand_id), _ref(vendor_id)),
        slot,
        table.pk,
        labels=event_labels(event),
    )
    if broken:
        raise ValidationError([violation.message for violation in broken])


@transaction.atomic
def meeting_move(meeting: Meeting, user: User, *, slot: int, table: EventTable) -> Meeting:
    """The organiser's hand edit; refused, naming the rule, if it breaks one."""
    event = Event.objects.select_for_update().get(pk=meeting.event_id)
    _manager_check(event, user)
    if table.event_id != event.pk:
        raise ValidationError({"table": _("洽谈桌不属于本活动。")})
    _refuse_broken_rules(event, meeting.demand_id, meeting.vendor_id, slot, table)
    meeting.slot = slot
    meeting.table = table
    meeting.save(update_fields=["slot", "table"])
    if event.schedule_status == Event.ScheduleStatus.PUBLISHED:
        _notify_change(event, meeting)
    return meeting


@transaction.atomic
def meeting_place(entry: ShortlistEntry, user: User, *, slot: int, table: EventTable) -> Meeting:
    """The organiser places by hand a shortlisted pair the schedule left out (too few slots or
    tables); refused, naming the rule, if it breaks one. In a published schedule both sides are
    told, as for a move."""
    event = Event.objects.select_for_update().get(pk=entry.event_id)
    _manager_check(event, user)
    if event.schedule_status == Event.ScheduleStatus.NONE:
        raise ValidationError(_("还没有日程，请先生成日程。"))
    if table.event_id != event.pk:
        raise ValidationError({"table": _("洽谈桌不属于本活动。")})
    entry = ShortlistEntry.objects.get(pk=entry.pk)  # as it is now, under the event's lock
    if entry.state == ShortlistEntry.State.REMOVED:
        raise ValidationError(_("该配对已从推荐名单中移除。"))
    pair = Meeting.objects.filter(event=event, demand_id=entry.demand_id, vendor_id=entry.vendor_id)
    if pair.exists():
        raise ValidationError(_("该配对已在日程中，请直接调整它的时段或洽谈桌。"))
    _refuse_broken_rules(event, entry.demand_id, entry.vendor_id, slot, table)
    meeting = Meeting.objects.create(
        event=event,
        demand_id=entry.demand_id,
        vendor_id=entry.vendor_id,
        value=entry.value,
        slot=slot,
        table=table,
    )
    if event.schedule_status == Event.ScheduleStatus.PUBLISHED:
        _notify_change(event, meeting)
    return meeting


def _notify_change(event: Event, meeting: Meeting) -> None:
    start, _end = event.slot_datetimes(meeting.slot)
    for participant in (meeting.demand, meeting.vendor):
        notify_organization(
            participant.organization_id,
            kind=Notification.Kind.SCHEDULE,
            key=f"event:{event.pk}:meeting:{meeting.pk}:{meeting.slot}:{meeting.table_id}",
            title=Phrase.of(
                gettext_noop("%(event)s：会谈时间调整为 %(time)s，%(table)s"),
                event=event.name,
                time=f"{start:%H:%M}",
                table=meeting.table.name,
            ),
            url=reverse("events:event_agenda", args=[event.pk, participant.pk]),
        )


@transaction.atomic
def event_schedule_publish(event: Event, user: User) -> Event:
    """Publish the draft; every participant is notified with a link to its agenda."""
    _manager_check(event, user)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.schedule_status != Event.ScheduleStatus.DRAFT:
        raise ValidationError(_("只有草稿日程可以发布。"))
    now = timezone.now()
    event.schedule_status = Event.ScheduleStatus.PUBLISHED
    event.schedule_published_at = now
    event.save(update_fields=["schedule_status", "schedule_published_at", "updated_at"])
    counts: dict[int, int] = {}
    for meeting in Meeting.objects.filter(event=event):
        for side in (meeting.demand_id, meeting.vendor_id):
            counts[side] = counts.get(side, 0) + 1
    for participant in EventParticipant.objects.filter(event=event).select_related("organization"):
        notify_organization(
            participant.organization_id,
            kind=Notification.Kind.SCHEDULE,
            key=f"event:{event.pk}:published:{now:%Y%m%d%H%M%S}",
            title=Phrase.of(
                gettext_noop("%(event)s 会谈日程已发布：贵方共 %(n)d 场会谈"),
                event=event.name,
                n=counts.get(participant.pk, 0),
            ),
            url=reverse("events:event_agenda", args=[event.pk, participant.pk]),
        )
    audit_record(actor=user, action=Action.SCHEDULE_PUBLISH, target=event)
    return event


@transaction.atomic
def event_schedule_unpublish(event: Event, user: User) -> Event:
    _manager_check(event, user)
    if event.schedule_status != Event.ScheduleStatus.PUBLISHED:
        raise ValidationError(_("日程尚未发布。"))
    event.schedule_status = Event.ScheduleStatus.DRAFT
    event.save(update_fields=["schedule_status", "updated_at"])
    audit_record(actor=user, action=Action.SCHEDULE_UNPUBLISH, target=event)
    return event
