"""The organiser's shortlist and schedule pages for an event.

They live in ``matching`` because they call the matcher (``marketplace.events.scheduling``), and
``marketplace`` never imports ``matching``. The templates sit with the other event pages in
``templates/marketplace/`` and share their tabs. Organiser tools: 404 for everyone else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.typing import AuthenticatedHttpRequest
from marketplace.common.views import organizer_required, paginate
from marketplace.events import scheduling as event_services
from marketplace.events.messages import shortfall_message
from marketplace.events.schedule_forms import MeetingMoveForm, ShortlistPairForm
from marketplace.events.selectors import (
    demands_below_minimum,
    meeting_rows,
    schedule_meetings,
    unscheduled_pairs,
)
from marketplace.events.views.feedback import next_to, split_messages
from marketplace.models import Event, EventParticipant, EventTable, Meeting, ShortlistEntry


def _managed(request: AuthenticatedHttpRequest, pk: int) -> Event:
    return get_object_or_404(Event.objects.managed_by(request.user), pk=pk)


def _back(request: HttpRequest, url_name: str, event: Event, anchor: str = "") -> HttpResponse:
    """Back to the page (and the page number) the form was on."""
    url = reverse(url_name, args=[event.pk])
    page = request.POST.get("page", "")
    if page.isdigit():
        url += f"?page={page}"
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


def _back_to_meeting(request: HttpRequest, event: Event, meeting: Meeting) -> HttpResponse:
    """To the page of the schedule list that holds the meeting now, opened at it."""
    order = list(schedule_meetings(event).values_list("pk", flat=True))
    page = order.index(meeting.pk) // settings.MARKETPLACE_PAGE_SIZE + 1
    url = reverse("events:event_schedule", args=[event.pk])
    return HttpResponseRedirect(f"{url}?page={page}#meeting-{meeting.pk}")


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@organizer_required
def event_shortlist(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The draft shortlist, a page of demand organisations at a time, each with its vendors."""
    event = _managed(request, pk)
    demands = (
        EventParticipant.objects.filter(event=event, role=EventParticipant.Role.DEMAND)
        .select_related("organization")
        .order_by("organization__name")
    )
    page = paginate(request, demands)
    entries = (
        ShortlistEntry.objects.filter(event=event, demand__in=list(page.object_list))
        .select_related("vendor__organization", "best_need", "best_capability")
        .order_by("-value", "vendor__organization__name")
    )
    by_demand: dict[int, list[ShortlistEntry]] = defaultdict(list)
    for entry in entries:
        by_demand[entry.demand_id].append(entry)
    groups = [
        (
            demand,
            [e for e in by_demand[demand.pk] if e.state != ShortlistEntry.State.REMOVED],
            [e for e in by_demand[demand.pk] if e.state == ShortlistEntry.State.REMOVED],
        )
        for demand in page.object_list
    ]
    active = ShortlistEntry.objects.filter(event=event).exclude(state=ShortlistEntry.State.REMOVED)
    return render(
        request,
        "marketplace/event_shortlist.html",
        {
            "event": event,
            "page": page,
            "groups": groups,
            "pair_count": active.count(),
            "pinned_count": active.filter(state=ShortlistEntry.State.PINNED).count(),
            "below_minimum": demands_below_minimum(event),
            "has_schedule": Meeting.objects.filter(event=event).exists(),
            "is_published": event.schedule_status == Event.ScheduleStatus.PUBLISHED,
            "add_form": ShortlistPairForm(event=event),
        },
    )


@organizer_required
@require_POST
def event_shortlist_generate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed(request, pk)
    try:
        result = event_services.event_shortlist_generate(event, request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("已生成推荐名单：%(n)d 对（其中锁定 %(pinned)d 对）。")
            % {"n": len(result.pairs), "pinned": sum(1 for p in result.pairs if p.pinned)},
        )
        names = dict(
            EventParticipant.objects.filter(event=event).values_list("pk", "organization__name")
        )
        for shortfall in result.shortfalls:
            name = names.get(int(shortfall.demand), shortfall.demand)
            messages.warning(request, shortfall_message(shortfall, name))
    return _back(request, "events:event_shortlist", event)


@organizer_required
@require_POST
def event_shortlist_pair(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed(request, pk)
    form = ShortlistPairForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, _("请选择本活动的一家需求方和一家供应方。"))
        return _back(request, "events:event_shortlist", event)
    demand, vendor = form.cleaned_data["demand"], form.cleaned_data["vendor"]
    state = form.cleaned_data["state"]
    try:
        event_services.shortlist_pair_set(
            event, request.user, demand=demand, vendor=vendor, state=state
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        done = {
            ShortlistEntry.State.PINNED: _("已锁定：%(demand)s × %(vendor)s。"),
            ShortlistEntry.State.PROPOSED: _("已取消锁定：%(demand)s × %(vendor)s。"),
            ShortlistEntry.State.REMOVED: _("已移除：%(demand)s × %(vendor)s。"),
        }[state]
        messages.success(
            request,
            done % {"demand": demand.organization.name, "vendor": vendor.organization.name},
        )
    return _back(request, "events:event_shortlist", event, anchor=f"demand-{demand.pk}")


@organizer_required
def event_schedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The grid (slot × table) for an overview, and the meetings slot by slot with a move
    form each: the list is what a phone shows."""
    event = _managed(request, pk)
    tables = list(event.tables.all())
    slots = event.slots
    meetings = schedule_meetings(event)
    cells: dict[tuple[int, int], list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        cells[(meeting.slot, meeting.table_id)].append(meeting)
    grid = [(slot, [(table, cells[(slot.index, table.pk)]) for table in tables]) for slot in slots]
    page = paginate(request, meetings)
    rows = meeting_rows(event, page.object_list)
    unscheduled = unscheduled_pairs(event)
    # The result of a move or a placing is shown at the meeting (or pair) it is about.
    top, beside = split_messages(
        request,
        {f"meeting-{row.meeting.pk}" for row in rows} | {f"entry-{e.pk}" for e in unscheduled},
    )
    return render(
        request,
        "marketplace/event_schedule.html",
        {
            "event": event,
            "tables": tables,
            "slots": slots,
            "grid": grid,
            "page": page,
            "rows": rows,
            "listing": [(row, beside.get(f"meeting-{row.meeting.pk}", [])) for row in rows],
            "page_messages": top,
            "meeting_count": meetings.count(),
            "unscheduled": unscheduled,
            "unscheduled_listing": [
                (entry, beside.get(f"entry-{entry.pk}", [])) for entry in unscheduled
            ],
            "is_published": event.schedule_status == Event.ScheduleStatus.PUBLISHED,
            "is_draft": event.schedule_status == Event.ScheduleStatus.DRAFT,
        },
    )


@organizer_required
@require_POST
def event_schedule_generate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed(request, pk)
    try:
        result = event_services.event_schedule_generate(event, request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("已生成日程草稿：%(n)d 场会谈。") % {"n": len(result.meetings)})
        if result.unscheduled:
            messages.warning(
                request,
                _("%(n)d 场会谈排不进时段，见下方“未排入的会谈”。")
                % {"n": len(result.unscheduled)},
            )
    return _back(request, "events:event_schedule", event)


def _timetable_edit(
    request: AuthenticatedHttpRequest,
    event: Event,
    edit: Callable[[int, EventTable], Meeting],
    *,
    done: str,
    anchor: str,
) -> HttpResponse:
    """Read a slot and a table from the form and hand them to ``edit`` (a move or a placing);
    a rule it would break is said in the message, and nothing changes. The page opens at the
    meeting, or on a refusal at ``anchor`` (the element the form was in), with the message
    there."""
    form = MeetingMoveForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, _("请选择本活动的时段和洽谈桌。"), extra_tags=next_to(anchor))
        return _back(request, "events:event_schedule", event, anchor=anchor)
    try:
        meeting = edit(form.cleaned_data["slot"], form.cleaned_data["table"])
    except ValidationError as error:
        messages.error(
            request,
            _("不能这样调整：%(rules)s") % {"rules": _("；").join(error.messages)},
            extra_tags=next_to(anchor),
        )
        return _back(request, "events:event_schedule", event, anchor=anchor)
    messages.success(request, done, extra_tags=next_to(f"meeting-{meeting.pk}"))
    return _back_to_meeting(request, event, meeting)


@organizer_required
@require_POST
def event_meeting_move(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    event = _managed(request, pk)
    meeting = get_object_or_404(Meeting, event=event, pk=meeting_pk)
    return _timetable_edit(
        request,
        event,
        lambda slot, table: event_services.meeting_move(
            meeting, request.user, slot=slot, table=table
        ),
        done=_("会谈已调整。"),
        anchor=f"meeting-{meeting.pk}",
    )


@organizer_required
@require_POST
def event_meeting_place(request: AuthenticatedHttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Place a shortlisted pair the schedule left out in the slot and table the organiser picks."""
    event = _managed(request, pk)
    entry = get_object_or_404(ShortlistEntry, event=event, pk=entry_pk)
    return _timetable_edit(
        request,
        event,
        lambda slot, table: event_services.meeting_place(
            entry, request.user, slot=slot, table=table
        ),
        done=_("会谈已排入日程。"),
        anchor=f"entry-{entry.pk}",
    )


def _schedule_switch(
    request: AuthenticatedHttpRequest, pk: int, service: Callable[[Event, User], Event], done: str
) -> HttpResponse:
    """Publish or take back the schedule: ``service`` does it, ``done`` says so."""
    event = _managed(request, pk)
    try:
        service(event, request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, done)
    return _back(request, "events:event_schedule", event)


@organizer_required
@require_POST
def event_schedule_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _schedule_switch(
        request,
        pk,
        event_services.event_schedule_publish,
        _("日程已发布，已通知所有参会机构。"),
    )


@organizer_required
@require_POST
def event_schedule_unpublish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _schedule_switch(
        request,
        pk,
        event_services.event_schedule_unpublish,
        _("日程已撤回为草稿，参会机构暂时看不到日程。"),
    )
