"""The organisers' audit log: who approved, edited, exported or deleted what, and when."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.typing import AuthenticatedHttpRequest
from marketplace.audit.filters import AuditEntryFilter
from marketplace.common.views import organizer_required, paginate
from marketplace.models import AuditEntry


@organizer_required
@require_GET
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.visible_to(request.user)
    filterset = AuditEntryFilter(request.GET or None, queryset=entries)
    return render(
        request,
        "marketplace/audit_log.html",
        {"filter": filterset, "page": paginate(request, filterset.qs)},
    )
