"""Writes to events: creation, time slots and tables, registration, outcomes.

The shortlist and the schedule are made by the matcher (marketplace/events/scheduling.py); this
module keeps the rules people and forms touch directly.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from marketplace.audit.services import Action, audit_record, changed_fields
from marketplace.models import (
    Capability,
    Domain,
    Event,
    EventParticipant,
    EventTable,
    Meeting,
    Need,
)

EVENT_FIELDS = (
    "name",
    "date",
    "venue",
    "district",
    "city",
    "description",
    "starts_at",
    "ends_at",
    "meeting_minutes",
    "min_vendors_per_demand",
    "vendor_meeting_cap",
)


def _clock(text: str) -> datetime.time:
    """'9:00', '09:00' or '9：00' (a full-width colon, as Chinese keyboards type it)."""
    hours, colon, minutes = text.strip().replace("：", ":").partition(":")
    if not colon or not hours.isdigit() or len(minutes) != 2 or not minutes.isdigit():
        raise ValueError(text)
    return datetime.time(int(hours), int(minutes))


def parse_breaks(text: str) -> list[list[str]]:
    """'10:20-10:40, 12:00-13:00' → [["10:20", "10:40"], ["12:00", "13:00"]], or a clear error."""
    spans: list[list[str]] = []
    for raw in text.replace("，", ",").replace("；", ",").replace(";", ",").split(","):
        part = raw.strip().replace("–", "-").replace("—", "-").replace("～", "-").replace("~", "-")
        if not part:
            continue
        try:
            start_text, end_text = part.split("-")
            start = _clock(start_text)
            end = _clock(end_text)
        except ValueError as error:
            raise ValidationError(
                {"breaks": _("休息时段“%(part)s”格式不对，应写成 10:20-10:40。") % {"part": part}}
            ) from error
        if start >= end:
            raise ValidationError(
                {"breaks": _("休息时段“%(part)s”的结束时间应晚于开始时间。") % {"part": part}}
            )
        spans.append([f"{start:%H:%M}", f"{end:%H:%M}"])
    return sorted(spans)


def parse_tables(text: str) -> list[tuple[str, int]]:
    """One per line, '名称' or '名称, 容量': [("1号桌", 1), ("洽谈室A", 3)]."""
    tables: list[tuple[str, int]] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        name, _sep, capacity_text = line.replace("，", ",").partition(",")
        name = name.strip()
        try:
            capacity = int(capacity_text.strip() or 1)
        except ValueError as error:
            raise ValidationError(
                {"tables": _("第 %(n)d 行：容量应为整数。") % {"n": number}}
            ) from error
        if not 1 <= capacity <= 50:
            raise ValidationError(
                {"tables": _("第 %(n)d 行：容量应在 1–50 之间。") % {"n": number}}
            )
        if not name or len(name) > 64:
            raise ValidationError(
                {"tables": _("第 %(n)d 行：请填写桌号或洽谈室名称。") % {"n": number}}
            )
        if name in seen:
            raise ValidationError(
                {"tables": _("第 %(n)d 行：名称“%(name)s”重复。") % {"n": number, "name": name}}
            )
        seen.add(name)
        tables.append((name, capacity))
    if not tables:
        raise ValidationError({"tables": _("至少需要一张洽谈桌。")})
    return tables


def tables_text(event: Event) -> str:
    return "\n".join(f"{t.name}, {t.capacity}" for t in event.tables.all())


def _organizer_check(event: Event | None, user: User) -> None:
    if not user.is_organizer:
        raise PermissionDenied(_("只有组织方可以管理活动。"))
    if event is not None and not Event.objects.managed_by(user).filter(pk=event.pk).exists():
        raise PermissionDenied(_("只有本活动的组织方可以管理。"))


def _check_slots(event: Event) -> None:
    event.full_clean(exclude=["organizer", "ref"])
    if not event.slots:
        raise ValidationError({"ends_at": _("按当前时间和会谈时长排不出任何时段。")})


def _check_date_not_past(event: Event) -> None:
    """An event is created, or moved, to today or later; past events exist only as history."""
    if event.date < timezone.localdate():
        raise ValidationError(
            {"date": _("活动日期不能早于今天：不能把活动创建或改期到过去的日期。")}
        )


def registration_closed_message(event: Event) -> str:
    """Why an organisation may not register or withdraw itself."""
    if event.has_started():
        return _("报名已截止：报名在活动开始时（%(start)s）截止。") % {
            "start": f"{timezone.localtime(event.start()):%Y-%m-%d %H:%M}"
        }
    return _("报名已截止，请联系组织方。")


def _set_tables(event: Event, tables: Sequence[tuple[str, int]]) -> None:
    keep = {name for name, _capacity in tables}
    used = set(
        Meeting.objects.filter(event=event)
        .exclude(table__name__in=keep)
        .values_list("table__name", flat=True)
    )
    if used:
        raise ValidationError(
            {
                "tables": _("洽谈桌“%(names)s”已排有会谈，不能删除。")
                % {"names": _("、").join(sorted(used))}
            }
        )
    # A smaller room must still hold the meetings already placed in it at the same time.
    capacity_of = dict(tables)
    at_once = (
        Meeting.objects.filter(event=event)
        .values("table__name", "slot")
        .annotate(count=Count("pk"))
        .order_by("table__name")
    )
    crowded = sorted(
        {row["table__name"] for row in at_once if row["count"] > capacity_of[row["table__name"]]}
    )
    if crowded:
        raise ValidationError(
            {
                "tables": _("洽谈桌“%(names)s”同一时段已排的会谈多于新的容量。")
                % {"names": _("、").join(crowded)}
            }
        )
    EventTable.objects.filter(event=event).exclude(name__in=keep).delete()
    for position, (name, capacity) in enumerate(tables):
        EventTable.objects.update_or_create(
            event=event, name=name, defaults={"capacity": capacity, "position": position}
        )


@transaction.atomic
def event_create(
    *,
    user: User,
    fields: dict[str, Any],
    breaks: list[list[str]],
    tables: Sequence[tuple[str, int]],
    domains: Iterable[Domain] = (),
    organizer: Organization | None = None,
) -> Event:
    _organizer_check(None, user)
    owner = organizer or user.organization
    if owner is None or owner.kind != Organization.Kind.ORGANIZER:
        raise ValidationError(_("活动必须属于一个组织方机构。"))
    event = Event(
        organizer=owner, breaks=breaks, **{k: fields[k] for k in EVENT_FIELDS if k in fields}
    )
    _check_slots(event)
    _check_date_not_past(event)
    event.save()
    event.domains.set(list(domains))
    _set_tables(event, tables)
    audit_record(actor=user, action=Action.CREATE, target=event)
    return event


@transaction.atomic
def event_update(
    event: Event,
    *,
    user: User,
    fields: dict[str, Any],
    breaks: list[list[str]],
    tables: Sequence[tuple[str, int]],
    domains: Iterable[Domain] | None = None,
) -> Event:
    _organizer_check(event, user)
    # Compare with the stored row, locked: the caller's copy may be stale or already edited
    # (a ModelForm writes onto its instance), and the schedule may have been published since.
    stored = Event.objects.select_for_update().get(pk=event.pk)
    timing = ("date", "starts_at", "ends_at", "meeting_minutes")
    before = [getattr(stored, name) for name in timing] + [stored.breaks]
    changed = changed_fields(stored, {**fields, "breaks": breaks}, {"domains": domains})
    for name in EVENT_FIELDS:
        if name in fields:
            setattr(event, name, fields[name])
    event.breaks = breaks
    after = [getattr(event, name) for name in timing] + [event.breaks]
    _check_slots(event)
    if event.date != stored.date:
        _check_date_not_past(event)
    if before != after and event.meetings.exists():
        last_slot = max(event.meetings.values_list("slot", flat=True))
        if stored.schedule_status == Event.ScheduleStatus.PUBLISHED:
            raise ValidationError(_("日程已发布，不能再改时间安排。请先撤回日程。"))
        if last_slot >= len(event.slots):
            raise ValidationError(
                {
                    "ends_at": _("已排的会谈用到第 %(n)d 个时段，新的时间安排不够。")
                    % {"n": last_slot + 1}
                }
            )
    # Only what this service sets: a stale copy must not undo a publication or registration.
    event.save(update_fields=[*EVENT_FIELDS, "breaks", "updated_at"])
    if domains is not None:
        event.domains.set(list(domains))
    _set_tables(event, tables)
    audit_record(actor=user, action=Action.EDIT, target=event, details={"fields": changed})
    return event


@transaction.atomic
def event_registration_set(event: Event, *, user: User, open_: bool) -> Event:
    _organizer_check(event, user)
    if open_ and event.has_started():
        raise ValidationError(_("活动已开始，不能重新开放报名：报名在活动开始时截止。"))
    event.registration_open = open_
    event.save(update_fields=["registration_open", "updated_at"])
    return event


@transaction.atomic
def participant_register(
    event: Event,
    *,
    user: User,
    organization: Organization,
    needs: Iterable[Need] = (),
    capabilities: Iterable[Capability] = (),
    max_meetings: int | None = None,
) -> EventParticipant:
    """Register (or update) an organisation: its own members while registration is open and
    the event has not started, or the event's organiser at any time, acting for one that is not
    comfortable online."""
    acting_for = user.organization_id != organization.pk
    if acting_for:
        _organizer_check(event, user)
    elif not event.accepts_registrations:
        raise ValidationError(registration_closed_message(event))
    if max_meetings is not None and not 1 <= max_meetings <= 100:
        raise ValidationError({"max_meetings": _("会谈上限应在 1–100 之间。")})
    if not organization.is_approved:
        raise ValidationError(_("机构通过审核后才能报名。"))
    if organization.kind == Organization.Kind.DEMAND:
        role = EventParticipant.Role.DEMAND
        chosen_needs = list(needs)
        wrong = [n.title for n in chosen_needs if n.organization_id != organization.pk]
        if wrong or any(n.status not in Need.PUBLIC_STATUSES for n in chosen_needs):
            raise ValidationError({"needs": _("只能选择本机构已发布的需求。")})
        if not chosen_needs:
            raise ValidationError({"needs": _("请至少选择一条带来的需求。")})
        chosen_caps: list[Capability] = []
    elif organization.kind == Organization.Kind.VENDOR:
        role = EventParticipant.Role.VENDOR
        chosen_caps = list(capabilities)
        if any(
            c.organization_id != organization.pk or c.status != Capability.Status.PUBLISHED
            for c in chosen_caps
        ):
            raise ValidationError({"capabilities": _("只能选择本机构已发布的能力档案。")})
        if not chosen_caps:
            raise ValidationError({"capabilities": _("请至少选择一个能力档案。")})
        chosen_needs = []
    else:
        raise ValidationError(_("组织方机构不能作为参会方报名。"))
    participant, _created = EventParticipant.objects.update_or_create(
        event=event,
        organization=organization,
        defaults={
            "role": role,
            "max_meetings": max_meetings,
            "registered_by": user,
            "on_behalf": acting_for,
        },
    )
    participant.needs.set(chosen_needs)
    participant.capabilities.set(chosen_caps)
    return participant


@dataclass(frozen=True)
class Registration:
    """One organisation of a bulk registration, with what it brings."""

    organization: Organization
    needs: Sequence[Need] = ()
    capabilities: Sequence[Capability] = ()


@transaction.atomic
def participants_register_many(
    event: Event, *, user: User, registrations: Sequence[Registration]
) -> list[EventParticipant]:
    """Register several organisations at once, for the event's organiser: all or none.

    Each goes through ``participant_register``'s rules and is recorded in the audit log. An
    organisation already registered is refused: its choices are changed on its own page."""
    _organizer_check(event, user)
    if not registrations:
        raise ValidationError(_("请至少选择一家机构。"))
    organizations = [registration.organization for registration in registrations]
    if len({organization.pk for organization in organizations}) < len(organizations):
        raise ValidationError(_("同一家机构只能选择一次。"))
    registered = sorted(
        EventParticipant.objects.filter(event=event, organization__in=organizations).values_list(
            "organization__name", flat=True
        )
    )
    if registered:
        raise ValidationError(_("这些机构已经报名：%(names)s。") % {"names": "、".join(registered)})
    participants = []
    for registration in registrations:
        try:
            participant = participant_register(
                event,
                user=user,
                organization=registration.organization,
                needs=registration.needs,
                capabilities=registration.capabilities,
            )
        except ValidationError as error:
            raise ValidationError(
                _("%(name)s：%(reason)s")
                % {"name": registration.organization.name, "reason": "".join(error.messages)}
            ) from error
        audit_record(
            actor=user,
            action=Action.CREATE,
            target=participant,
            details={**_about(participant), "bulk": "1"},
        )
        participants.append(participant)
    return participants


def _about(participant: EventParticipant) -> dict[str, str]:
    return {"event": participant.event.name, "organization": participant.organization.name}


@transaction.atomic
def participant_remove(participant: EventParticipant, *, user: User) -> None:
    own = user.organization_id == participant.organization_id
    if not own:
        _organizer_check(participant.event, user)
    elif not participant.event.accepts_registrations:
        raise ValidationError(_("报名已截止，退出请联系组织方。"))
    if (
        Meeting.objects.filter(event=participant.event)
        .for_organization(participant.organization_id)
        .exists()
    ):
        raise ValidationError(_("该机构已排有会谈，请先在日程中移除其会谈。"))
    audit_record(actor=user, action=Action.DELETE, target=participant, details=_about(participant))
    participant.delete()


@transaction.atomic
def meeting_record_outcome(
    meeting: Meeting,
    *,
    user: User,
    attendance: str,
    outcome: str,
    pilot_site: str = "",
    pilot_start: datetime.date | None = None,
    pilot_end: datetime.date | None = None,
    note: str = "",
) -> Meeting:
    """Met or no-show, and what came of it. A pilot needs its site and both dates."""
    sides = {meeting.demand.organization_id, meeting.vendor.organization_id}
    if user.organization_id not in sides:
        _organizer_check(meeting.event, user)
    if meeting.event.date > timezone.localdate():
        raise ValidationError(_("活动尚未举行，不能记录会谈结果。"))
    if attendance not in Meeting.Attendance.values:
        raise ValidationError({"attendance": _("请选择到场情况。")})
    if outcome not in Meeting.Outcome.values:
        raise ValidationError({"outcome": _("请选择对接结果。")})
    if attendance != Meeting.Attendance.MET and outcome != Meeting.Outcome.NONE:
        raise ValidationError({"outcome": _("未会谈的记录不能填写对接结果。")})
    errors: dict[str, str] = {}
    if outcome == Meeting.Outcome.PILOT:
        if not pilot_site.strip():
            errors["pilot_site"] = _("试点需要填写试点地点。")
        if pilot_start is None:
            errors["pilot_start"] = _("试点需要填写开始日期。")
        if pilot_end is None:
            errors["pilot_end"] = _(
                "试点需要填写结束日期（养老机器人试点验证期通常不少于 6 个月）。"
            )
    if pilot_start and pilot_end and pilot_start > pilot_end:
        errors["pilot_end"] = _("试点结束日期不能早于开始日期。")
    if errors:
        raise ValidationError(errors)
    meeting.attendance = attendance
    meeting.outcome = outcome
    keep_pilot = outcome in (Meeting.Outcome.PILOT, Meeting.Outcome.DEPLOYMENT)
    meeting.pilot_site = pilot_site.strip() if keep_pilot else ""
    meeting.pilot_start = pilot_start if keep_pilot else None
    meeting.pilot_end = pilot_end if keep_pilot else None
    meeting.outcome_note = note.strip()
    meeting.outcome_recorded_at = timezone.now()
    meeting.full_clean()
    meeting.save()
    return meeting
