"""Organisers' review decisions over the API."""

from __future__ import annotations

from rest_framework import serializers


class OrganizationRejectInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="Shown to them."
    )
