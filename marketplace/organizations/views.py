"""An organisation's public page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.models import Organization
from marketplace.leads.models import contact_visible


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    return render(
        request,
        "marketplace/organization_detail.html",
        {
            "organization": organization,
            "show_contact": contact_visible(organization, request.user),
            "is_own": request.user.is_authenticated
            and request.user.organization_id == organization.pk,
        },
    )
