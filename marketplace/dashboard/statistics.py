"""Non-trivial reads."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from accounts.models import Organization
from marketplace.models import Capability, Domain, Event, Need


def marketplace_statistics() -> dict[str, Any]:
    """The figures an organiser wants at a glance (also `marketplace_stats --json`)."""
    by_kind = dict(Organization.objects.values_list("kind").annotate(total=Count("pk")))
    needs_by_domain = dict(Need.objects.values_list("domain__code").annotate(total=Count("pk")))
    needs_by_status = dict(Need.objects.values_list("status").annotate(total=Count("pk")))
    capabilities_by_robot_type = dict(
        Capability.objects.values_list("robot_type__code").annotate(total=Count("pk"))
    )
    return {
        "organizations_by_kind": {kind: by_kind.get(kind, 0) for kind in Organization.Kind.values},
        "organizations_pending_review": Organization.objects.pending_review().count(),
        "domains": Domain.objects.exclude(code="other").count(),
        "needs": Need.objects.count(),
        "needs_published": Need.objects.published().count(),
        "needs_by_domain": {
            domain.code: needs_by_domain.get(domain.code, 0) for domain in Domain.objects.all()
        },
        "needs_by_status": {
            status: needs_by_status.get(status, 0) for status in Need.Status.values
        },
        "capabilities": Capability.objects.count(),
        "capabilities_published": Capability.objects.published().count(),
        "capabilities_by_robot_type": capabilities_by_robot_type,
        "events": Event.objects.count(),
        "upcoming_events": Event.objects.filter(date__gte=_today()).count(),
    }


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()
