"""The organiser's event pages: create and edit an event, its participants and registration.

Organiser tools answer 404 to everyone else, and to organisers of other events.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import QINGDAO_DISTRICTS, add_service_errors
from accounts.models import Organization
from accounts.typing import AuthenticatedHttpRequest
from marketplace.common.views import organizer_required, paginate
from marketplace.events import services as event_services
from marketplace.events.forms import (
    BulkRegistrationForm,
    EventForm,
    ParticipantForm,
    ParticipantOrganizationForm,
    RegistrationToggleForm,
)
from marketplace.events.selectors import participants_for_manage
from marketplace.models import Event, EventParticipant


def _managed(request: AuthenticatedHttpRequest, pk: int) -> Event:
    return get_object_or_404(Event.objects.managed_by(request.user), pk=pk)


@organizer_required
@require_http_methods(["GET", "POST"])
def event_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = event_services.event_create(
                user=request.user,
                fields=form.service_fields(),
                breaks=form.cleaned_data["breaks"],
                tables=form.cleaned_data["tables"],
                domains=form.cleaned_data["domains"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("活动已创建。请核对下面的会谈时段。"))
            return redirect("events:event_edit", pk=event.pk)
    return render(
        request,
        "marketplace/event_form.html",
        {"form": form, "event": None, "districts": QINGDAO_DISTRICTS},
    )


@organizer_required
@require_http_methods(["GET", "POST"])
def event_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed(request, pk)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        # A fresh copy: the form has written the new values onto its instance already, and
        # the service compares the old timing with the new one.
        stored = _managed(request, pk)
        try:
            event_services.event_update(
                stored,
                user=request.user,
                fields=form.service_fields(),
                breaks=form.cleaned_data["breaks"],
                tables=form.cleaned_data["tables"],
                domains=form.cleaned_data["domains"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("events:event_edit", pk=stored.pk)
    saved = Event.objects.get(pk=event.pk)
    return render(
        request,
        "marketplace/event_form.html",
        {
            "form": form,
            "event": saved,
            "slots": saved.slots,
            "tables": saved.tables.all(),
            "districts": QINGDAO_DISTRICTS,
        },
    )


@organizer_required
def event_manage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed(request, pk)
    participants = participants_for_manage(event)
    return render(
        request,
        "marketplace/event_manage.html",
        {
            "event": event,
            "page": paginate(request, participants),
            "demand_count": participants.filter(role=EventParticipant.Role.DEMAND).count(),
            "vendor_count": participants.filter(role=EventParticipant.Role.VENDOR).count(),
            "organization_form": ParticipantOrganizationForm(),
        },
    )


@organizer_required
@require_http_methods(["GET", "POST"])
def event_participant_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Register an organisation on its behalf: first which one, then what it brings. An
    organisation already registered gets its current choices to change."""
    event = _managed(request, pk)
    chooser = ParticipantOrganizationForm(request.POST or request.GET or None)
    if not chooser.is_valid():
        return render(
            request,
            "marketplace/event_participant_form.html",
            {"event": event, "chooser": chooser, "form": None},
        )
    organization: Organization = chooser.cleaned_data["organization"]
    participant = EventParticipant.objects.filter(event=event, organization=organization).first()
    form = ParticipantForm(
        request.POST if request.method == "POST" else None,
        organization=organization,
        participant=participant,
    )
    if request.method == "POST" and form.is_valid():
        try:
            event_services.participant_register(
                event, user=request.user, organization=organization, **form.service_kwargs()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已为“%(name)s”报名。") % {"name": organization.name})
            return redirect("events:event_manage", pk=event.pk)
    return render(
        request,
        "marketplace/event_participant_form.html",
        {
            "event": event,
            "chooser": chooser,
            "organization": organization,
            "participant": participant,
            "form": form,
        },
    )


@organizer_required
@require_http_methods(["GET", "POST"])
def event_participants_bulk(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Register several organisations in one step, each with what it has published ticked."""
    event = _managed(request, pk)
    form = BulkRegistrationForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            participants = event_services.participants_register_many(
                event, user=request.user, registrations=form.registrations
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "已为 %(count)d 家机构报名。", "已为 %(count)d 家机构报名。", len(participants)
                )
                % {"count": len(participants)},
            )
            return redirect("events:event_manage", pk=event.pk)
    return render(
        request, "marketplace/event_participants_bulk.html", {"event": event, "form": form}
    )


@organizer_required
@require_POST
def event_registration(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed(request, pk)
    form = RegistrationToggleForm(request.POST)
    if form.is_valid():
        open_ = form.cleaned_data["open"]
        try:
            event_services.event_registration_set(event, user=request.user, open_=open_)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已开放报名。") if open_ else _("报名已截止。"))
    else:
        messages.error(request, _("请选择开放或截止报名。"))
    return redirect("events:event_manage", pk=event.pk)
