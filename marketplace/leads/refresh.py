"""The matcher's suggestions stored as leads, and vendors alerted to the best new ones."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from marketplace.leads.services import leads_alert_vendors
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


def leads_record(need: Need, scored: Iterable[tuple[Capability, float, bool]]) -> list[Lead]:
    """Store the matcher's suggestions for a need (see ``leads_record_pairs``)."""
    return leads_record_pairs(
        (need, capability, score, eligible) for capability, score, eligible in scored
    )


def _new_lead_wanted(
    scored: list[tuple[Need, Capability, float, bool]], leads: dict[tuple[int, int], Lead]
) -> list[tuple[Need, Capability, float, bool]]:
    """The suggestions worth a new lead: eligible, scored at least ``LEAD_SCORE_FLOOR``, and the
    vendor's best-fitting profile for the need when the vendor has no lead on it yet (one lead
    per need and vendor, not one per profile)."""
    vendors_with_a_lead = {(lead.need_id, lead.vendor_id) for lead in leads.values()} | set(
        Lead.objects.filter(
            need_id__in={need.pk for need, *_ in scored},
            vendor_id__in={capability.organization_id for _, capability, *_ in scored},
        ).values_list("need_id", "vendor_id")
    )
    best: dict[tuple[int, int], tuple[Need, Capability, float, bool]] = {}
    for need, capability, score, eligible in scored:
        if (need.pk, capability.pk) in leads or not eligible:
            continue
        if score < settings.LEAD_SCORE_FLOOR:
            continue
        key = (need.pk, capability.organization_id)
        if key in vendors_with_a_lead:
            continue
        if key not in best or score > best[key][2]:
            best[key] = (need, capability, score, eligible)
    return list(best.values())


def leads_record_pairs(scored: Iterable[tuple[Need, Capability, float, bool]]) -> list[Lead]:
    """Store the matcher's suggestions; answered pairs keep their state.

    A pair that is a lead already gets its new score and eligibility. A new lead is made only
    for what ``_new_lead_wanted`` keeps, so a vendor sees one lead per need, above the floor.
    One read of the pairs that exist, one insert of those that do not (a pair another run made
    meanwhile is kept, not doubled: ``lead_unique_pair``), and an update only where the score or
    eligibility moved. The leads come back in the order of ``scored``, without the suggestions
    that made none."""
    scored = list(scored)
    if not scored:
        return []
    pairs = [(need.pk, capability.pk) for need, capability, _score, _eligible in scored]

    def existing() -> dict[tuple[int, int], Lead]:
        # Every lead of these needs and profiles, then only the pairs asked for.
        candidates = Lead.objects.filter(
            need_id__in={need for need, _ in pairs},
            capability_id__in={capability for _, capability in pairs},
        )
        wanted = set(pairs)
        return {
            (lead.need_id, lead.capability_id): lead
            for lead in candidates
            if (lead.need_id, lead.capability_id) in wanted
        }

    leads = existing()
    missing = [
        Lead(
            need=need,
            capability=capability,
            demand_id=need.organization_id,
            vendor_id=capability.organization_id,
            score=score,
            eligible=eligible,
        )
        for need, capability, score, eligible in _new_lead_wanted(scored, leads)
    ]
    if missing:
        Lead.objects.bulk_create(missing, ignore_conflicts=True)
        leads = existing()
    for need, capability, score, eligible in scored:
        lead = leads.get((need.pk, capability.pk))
        if lead is not None and (lead.score != score or lead.eligible != eligible):
            Lead.objects.filter(pk=lead.pk).update(score=score, eligible=eligible)
            lead.score, lead.eligible = score, eligible
    return [leads[pair] for pair in pairs if pair in leads]


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
