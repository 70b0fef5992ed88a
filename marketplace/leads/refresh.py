"""The matcher's suggestions stored as leads, and vendors alerted to the best new ones."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from marketplace.leads.services import leads_alert_vendors, leads_record, leads_record_pairs
from marketplace.matches.lists import match_list_store
from marketplace.matches.ranking import MatchContext
from marketplace.matches.selectors import (
    MatchesState,
    capability_matches_read,
    need_matches_read,
)
from marketplace.models import Capability, Lead, Need

# How many of a need's best eligible profiles become leads, and of a profile's best needs.
LEADS_PER_NEED = 20
LEADS_PER_PROFILE = 20


@dataclass(frozen=True)
class LeadsReport:
    needs: int = 0
    profiles: int = 0
    leads: int = 0
    alerts: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "needs": self.needs,
            "profiles": self.profiles,
            "leads": self.leads,
            "alerts": self.alerts,
        }


def need_leads_refresh(need: Need, *, context: MatchContext | None = None) -> list[Lead]:
    """Record the best eligible profiles of the need's stored list as leads (suppressed pairs
    never return); a need without a current list is ranked and stored first."""
    stored = need_matches_read(need, top=LEADS_PER_NEED)
    if stored.state != MatchesState.READY:
        match_list_store(need, context=context)
        stored = need_matches_read(need, top=LEADS_PER_NEED)
    matches = [m for m in stored.matches if m.eligible]
    capabilities = Capability.objects.in_bulk([m.capability_id for m in matches])
    with transaction.atomic():
        leads = leads_record(
            need, [(capabilities[m.capability_id], m.score, m.eligible) for m in matches]
        )
        Need.objects.filter(pk=need.pk).update(leads_refreshed_at=timezone.now())
    return leads


def capability_leads_refresh(capability: Capability, *, top: int = LEADS_PER_PROFILE) -> list[Lead]:
    """Record a profile's best eligible needs as leads, for its vendor's inbox: the needs whose
    stored lists hold it, at the score those lists give the pair, so a lead's score is the one
    the need's match page shows and the floor reads the same number from either side."""
    matches = [m for m in capability_matches_read(capability, top=top) if m.eligible]
    needs = Need.objects.in_bulk([m.need_id for m in matches])
    with transaction.atomic():
        leads = leads_record_pairs(
            (needs[match.need_id], capability, match.score, True) for match in matches
        )
        Capability.objects.filter(pk=capability.pk).update(leads_refreshed_at=timezone.now())
    return leads


def leads_refresh_due(limit: int = 200) -> LeadsReport:
    """Newly (re)published needs and changed profiles become leads; vendors hear about the best
    new ones within their alert rules. Run by the worker after each embedding pass."""
    # A row still waiting for its vector is left to the next embedding pass (its save asked for
    # one): ranking it now would run the model for it here and again in that pass.
    due_needs = list(
        Need.objects.due_for_leads().filter(embedding_dirty=False).order_by("published_at")[:limit]
    )
    due_profiles = list(
        Capability.objects.due_for_leads()
        .filter(embedding_dirty=False)
        .order_by("updated_at")[:limit]
    )
    if not (due_needs or due_profiles):
        return LeadsReport()
    context = MatchContext.load()
    made: list[Lead] = []
    for need in due_needs:
        made.extend(need_leads_refresh(need, context=context))
    for capability in due_profiles:
        made.extend(capability_leads_refresh(capability))
    fresh = list(
        Lead.objects.filter(pk__in={lead.pk for lead in made}).select_related(
            "need", "capability", "vendor", "demand"
        )
    )
    alerts = leads_alert_vendors(fresh)
    return LeadsReport(
        needs=len(due_needs), profiles=len(due_profiles), leads=len(fresh), alerts=alerts
    )
