"""The audit log's filters."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from marketplace.models import (
    AuditEntry,
    Capability,
    Event,
    EventParticipant,
    ImportJob,
    Need,
)


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
