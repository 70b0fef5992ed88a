"""Matchmaking events (供需对接会): a public list and detail page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from marketplace.models import Event
from marketplace.views.common import paginate


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


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(
        Event.objects.select_related("organizer").prefetch_related("domains"), pk=pk
    )
    return render(
        request,
        "marketplace/event_detail.html",
        {"event": event, "is_upcoming": event.date >= timezone.localdate()},
    )
