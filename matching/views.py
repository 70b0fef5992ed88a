"""The matcher's pages: ranked vendors for a need, and ranked leads for a profile."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.typing import AuthenticatedHttpRequest
from marketplace.models import Capability, Need
from matching.ranking.explanations import STATUS_MARK
from matching.ranking.types import RankedMatch
from matching.services.ranking import rank_capability, rank_need


@dataclass(frozen=True)
class MatchRow:
    """A ranked match with the object it points at, for a template."""

    match: RankedMatch
    other: Need | Capability
    position: int

    @property
    def hard_aspects(self) -> list[tuple[str, object]]:
        return [(STATUS_MARK[a.status], a) for a in self.match.aspects if a.is_hard]

    @property
    def soft_aspects(self) -> list[tuple[str, object]]:
        return [(STATUS_MARK[a.status], a) for a in self.match.aspects if not a.is_hard]


@login_required
def need_matches(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(Need.objects.editable_by(request.user), pk=pk)
    matches = rank_need(need, top=20)
    others = Capability.objects.select_related("organization", "robot_type").in_bulk(
        [m.capability_id for m in matches]
    )
    rows = [MatchRow(m, others[m.capability_id], i) for i, m in enumerate(matches, start=1)]
    return render(request, "matching/need_matches.html", {"need": need, "rows": rows})


@login_required
def capability_leads(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    capability = get_object_or_404(Capability.objects.editable_by(request.user), pk=pk)
    matches = rank_capability(capability, top=20)
    others = Need.objects.select_related("organization", "domain", "region").in_bulk(
        [m.need_id for m in matches]
    )
    rows = [MatchRow(m, others[m.need_id], i) for i, m in enumerate(matches, start=1)]
    return render(
        request, "matching/capability_leads.html", {"capability": capability, "rows": rows}
    )
