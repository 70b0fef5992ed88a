"""The matcher's suggestions stored as leads, and vendors alerted to the best new ones."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization
from marketplace.models import Capability, Lead, Need
from marketplace.services.leads import leads_alert_vendors, leads_record
from matching.ranking.types import RankedMatch
from matching.services.ranking import MatchContext, rank_capability, rank_need

# How many of a need's best eligible profiles become leads, and of a profile's best needs.
LEADS_PER_NEED = 20
LEADS_PER_PROFILE = 20


@dataclass(frozen=True)
class LeadsReport:
    needs: int = 0
    leads: int = 0
    alerts: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"needs": self.needs, "leads": self.leads, "alerts": self.alerts}


def need_leads_refresh(need: Need, *, context: MatchContext | None = None) -> list[Lead]:
    """Record the need's best eligible profiles as leads (suppressed pairs never return)."""
    matches = [m for m in rank_need(need, top=LEADS_PER_NEED, context=context) if m.eligible]
    capabilities = Capability.objects.in_bulk([m.capability_id for m in matches])
    with transaction.atomic():
        leads = leads_record(
            need, [(capabilities[m.capability_id], m.score, m.eligible) for m in matches]
        )
        Need.objects.filter(pk=need.pk).update(leads_refreshed_at=timezone.now())
    return leads


def capability_leads_refresh(
    capability: Capability, *, top: int = 20, context: MatchContext | None = None
) -> list[Lead]:
    """Record a profile's best eligible needs as leads, for its vendor's inbox."""
    return [lead for lead, _match in _capability_leads(capability, top=top, context=context)]


def _capability_leads(
    capability: Capability, *, top: int, context: MatchContext | None
) -> list[tuple[Lead, RankedMatch]]:
    matches = [m for m in rank_capability(capability, top=top, context=context) if m.eligible]
    needs = Need.objects.in_bulk([m.need_id for m in matches])
    pairs: list[tuple[Lead, RankedMatch]] = []
    with transaction.atomic():
        for match in matches:
            (lead,) = leads_record(needs[match.need_id], [(capability, match.score, True)])
            pairs.append((lead, match))
    return pairs


def vendor_leads_refresh(organization: Organization) -> dict[int, RankedMatch]:
    """Refresh the leads of each of the vendor's published profiles, for its inbox.

    Returns the matcher's match (score and reasons) for each lead it found this time, by lead
    id; leads it did not (declined, 不合适, invited from further down, or since fallen out of
    the top) are not in it.
    """
    capabilities = list(Capability.objects.published().filter(organization=organization))
    if not capabilities:
        return {}
    context = MatchContext.load()
    return {
        lead.pk: match
        for capability in capabilities
        for lead, match in _capability_leads(capability, top=LEADS_PER_PROFILE, context=context)
    }


def leads_refresh_due(limit: int = 200) -> LeadsReport:
    """Newly (re)published needs become leads; vendors hear about the best within their rules."""
    due = list(Need.objects.due_for_leads().order_by("published_at")[:limit])
    if not due:
        return LeadsReport()
    context = MatchContext.load()
    made: list[Lead] = []
    for need in due:
        made.extend(need_leads_refresh(need, context=context))
    fresh = list(
        Lead.objects.filter(pk__in=[lead.pk for lead in made]).select_related(
            "need", "capability", "vendor", "demand"
        )
    )
    alerts = leads_alert_vendors(fresh)
    return LeadsReport(needs=len(due), leads=len(made), alerts=alerts)
