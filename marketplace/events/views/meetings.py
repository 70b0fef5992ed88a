"""Meetings of an event: a participant's agenda (page, PDF and calendar file), the organiser's
exports, and the outcomes recorded after the event.

A participant's members see their own agenda once the schedule is published; the organiser
sees every agenda, drafts included. Everyone else gets 404.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import add_service_errors
from accounts.typing import AuthenticatedHttpRequest
from marketplace.common.views import organizer_required, paginate
from marketplace.events import agenda_pdf
from marketplace.events import exports as event_exports
from marketplace.events import services as event_services
from marketplace.events.forms import MeetingOutcomeForm
from marketplace.events.selectors import (
    event_is_managed_by,
    meeting_rows,
    meetings_visible_to,
    participant_meetings,
    participant_of,
    participants_visible_to,
)
from marketplace.models import Event, EventParticipant

logger = logging.getLogger(__name__)


def _visible_participant(
    request: AuthenticatedHttpRequest, pk: int, participant_pk: int
) -> EventParticipant:
    return get_object_or_404(
        participants_visible_to(request.user).select_related("event", "organization"),
        event_id=pk,
        pk=participant_pk,
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def event_agenda(request: AuthenticatedHttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    participant = _visible_participant(request, pk, participant_pk)
    event = participant.event
    rows = meeting_rows(event, participant_meetings(event, participant))
    return render(
        request,
        "marketplace/event_agenda.html",
        {
            "event": event,
            "participant": participant,
            "rows": [(row, row.other_side(participant)) for row in rows],
            "is_draft": event.schedule_status != Event.ScheduleStatus.PUBLISHED,
        },
    )


@login_required
@require_GET
def event_agenda_ics(
    request: AuthenticatedHttpRequest, pk: int, participant_pk: int
) -> HttpResponse:
    participant = _visible_participant(request, pk, participant_pk)
    return _download(
        event_exports.participant_ics(participant.event, participant),
        event_exports.ICS_CONTENT_TYPE,
        event_exports.export_filename(participant.event, f"agenda-{participant.pk}", "ics"),
    )


def _pdf_unavailable(
    request: AuthenticatedHttpRequest, error: agenda_pdf.AgendaFontMissing, fallback: str
) -> HttpResponse:
    """Back to the printable page with a sentence, never a PDF of empty boxes."""
    logger.error("%s", error)
    messages.error(
        request,
        _(
            "暂时无法生成 PDF：服务器缺少中文字体（AGENDA_PDF_FONT）。"
            "请使用本页打印，并通知管理员。"
        ),
    )
    return redirect(fallback)


@login_required
@require_GET
def event_agenda_pdf(
    request: AuthenticatedHttpRequest, pk: int, participant_pk: int
) -> HttpResponse:
    participant = _visible_participant(request, pk, participant_pk)
    try:
        content = agenda_pdf.participant_agenda_pdf(participant.event, participant)
    except agenda_pdf.AgendaFontMissing as error:
        return _pdf_unavailable(
            request, error, reverse("events:event_agenda", args=[pk, participant.pk])
        )
    return _download(
        content,
        agenda_pdf.PDF_CONTENT_TYPE,
        event_exports.export_filename(participant.event, f"agenda-{participant.pk}", "pdf"),
    )


@organizer_required
@require_GET
def event_schedule_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.managed_by(request.user), pk=pk)
    try:
        content = agenda_pdf.event_agenda_pdf(event, actor=request.user)
    except agenda_pdf.AgendaFontMissing as error:
        return _pdf_unavailable(request, error, reverse("events:event_schedule", args=[pk]))
    return _download(
        content, agenda_pdf.PDF_CONTENT_TYPE, event_exports.export_filename(event, "agenda", "pdf")
    )


@organizer_required
@require_GET
def event_schedule_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.managed_by(request.user), pk=pk)
    return _download(
        event_exports.schedule_xlsx(event, actor=request.user),
        event_exports.XLSX_CONTENT_TYPE,
        event_exports.export_filename(event, "schedule", "xlsx"),
    )


@organizer_required
@require_GET
def event_shortlist_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.managed_by(request.user), pk=pk)
    return _download(
        event_exports.shortlist_csv(event, actor=request.user),
        event_exports.CSV_CONTENT_TYPE,
        event_exports.export_filename(event, "shortlist", "csv"),
    )


def _event_for_outcomes(request: AuthenticatedHttpRequest, pk: int) -> tuple[Event, bool]:
    """The event, if the user organises it or its organisation takes part in it."""
    event = get_object_or_404(Event, pk=pk)
    is_manager = event_is_managed_by(event, request.user)
    if not is_manager and participant_of(event, request.user) is None:
        raise Http404
    return event, is_manager


@login_required
@require_GET
def event_outcomes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event, is_manager = _event_for_outcomes(request, pk)
    page = paginate(request, meetings_visible_to(event, request.user).order_by("slot", "pk"))
    return render(
        request,
        "marketplace/event_outcomes.html",
        {
            "event": event,
            "is_manager": is_manager,
            "page": page,
            "rows": meeting_rows(event, page.object_list),
            "has_happened": event.date <= timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_outcome(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    event, _is_manager = _event_for_outcomes(request, pk)
    meeting = get_object_or_404(
        meetings_visible_to(event, request.user).select_related(
            "table", "demand__organization", "vendor__organization"
        ),
        pk=meeting_pk,
    )
    form = MeetingOutcomeForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event_services.meeting_record_outcome(
                meeting,
                user=request.user,
                attendance=data["attendance"],
                outcome=data["outcome"],
                pilot_site=data["pilot_site"],
                pilot_start=data["pilot_start"],
                pilot_end=data["pilot_end"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("会谈结果已记录。"))
            return redirect(reverse("events:event_outcomes", args=[event.pk]))
    (row,) = meeting_rows(event, [meeting])
    return render(
        request,
        "marketplace/meeting_outcome_form.html",
        {
            "event": event,
            "row": row,
            "form": form,
            "has_happened": event.date <= timezone.localdate(),
        },
    )
