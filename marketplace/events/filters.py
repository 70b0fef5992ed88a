"""The event and shortlist lists' filters over the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as drf_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from marketplace.common.filters import IdFilter, query_parameter
from marketplace.models import Domain, Event, ShortlistEntry


class EventApiFilter(drf_filters.FilterSet):
    date_from = drf_filters.DateFilter(label=_("起始日期"), field_name="date", lookup_expr="gte")
    date_to = drf_filters.DateFilter(label=_("截止日期"), field_name="date", lookup_expr="lte")
    domain = drf_filters.ModelChoiceFilter(
        label=_("聚焦领域"),
        field_name="domains",
        queryset=Domain.objects.all(),
        to_field_name="code",
    )

    class Meta:
        model = Event
        fields = ("date_from", "date_to", "domain")


class ShortlistApiFilter(drf_filters.FilterSet):
    state = drf_filters.ChoiceFilter(label=_("状态"), choices=ShortlistEntry.State.choices)
    demand = IdFilter(label=_("需求方"), field_name="demand_id")
    vendor = IdFilter(label=_("供应方"), field_name="vendor_id")

    class Meta:
        model = ShortlistEntry
        fields = ("state", "demand", "vendor")


EVENT_FILTER_PARAMETERS = [
    OpenApiParameter(
        "date_from",
        OpenApiTypes.DATE,
        OpenApiParameter.QUERY,
        description="Held on or after this date (YYYY-MM-DD).",
    ),
    OpenApiParameter(
        "date_to",
        OpenApiTypes.DATE,
        OpenApiParameter.QUERY,
        description="Held on or before this date (YYYY-MM-DD).",
    ),
    query_parameter("domain", "A domain code, e.g. civil_affairs: events focused on it."),
]


SHORTLIST_FILTER_PARAMETERS = [
    OpenApiParameter(
        "demand", int, OpenApiParameter.QUERY, description="A demand participant's id."
    ),
    OpenApiParameter(
        "vendor", int, OpenApiParameter.QUERY, description="A vendor participant's id."
    ),
]
