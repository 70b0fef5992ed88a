"""The front page: what the platform is for, a few figures, and the next step for each role."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Organization
from marketplace.models import Capability, Domain, Event, Need


def home(request: HttpRequest) -> HttpResponse:
    organizations = Organization.objects.approved()
    context = {
        "domains": Domain.objects.all(),
        "counts": {
            # "other" is a catch-all, not one of the city's eight super-scenarios.
            "domains": Domain.objects.exclude(code="other").count(),
            "elder_care": organizations.filter(
                kind=Organization.Kind.DEMAND, sub_type=Organization.SubType.ELDER_CARE
            ).count(),
            "needs": Need.objects.published().count(),
            "capabilities": Capability.objects.published().count(),
            "vendors": organizations.filter(kind=Organization.Kind.VENDOR).count(),
        },
        "latest_needs": Need.objects.visible_to(request.user)
        .filter(status__in=Need.PUBLIC_STATUSES)
        .select_related("organization", "domain", "region")[:4],
        "upcoming_events": Event.objects.filter(date__gte=timezone.localdate()).order_by(
            "date", "pk"
        )[:3],
    }
    if request.user.is_authenticated and request.user.is_organizer:
        context["pending"] = {
            "organizations": Organization.objects.visible_to(request.user).pending_review().count(),
            "needs": Need.objects.visible_to(request.user)
            .filter(status=Need.Status.PENDING_REVIEW)
            .count(),
        }
    return render(request, "home.html", context)
