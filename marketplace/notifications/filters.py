"""The notification list's filters over the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as drf_filters

from marketplace.models import Notification


class NotificationApiFilter(drf_filters.FilterSet):
    unread = drf_filters.BooleanFilter(label=_("未读"), field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ("unread",)
