"""The web pages' filters (``marketplace.filters``), adapted to DRF's ``DjangoFilterBackend``.

The backend builds a filter set from ``data``, ``queryset`` and ``request``; the web filter sets
take the user instead. Differences: regions are given by name, the way programs write them (the
web's menus send ids); capability profiles also filter by ``updated_since``; an organisation id is
looked up among the organisations the user may see, so the filter does not reveal which ids
exist. The status filter is always offered: it only narrows what ``visible_to`` already allows.

Leads, notifications, events and shortlists have no web filter set to adapt; theirs are below.
A lead's need and capability ids only narrow, so an id the user may not see gives an empty page,
not an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as drf_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from accounts.models import Organization
from marketplace.filters import CapabilityFilter, NeedFilter
from marketplace.models import Domain, Event, Lead, Notification, Region, ShortlistEntry


def _visible_organizations(kind: str) -> Callable[[Any], QuerySet[Organization]]:
    def queryset(request: Any) -> QuerySet[Organization]:
        return Organization.objects.visible_to(request.user).filter(kind=kind)

    return queryset


class NeedApiFilter(NeedFilter):
    region = django_filters.ModelChoiceFilter(
        label=_("地区"), queryset=Region.objects.all(), to_field_name="name"
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("发布机构"), queryset=_visible_organizations(Organization.Kind.DEMAND)
    )

    def __init__(self, data: Any = None, queryset: Any = None, *, request: Any, **kwargs: Any):
        super().__init__(
            data, queryset, request=request, user=request.user, show_status=True, **kwargs
        )


class CapabilityApiFilter(CapabilityFilter):
    region = django_filters.ModelChoiceFilter(
        label=_("服务地区"),
        queryset=Region.objects.all(),
        to_field_name="name",
        method="filter_region",
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("供应商"), queryset=_visible_organizations(Organization.Kind.VENDOR)
    )
    updated_since = django_filters.DateFilter(
        label=_("更新于此日期之后"),
        field_name="updated_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, data: Any = None, queryset: Any = None, *, request: Any, **kwargs: Any):
        super().__init__(
            data, queryset, request=request, user=request.user, show_status=True, **kwargs
        )


# The largest id a BigAutoField (and SQLite's INTEGER) holds; a larger number overflows the query.
_MAX_ID = 2**63 - 1


class _IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def filter(self, qs: Any, value: Any) -> Any:
        # No row has an id out of range: an empty page, like an id the user may not see.
        if value is not None and not 0 < value <= _MAX_ID:
            return qs.none()
        return super().filter(qs, value)


class LeadApiFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Lead.Status.choices)
    demand_decision = django_filters.ChoiceFilter(
        label=_("需求方处理"), choices=Lead.DemandDecision.choices
    )
    need = _IdFilter(label=_("需求"), field_name="need_id")
    capability = _IdFilter(label=_("能力档案"), field_name="capability_id")

    class Meta:
        model = Lead
        fields = ("status", "demand_decision", "need", "capability")


class NotificationApiFilter(drf_filters.FilterSet):
    unread = drf_filters.BooleanFilter(label=_("未读"), field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ("unread",)


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
    demand = _IdFilter(label=_("需求方"), field_name="demand_id")
    vendor = _IdFilter(label=_("供应方"), field_name="vendor_id")

    class Meta:
        model = ShortlistEntry
        fields = ("state", "demand", "vendor")


def _text(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, str, OpenApiParameter.QUERY, description=description)


# drf-spectacular reads a model-choice filter as an id; these say what the filters really take.
_COMMON_PARAMETERS = [
    _text("q", "Words that must all appear in the title or description."),
    _text("domain", "A domain code, e.g. civil_affairs."),
    _text("category", "A service category code, e.g. material_delivery."),
    OpenApiParameter(
        "organization", int, OpenApiParameter.QUERY, description="An organisation id."
    ),
    OpenApiParameter(
        "updated_since",
        OpenApiTypes.DATE,
        OpenApiParameter.QUERY,
        description="Changed on or after this date (YYYY-MM-DD).",
    ),
]
NEED_FILTER_PARAMETERS = [
    *_COMMON_PARAMETERS,
    _text("region", "A region name, e.g. 青岛市: needs located exactly there."),
]
CAPABILITY_FILTER_PARAMETERS = [
    *_COMMON_PARAMETERS,
    _text(
        "region",
        "A region name, e.g. 青岛市: profiles serving it or a region containing it (全国).",
    ),
    _text("robot_type", "A robot type code, e.g. care_robot."),
]
LEAD_FILTER_PARAMETERS = [
    OpenApiParameter("need", int, OpenApiParameter.QUERY, description="A need id."),
    OpenApiParameter(
        "capability", int, OpenApiParameter.QUERY, description="A capability profile id."
    ),
]
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
    _text("domain", "A domain code, e.g. civil_affairs: events focused on it."),
]
SHORTLIST_FILTER_PARAMETERS = [
    OpenApiParameter(
        "demand", int, OpenApiParameter.QUERY, description="A demand participant's id."
    ),
    OpenApiParameter(
        "vendor", int, OpenApiParameter.QUERY, description="A vendor participant's id."
    ),
]
