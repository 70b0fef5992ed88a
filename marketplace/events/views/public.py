"""Matchmaking events (供需对接会): the public list and detail, registering for one, and the
events one's organisation takes part in."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import add_service_errors
from accounts.models import Organization
from accounts.typing import AuthenticatedHttpRequest
from marketplace.common.views import paginate
from marketplace.events import services as event_services
from marketplace.events.forms import ParticipantForm
from marketplace.events.selectors import (
    event_is_managed_by,
    participant_of,
    participations_of,
)
from marketplace.models import Event, EventParticipant


def event_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    events = Event.objects.select_related("organizer").prefetch_related("domains")
    upcoming = events.filter(date__gte=today).order_by("date", "pk")
    return render(
        request,
        "marketplace/event_list.html",
        {
            "upcoming": upcoming,
            "page": paginate(request, events.filter(date__lt=today)),
        },
    )


def _detail_context(
    request: HttpRequest, event: Event, form: ParticipantForm | None = None
) -> dict[str, Any]:
    user = request.user
    organization = user.organization if user.is_authenticated else None
    can_register = organization is not None and organization.kind in (
        Organization.Kind.DEMAND,
        Organization.Kind.VENDOR,
    )
    participant = participant_of(event, user) if can_register else None
    if organization is not None and can_register and form is None:
        form = ParticipantForm(organization=organization, participant=participant)
    has_started = event.has_started()
    return {
        "event": event,
        "is_upcoming": event.date >= timezone.localdate(),
        "accepts_registrations": event.accepts_registrations,
        "registration_rule": event_services.registration_closed_message(event)
        if has_started
        else "",
        "is_manager": event_is_managed_by(event, user),
        "can_register": can_register,
        "participant": participant,
        "form": form,
        "is_published": event.schedule_status == Event.ScheduleStatus.PUBLISHED,
    }


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(
        Event.objects.select_related("organizer").prefetch_related("domains"), pk=pk
    )
    return render(request, "marketplace/event_detail.html", _detail_context(request, event))


@login_required
@require_POST
def event_register(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A demand or vendor member registers its organisation, or changes what it brings."""
    event = get_object_or_404(Event.objects.select_related("organizer"), pk=pk)
    organization = request.user.organization
    if organization is None or not (request.user.is_demand or request.user.is_vendor):
        raise PermissionDenied(_("只有需求方和供应方机构可以报名参会。"))
    participant = participant_of(event, request.user)
    form = ParticipantForm(request.POST, organization=organization, participant=participant)
    if form.is_valid():
        try:
            event_services.participant_register(
                event, user=request.user, organization=organization, **form.service_kwargs()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("报名信息已更新。") if participant else _("报名成功。"))
            return redirect(event)
    return render(
        request, "marketplace/event_detail.html", _detail_context(request, event, form=form)
    )


@login_required
@require_POST
def event_participant_remove(
    request: AuthenticatedHttpRequest, pk: int, participant_pk: int
) -> HttpResponse:
    """The organiser removes a participant; a participant's member withdraws its own."""
    event = get_object_or_404(Event, pk=pk)
    participant = get_object_or_404(
        EventParticipant.objects.select_related("organization", "event"),
        event=event,
        pk=participant_pk,
    )
    is_manager = event_is_managed_by(event, request.user)
    if not is_manager and participant.organization_id != request.user.organization_id:
        raise Http404
    try:
        event_services.participant_remove(participant, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if is_manager:
            messages.success(
                request, _("已移除“%(name)s”。") % {"name": participant.organization.name}
            )
        else:
            messages.success(request, _("已退出本次活动。"))
    if is_manager:
        return redirect("events:event_manage", pk=event.pk)
    return redirect(event)


@login_required
def my_events(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Participants: the events their organisation registered for, with their agendas.
    Organisers: the events they run."""
    if request.user.is_organizer:
        events = Event.objects.managed_by(request.user).prefetch_related("domains")
        return render(
            request,
            "marketplace/my_events.html",
            {"page": paginate(request, events), "is_organizer": True},
        )
    return render(
        request,
        "marketplace/my_events.html",
        {"page": paginate(request, participations_of(request.user)), "is_organizer": False},
    )
