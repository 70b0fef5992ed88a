"""The audit log over the API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from marketplace.models import (
    AuditEntry,
)


class AuditEntryOutputSerializer(serializers.ModelSerializer):
    actor: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The user's id; null once the user is deleted."
    )
    actor_email = serializers.CharField(read_only=True, help_text="Kept after the user is deleted.")
    target_type = serializers.CharField(
        read_only=True, help_text="app_label.model, e.g. marketplace.need or accounts.organization."
    )
    target_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Null for an export of many rows."
    )
    target_label = serializers.CharField(
        read_only=True, help_text="The target's name when the entry was made."
    )
    details = serializers.DictField(
        read_only=True,
        help_text="E.g. changed field names (fields), old and new values of identity fields "
        "(changes: {field: [old, new]}), a status move (from, to), an export's format and row "
        "count.",
    )

    class Meta:
        model = AuditEntry
        fields = (
            "id",
            "action",
            "actor",
            "actor_email",
            "target_type",
            "target_id",
            "target_label",
            "details",
            "ip_address",
            "created_at",
        )
        read_only_fields = fields
