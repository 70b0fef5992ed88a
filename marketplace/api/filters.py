"""The web pages' filters (``marketplace.filters``), adapted to DRF's ``DjangoFilterBackend``.

The backend builds a filter set from ``data``, ``queryset`` and ``request``; the web filter sets
take the user instead. Differences: regions are given by name, the way programs write them (the
web's menus send ids); capability profiles also filter by ``updated_since``; an organisation id is
looked up among the organisations the user may see, so the filter does not reveal which ids
exist. The status filter is always offered: it only narrows what ``visible_to`` already allows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from accounts.models import Organization
from marketplace.filters import CapabilityFilter, NeedFilter
from marketplace.models import Region


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
