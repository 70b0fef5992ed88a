"""Files out of an event: the schedule as a workbook, the shortlist as CSV, and one
participant's meetings as an iCalendar file.

Every text cell goes through ``safe_cell`` (``xlsx_append`` in a workbook): organisation names
and need titles are typed by users, and a name starting with "=" must not run as a formula in
Excel, nor a control character in one name stop the whole schedule being written.
"""

from __future__ import annotations

import csv
import datetime
import io
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from accounts.models import User
from marketplace.audit.services import Action, audit_record
from marketplace.common.scores import score_percent
from marketplace.common.spreadsheets import safe_cell, xlsx_append
from marketplace.events.selectors import (
    MeetingRow,
    meeting_rows,
    participant_meetings,
    schedule_meetings,
)
from marketplace.models import Event, EventParticipant, Meeting, ShortlistEntry

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"
# Every 供需对接会 is held in Qingdao, whatever the server's zone.
EVENT_TIME_ZONE = ZoneInfo("Asia/Shanghai")


def export_filename(event: Event, what: str, extension: str) -> str:
    """ASCII only, so every browser keeps it: robomatch-event-12-schedule.xlsx."""
    return f"robomatch-event-{event.pk}-{what}.{extension}"


def _schedule_columns() -> list[str]:
    return [
        _("时段"),
        _("开始"),
        _("结束"),
        _("洽谈桌"),
        _("需求方"),
        _("供应方"),
        _("需求"),
        _("能力档案"),
        _("匹配分"),
    ]


def _schedule_row(row: MeetingRow) -> list[object]:
    meeting = row.meeting
    return [
        meeting.slot + 1,
        f"{row.slot.start:%H:%M}" if row.slot else "",
        f"{row.slot.end:%H:%M}" if row.slot else "",
        meeting.table.name,
        meeting.demand.organization.name,
        meeting.vendor.organization.name,
        row.need.title if row.need else "",
        row.capability.title if row.capability else "",
        row.score,
    ]


def _fill(sheet: Worksheet, header: list[str], rows: list[list[object]]) -> None:
    xlsx_append(sheet, header)
    for values in rows:
        xlsx_append(sheet, values)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHI", (6, 8, 8, 14, 28, 28, 36, 36, 8), strict=True):
        sheet.column_dimensions[column].width = width


def schedule_xlsx(event: Event, *, actor: User) -> bytes:
    """Two sheets: every meeting in time order, and the same meetings table by table (what
    each table's host prints). The export is recorded in the audit log under ``actor``."""
    rows = meeting_rows(event, schedule_meetings(event))
    workbook = Workbook()
    by_time = workbook.active
    assert by_time is not None
    by_time.title = _("按时间")
    _fill(by_time, _schedule_columns(), [_schedule_row(row) for row in rows])
    by_table = workbook.create_sheet(_("按洽谈桌"))
    table_order = sorted(
        rows, key=lambda r: (r.meeting.table.position, r.meeting.table_id, r.meeting.slot)
    )
    columns = _schedule_columns()
    columns.insert(0, columns.pop(3))  # the table first
    table_rows = []
    for row in table_order:
        values = _schedule_row(row)
        values.insert(0, values.pop(3))
        table_rows.append(values)
    _fill(by_table, columns, table_rows)
    output = io.BytesIO()
    workbook.save(output)
    content = output.getvalue()
    audit_record(actor=actor, action=Action.EXPORT, target=event, details={"file": "schedule"})
    return content


def shortlist_csv(event: Event, *, actor: User) -> bytes:
    """The shortlist with scores, UTF-8 with a byte-order mark so Excel reads the Chinese.
    The export is recorded in the audit log under ``actor``."""
    entries = (
        ShortlistEntry.objects.filter(event=event)
        .select_related(
            "demand__organization", "vendor__organization", "best_need", "best_capability"
        )
        .order_by("demand__organization__name", "-value", "pk")
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [_("需求方"), _("供应方"), _("匹配分"), _("状态"), _("手动添加"), _("需求"), _("能力档案")]
    )
    for entry in entries:
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    entry.demand.organization.name,
                    entry.vendor.organization.name,
                    score_percent(entry.value),
                    entry.get_state_display(),
                    _("是") if entry.manual else _("否"),
                    entry.best_need.title if entry.best_need else "",
                    entry.best_capability.title if entry.best_capability else "",
                )
            ]
        )
    content = buffer.getvalue().encode("utf-8-sig")
    audit_record(actor=actor, action=Action.EXPORT, target=event, details={"file": "shortlist"})
    return content


def _uid(event: Event, meeting: Meeting) -> str:
    """One per pair, not per row: regenerating or moving a meeting updates the same calendar
    entry instead of adding a second one."""
    host = urlsplit(settings.SITE_URL).hostname or "robomatch"
    return f"event-{event.pk}-meeting-{meeting.demand_id}-{meeting.vendor_id}@{host}"


def _aware(value: datetime.datetime) -> datetime.datetime:
    return value.replace(tzinfo=EVENT_TIME_ZONE)


def participant_ics(event: Event, participant: EventParticipant) -> bytes:
    """One VEVENT per meeting of the participant: the other side, the venue and table."""
    meetings = participant_meetings(event, participant)
    stamp = event.schedule_published_at or timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//RoboMatch//Event agenda//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{event.name} · {participant.organization.name}")
    for row in meeting_rows(event, meetings):
        if row.starts_at is None or row.ends_at is None:
            continue
        meeting = row.meeting
        other = row.other_side(participant)
        entry = icalendar.Event()
        entry.add("uid", _uid(event, meeting))
        entry.add("dtstamp", stamp)
        entry.add("dtstart", _aware(row.starts_at))
        entry.add("dtend", _aware(row.ends_at))
        entry.add(
            "summary",
            _("%(event)s：与 %(other)s 会谈")
            % {"event": event.name, "other": other.organization.name},
        )
        entry.add("location", " ".join(p for p in (event.venue, meeting.table.name) if p))
        details = [
            _("需求：%(title)s") % {"title": row.need.title} if row.need else "",
            _("能力档案：%(title)s") % {"title": row.capability.title} if row.capability else "",
        ]
        if any(details):
            entry.add("description", "\n".join(d for d in details if d))
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
