"""Notifications over the API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from marketplace.models import (
    Notification,
)


class NotificationOutputSerializer(serializers.ModelSerializer):
    url = serializers.CharField(help_text="The page on the site it is about; may be empty.")
    title = serializers.CharField(
        source="title_text", read_only=True, help_text="In the request's language."
    )
    body = serializers.CharField(
        source="body_text", read_only=True, help_text="In the request's language."
    )

    class Meta:
        model = Notification
        fields = ("id", "kind", "title", "body", "url", "read_at", "created_at")
        read_only_fields = fields


class NotificationReadInputSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_empty=False,
        max_length=500,
        help_text="The notifications to mark read; others' ids are ignored.",
    )
    all = serializers.BooleanField(
        required=False, default=False, help_text="Mark every unread notification read."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["all"] == ("ids" in attrs):
            raise serializers.ValidationError(
                {"ids": [_("请给出要标为已读的通知编号，或把 all 设为 true（二者选一）。")]}
            )
        return attrs


class NotificationReadOutputSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many were marked read now.")
    unread = serializers.IntegerField(help_text="How many remain unread.")
