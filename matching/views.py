"""The matcher's pages: ranked vendors for a need (with each vendor's lead and the
institution's actions), ranked leads for a profile, and the vendor's leads inbox.

The inbox lives here, not in ``marketplace``, because it asks the matcher for each lead's
reasons, and ``marketplace`` never imports ``matching``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.typing import AuthenticatedHttpRequest
from marketplace.models import Capability, Lead, Need
from marketplace.selectors_leads import (
    DEMAND,
    LeadActions,
    inbox_tab,
    lead_actions,
    lead_list_for_vendor,
    lead_tabs_for_vendor,
    need_decided_by,
    need_leads,
    need_responses,
)
from marketplace.views.common import paginate, vendor_required
from matching.ranking.types import Aspect, RankedMatch
from matching.reasons import marked
from matching.selectors import vendor_responsiveness
from matching.services.ranking import lead_reasons, rank_capability, rank_need


@dataclass(frozen=True)
class MatchRow:
    """A ranked match with the object it points at, for a template; on a need's page, also the
    pair's lead (None until the matcher or an invitation made one) and the actions offered. Its
    reasons are rendered by ``{% match_reasons row.match %}`` (matching/templatetags)."""

    match: RankedMatch
    other: Need | Capability
    position: int
    lead: Lead | None = None
    actions: LeadActions | None = None

    @property
    def score_text(self) -> str:
        return f"{self.match.score:.3f}"


@dataclass(frozen=True)
class LeadRow:
    """A lead in the vendor's inbox, with the requirement-level reasons of its pair."""

    lead: Lead
    aspects: tuple[Aspect, ...]

    @property
    def hard_aspects(self) -> list[tuple[str, Aspect]]:
        return marked(self.aspects, hard=True)

    @property
    def soft_aspects(self) -> list[tuple[str, Aspect]]:
        return marked(self.aspects, hard=False)


# A match page shows the best ten, each with its reasons; "more" shows up to MATCHES_MORE.
MATCHES_FIRST = 10
MATCHES_MORE = 30


def _shown(request: AuthenticatedHttpRequest) -> int:
    return MATCHES_MORE if request.GET.get("more") else MATCHES_FIRST


def _more(shown: int, rows: list[MatchRow]) -> bool:
    """Whether a "more" link helps: the first page was full and more may follow."""
    return shown < MATCHES_MORE and len(rows) == shown


@login_required
def need_matches(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(Need.objects.editable_by(request.user), pk=pk)
    shown = _shown(request)
    matches = rank_need(need, top=shown)
    others = Capability.objects.select_related("organization").in_bulk(
        [m.capability_id for m in matches]
    )
    # Organisers may look at the page; only the institution invites, accepts or declines.
    side = DEMAND if need_decided_by(need, request.user) else None
    leads = need_leads(need)
    by_capability = {lead.capability_id: lead for lead in leads}
    rows = []
    for position, match in enumerate(matches, start=1):
        lead = by_capability.get(match.capability_id)
        rows.append(
            MatchRow(match, others[match.capability_id], position, lead, lead_actions(lead, side))
        )
    responses = paginate(request, need_responses(leads))
    return render(
        request,
        "matching/need_matches.html",
        {
            "need": need,
            "rows": rows,
            "more": _more(shown, rows),
            "responses": responses,
            "response_rows": [(lead, lead_actions(lead, side)) for lead in responses],
            "can_decide": side == DEMAND,
        },
    )


@login_required
def capability_leads(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    capability = get_object_or_404(Capability.objects.editable_by(request.user), pk=pk)
    shown = _shown(request)
    matches = rank_capability(capability, top=shown)
    others = Need.objects.select_related("organization", "domain", "region").in_bulk(
        [m.need_id for m in matches]
    )
    rows = [MatchRow(m, others[m.need_id], i) for i, m in enumerate(matches, start=1)]
    return render(
        request,
        "matching/capability_leads.html",
        {
            "capability": capability,
            "rows": rows,
            "more": _more(shown, rows),
        },
    )


@vendor_required
def lead_inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The vendor organisation's leads across its profiles, each with the reasons of its pair.

    The worker makes the leads (after a need or profile is published or changed); opening the
    page only reads them."""
    organization = request.user.organization
    assert organization is not None  # vendor_required: a vendor member has an organisation
    tab = inbox_tab(request.GET.get("tab"))
    page = paginate(request, lead_list_for_vendor(request.user, tab=tab))
    records = vendor_responsiveness([organization.pk])
    answered, overdue = records.get(organization.pk, (0, 0))
    # Every lead here is the organisation's own: its record serves the reasons too.
    reasons = lead_reasons(list(page), records=records)
    return render(
        request,
        "matching/lead_inbox.html",
        {
            "overdue": overdue,
            "answered": answered,
            "response_days": settings.LEAD_RESPONSE_DAYS,
            "tab": tab,
            "tabs": lead_tabs_for_vendor(request.user),
            "page": page,
            "rows": [LeadRow(lead, reasons[lead.pk]) for lead in page],
        },
    )
