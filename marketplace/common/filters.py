"""Filters the features' list pages and API lists share.

Web filter sets narrow a queryset the view has already limited to what the user may see; they
never widen it. The API's filter sets adapt them to DRF's ``DjangoFilterBackend``, which builds
a filter set from ``data``, ``queryset`` and ``request`` (the web ones take the user instead).
Differences: regions are given by name, the way programs write them (the web's menus send ids);
an organisation id is looked up among the organisations the user may see, so the filter does not
reveal which ids exist; ids only narrow, so an id the user may not see gives an empty page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from accounts.models import Organization
from marketplace.common.forms import RegionChoiceField


def search_words(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    for word in value.split():
        queryset = queryset.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return queryset


def visible_organizations(kind: str) -> Callable[[Any], QuerySet[Organization]]:
    def queryset(request: Any) -> QuerySet[Organization]:
        return Organization.objects.visible_to(request.user).filter(kind=kind)

    return queryset


# The largest id a BigAutoField (and SQLite's INTEGER) holds; a larger number overflows the query.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def filter(self, qs: Any, value: Any) -> Any:
        # No row has an id out of range: an empty page, like an id the user may not see.
        if value is not None and not 0 < value <= MAX_ID:
            return qs.none()
        return super().filter(qs, value)


def query_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, str, OpenApiParameter.QUERY, description=description)


# drf-spectacular reads a model-choice filter as an id; these say what the filters really take.
CATALOG_FILTER_PARAMETERS = [
    query_parameter("q", "Words that must all appear in the title or description."),
    query_parameter("domain", "A domain code, e.g. civil_affairs."),
    query_parameter("category", "A service category code, e.g. material_delivery."),
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


class RegionFilter(django_filters.ModelChoiceFilter):
    """A web menu of regions, grouped by province with 青岛市 first (``RegionChoiceField``)."""

    field_class = RegionChoiceField
