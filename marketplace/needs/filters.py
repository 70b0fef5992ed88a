"""The need list's filters, on the web and the API."""

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
    Domain,
    Need,
    Region,
    ServiceCategory,
)


class NeedFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("关键词"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("标题或描述中的词")}),
    )
    domain = django_filters.ModelChoiceFilter(
        label=_("领域"),
        queryset=Domain.objects.all(),
        to_field_name="code",
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
    region = RegionFilter(label=_("地区"), queryset=Region.objects.all(), empty_label=_("全部地区"))
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=Need.Status.choices, empty_label=_("全部状态")
    )
    updated_since = django_filters.DateFilter(
        label=_("更新于此日期之后"),
        field_name="updated_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("发布机构"),
        queryset=Organization.objects.filter(kind=Organization.Kind.DEMAND),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Need
        fields = ("q", "domain", "category", "region", "status", "updated_since", "organization")

    def __init__(self, *args: Any, user: Any, show_status: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not (show_status or (user.is_authenticated and user.is_organizer)):
            # Others only ever see listed statuses; a status menu would only confuse them.
            del self.filters["status"]

    def filter_q(self, queryset: QuerySet[Need], name: str, value: str) -> QuerySet[Need]:
        return search_words(queryset, value)


class NeedApiFilter(NeedFilter):
    region = django_filters.ModelChoiceFilter(
        label=_("地区"), queryset=Region.objects.all(), to_field_name="name"
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("发布机构"), queryset=visible_organizations(Organization.Kind.DEMAND)
    )

    def __init__(self, data: Any = None, queryset: Any = None, *, request: Any, **kwargs: Any):
        super().__init__(
            data, queryset, request=request, user=request.user, show_status=True, **kwargs
        )


NEED_FILTER_PARAMETERS = [
    *CATALOG_FILTER_PARAMETERS,
    query_parameter("region", "A region name, e.g. 青岛市: needs located exactly there."),
]
