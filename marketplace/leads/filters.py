"""The lead list's filters over the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter

from marketplace.common.filters import IdFilter
from marketplace.models import Lead


class LeadApiFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Lead.Status.choices)
    demand_decision = django_filters.ChoiceFilter(
        label=_("需求方处理"), choices=Lead.DemandDecision.choices
    )
    need = IdFilter(label=_("需求"), field_name="need_id")
    capability = IdFilter(label=_("能力档案"), field_name="capability_id")

    class Meta:
        model = Lead
        fields = ("status", "demand_decision", "need", "capability")


LEAD_FILTER_PARAMETERS = [
    OpenApiParameter("need", int, OpenApiParameter.QUERY, description="A need id."),
    OpenApiParameter(
        "capability", int, OpenApiParameter.QUERY, description="A capability profile id."
    ),
]
