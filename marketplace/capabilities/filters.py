"""The capability list's filters, on the web and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from marketplace.common.filters import (
    CATALOG_FILTER_PARAMETERS,
    RegionFilter,
    query_parameter,
    search_words,
    visible_organizations,
)
from marketplace.models import (
    Capability,
    Domain,
    Region,
    RobotType,
    ServiceCategory,
)


class CapabilityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("关键词"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("名称或描述中的词")}),
    )
    domain = django_filters.ModelChoiceFilter(
        label=_("领域"),
        field_name="domains",
        queryset=Domain.objects.all(),
        to_field_name="code",
        distinct=True,
        empty_label=_("全部领域"),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("服务类别"),
        field_name="categories",
        queryset=ServiceCategory.objects.select_related("domain"),
        to_field_name="code",
        distinct=True,
        empty_label=_("全部类别"),
    )
    region = RegionFilter(
        label=_("服务地区"),
        queryset=Region.objects.all(),
        method="filter_region",
        empty_label=_("全部地区"),
    )
    robot_type = django_filters.ModelChoiceFilter(
        label=_("机器人类型"),
        queryset=RobotType.objects.all(),
        to_field_name="code",
        empty_label=_("全部类型"),
    )
    maturity = django_filters.ChoiceFilter(
        label=_("成熟度"), choices=Capability.Maturity.choices, empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=Capability.Status.choices, empty_label=_("全部状态")
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("供应商"),
        queryset=Organization.objects.filter(kind=Organization.Kind.VENDOR),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Capability
        fields = (
            "q",
            "domain",
            "category",
            "region",
            "robot_type",
            "maturity",
            "status",
            "organization",
        )

    def __init__(self, *args: Any, user: Any, show_status: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not (show_status or (user.is_authenticated and user.is_organizer)):
            del self.filters["status"]

    def filter_q(
        self, queryset: QuerySet[Capability], name: str, value: str
    ) -> QuerySet[Capability]:
        return search_words(queryset, value)

    def filter_region(
        self, queryset: QuerySet[Capability], name: str, value: Region
    ) -> QuerySet[Capability]:
        """A vendor serving 山东省 or 全国 also serves 青岛市."""
        return queryset.filter(service_regions__in=value.lineage()).distinct()


class CapabilityApiFilter(CapabilityFilter):
    region = django_filters.ModelChoiceFilter(
        label=_("服务地区"),
        queryset=Region.objects.all(),
        to_field_name="name",
        method="filter_region",
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("供应商"), queryset=visible_organizations(Organization.Kind.VENDOR)
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


CAPABILITY_FILTER_PARAMETERS = [
    *CATALOG_FILTER_PARAMETERS,
    query_parameter(
        "region",
        "A region name, e.g. 青岛市: profiles serving it or a region containing it (全国).",
    ),
    query_parameter("robot_type", "A robot type code, e.g. care_robot."),
]
