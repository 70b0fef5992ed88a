"""The match pages: ranked vendors for a need (with each vendor's lead and the institution's
actions) and ranked needs for a profile, read from the lists the worker stored."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from accounts.typing import AuthenticatedHttpRequest
from marketplace.common.views import paginate, url_by_pk
from marketplace.leads.selectors import (
    DEMAND,
    LeadActions,
    lead_actions,
    need_decided_by,
    need_leads,
    need_responses,
)
from marketplace.matches.fragments import page_reasons
from marketplace.matches.selectors import capability_matches_read, need_matches_read
from marketplace.models import Capability, Lead, Need
from marketplace.needs.reading import detail_context
from matching.engine import RankedMatch


@dataclass(frozen=True)
class MatchRow:
    """A ranked match with the object it points at and the links to it and its organisation,
    for a template; on a need's page, also the pair's lead (None until the matcher or an
    invitation made one) and the actions offered. Its header and reasons are rendered by
    ``{% match_card_header row %}`` (marketplace/templatetags); its reasons come from
    marketplace.matches.fragments."""

    match: RankedMatch
    reasons: SafeString
    other: Need | Capability
    position: int
    url: str
    organization_url: str
    lead: Lead | None = None
    actions: LeadActions | None = None


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
    need = get_object_or_404(Need.objects.editable_by(request.user).with_taxonomy_stated(), pk=pk)
    shown = _shown(request)
    # Whoever may open this page (the institution, organisers) sees every lead of the need.
    leads = need_leads(need, request.user)
    stored = need_matches_read(need, top=shown, leads=leads)
    matches = stored.matches
    others = stored.profiles
    reasons = page_reasons.many(matches, get_language())
    capability_url = url_by_pk("capabilities:capability_detail")
    organization_url = url_by_pk("organizations:organization_detail")
    # Organisers may look at the page; only the institution invites, accepts or declines.
    side = DEMAND if need_decided_by(need, request.user) else None
    by_capability = {lead.capability_id: lead for lead in leads}
    rows = []
    for position, (match, html) in enumerate(zip(matches, reasons, strict=True), start=1):
        lead = by_capability.get(match.capability_id)
        other = others[match.capability_id]
        rows.append(
            MatchRow(
                match,
                html,
                other,
                position,
                capability_url(other.pk),
                organization_url(other.organization_id),
                lead,
                lead_actions(lead, side),
            )
        )
    responses = paginate(request, need_responses(leads))
    return render(
        request,
        "marketplace/matches/need_matches.html",
        {
            "need": need,
            "stored": stored,
            "rows": rows,
            "more": _more(shown, rows),
            "responses": responses,
            "response_rows": [(lead, lead_actions(lead, side)) for lead in responses],
            "can_decide": side == DEMAND,
            **detail_context(need, stored.match_list, current=not stored.is_updating),
        },
    )


@login_required
def capability_leads(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    capability = get_object_or_404(Capability.objects.editable_by(request.user), pk=pk)
    shown = _shown(request)
    matches = capability_matches_read(capability, top=shown)
    others = Need.objects.select_related("organization", "domain", "region").in_bulk(
        [m.need_id for m in matches]
    )
    need_url = url_by_pk("needs:need_detail")
    organization_url = url_by_pk("organizations:organization_detail")
    reasons = page_reasons.many(matches, get_language())
    rows = [
        MatchRow(
            m,
            html,
            others[m.need_id],
            i,
            need_url(m.need_id),
            organization_url(others[m.need_id].organization_id),
        )
        for i, (m, html) in enumerate(zip(matches, reasons, strict=True), start=1)
    ]
    return render(
        request,
        "marketplace/matches/capability_leads.html",
        {
            "capability": capability,
            "rows": rows,
            "more": _more(shown, rows),
        },
    )
