"""List filters for the need and capability pages. They narrow a queryset the view has already
limited to what the user may see; they never widen it."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from marketplace.models import (
    AuditEntry,
    Capability,
    Domain,
    Event,
    EventParticipant,
    ImportJob,
    Need,
    Region,
    RobotType,
    ServiceCategory,
)


def _search(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    for word in value.split():
        queryset = queryset.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return queryset


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
    region = django_filters.ModelChoiceFilter(
        label=_("地区"), queryset=Region.objects.all(), empty_label=_("全部地区")
    )
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
        return _search(queryset, value)


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
    region = django_filters.ModelChoiceFilter(
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
        return _search(queryset, value)

    def filter_region(
        self, queryset: QuerySet[Capability], name: str, value: Region
    ) -> QuerySet[Capability]:
        """A vendor serving 山东省 or 全国 also serves 青岛市."""
        return queryset.filter(service_regions__in=value.lineage()).distinct()


def _audit_target_types() -> list[tuple[str, Any]]:
    models = (User, Organization, Need, Capability, Event, EventParticipant, ImportJob)
    return [(model._meta.label_lower, model._meta.verbose_name) for model in models]


class AuditEntryFilter(django_filters.FilterSet):
    """The audit log's filters, for the organisers' page and the API alike."""

    action = django_filters.ChoiceFilter(
        label=_("操作"), choices=AuditEntry.Action.choices, empty_label=_("全部操作")
    )
    actor = django_filters.CharFilter(
        label=_("操作人邮箱"),
        field_name="actor_email",
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("邮箱中的字")}),
    )
    target_type = django_filters.ChoiceFilter(
        label=_("对象类型"), choices=_audit_target_types(), empty_label=_("全部类型")
    )
    date_from = django_filters.DateFilter(
        label=_("起始日期"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("截止日期"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEntry
        fields = ("action", "actor", "target_type", "date_from", "date_to")
