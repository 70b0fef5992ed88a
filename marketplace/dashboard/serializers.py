"""The organisers' statistics over the API."""

from __future__ import annotations

from rest_framework import serializers


def _counts(help_text: str) -> serializers.DictField:
    return serializers.DictField(child=serializers.IntegerField(), help_text=help_text)


class StatisticsSerializer(serializers.Serializer):
    organizations_by_kind = _counts("By organisation kind.")
    organizations_pending_review = serializers.IntegerField()
    domains = serializers.IntegerField()
    needs = serializers.IntegerField()
    needs_published = serializers.IntegerField()
    needs_by_domain = _counts("By domain code.")
    needs_by_status = _counts("By need status.")
    capabilities = serializers.IntegerField()
    capabilities_published = serializers.IntegerField()
    capabilities_by_robot_type = _counts("By robot type code.")
    events = serializers.IntegerField()
    upcoming_events = serializers.IntegerField()
