"""Leads over the API: each side's answers and the vendor's alert rule."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api import OrganizationSummarySerializer
from marketplace.common.serializers import (
    ScorePercentField,
    VisibleCapabilityField,
    VisibleOrganizationField,
)
from marketplace.models import (
    Lead,
)


class LeadSubjectSerializer(serializers.Serializer):
    """The need or the capability profile of a lead."""

    id = serializers.IntegerField()
    title = serializers.CharField()


class LeadContactSerializer(serializers.Serializer):
    organization = serializers.IntegerField(
        source="pk", help_text="The organisation these details belong to."
    )
    contact_person = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class LeadOutputSerializer(serializers.ModelSerializer):
    """A need × capability pair: the vendor's answer (status) and the institution's decision."""

    # ``contact`` depends on who asks: the serializer needs ``request`` in its context.
    need = LeadSubjectSerializer(read_only=True)
    capability = LeadSubjectSerializer(read_only=True)
    demand = OrganizationSummarySerializer(read_only=True, help_text="The institution.")
    vendor = OrganizationSummarySerializer(read_only=True)
    score_percent = ScorePercentField(
        source="score", help_text="`score` as the pages show it: a whole number from 0 to 100."
    )
    proposal = serializers.SerializerMethodField()
    decline_reason = serializers.ChoiceField(
        choices=Lead.DeclineReason.choices,
        allow_null=True,
        read_only=True,
        help_text="Why the vendor declined; null unless it did.",
    )
    contact = serializers.SerializerMethodField()

    class Meta:
        model = Lead
        fields = (
            "id",
            "need",
            "capability",
            "demand",
            "vendor",
            "source",
            "score",
            "score_percent",
            "eligible",
            "status",
            "demand_decision",
            "message",
            "proposal",
            "decline_reason",
            "decline_note",
            "demand_message",
            "contact",
            "viewed_at",
            "responded_at",
            "invited_at",
            "demand_acted_at",
            "agreed_at",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def to_representation(self, instance: Lead) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["decline_reason"] = data["decline_reason"] or None
        return data

    @extend_schema_field(
        serializers.URLField(
            allow_null=True,
            help_text="Where the two sides and organisers download the vendor's proposal "
            "(authenticated); null when none was attached.",
        )
    )
    def get_proposal(self, lead: Lead) -> str | None:
        if not lead.proposal:
            return None
        url = reverse("api:lead_proposal", args=[lead.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    @extend_schema_field(
        LeadContactSerializer(
            allow_null=True,
            help_text="The other side's contact details (the vendor's, for organisers); "
            "null until both sides agreed to talk (洽谈中).",
        )
    )
    def get_contact(self, lead: Lead) -> dict[str, Any] | None:
        user = self.context["request"].user
        other = lead.demand if user.organization_id == lead.vendor_id else lead.vendor
        # Annotated for the caller by Lead.objects.with_contact_visible (the views' queryset).
        visible: bool = getattr(lead, "contact_visible")  # noqa: B009
        return LeadContactSerializer(other).data if visible else None


class LeadRespondInputSerializer(serializers.Serializer):
    message = serializers.CharField(
        max_length=2000,
        error_messages={"blank": _("请写一句回复留言，说明贵方能提供什么。")},
        help_text="What the vendor can offer; the institution reads it.",
    )
    proposal = serializers.FileField(
        required=False,
        help_text="Optional: PDF, Word, PowerPoint, Excel, PNG or JPG, at most 10 MB.",
    )


class LeadDeclineInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Lead.DeclineReason.choices)
    note = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when the reason is other.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["reason"] == Lead.DeclineReason.OTHER and not attrs["note"].strip():
            raise serializers.ValidationError({"note": [_("选择“其他”时请补充说明。")]})
        return attrs


class LeadDecisionInputSerializer(serializers.Serializer):
    message = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Optional, shown to the vendor.",
    )


class LeadInviteInputSerializer(serializers.Serializer):
    capability = VisibleCapabilityField(help_text="The published capability profile to invite.")
    message = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Optional, shown to the vendor.",
    )


class LeadNotFitInputSerializer(serializers.Serializer):
    vendor = VisibleOrganizationField(
        help_text="The vendor organisation none of whose profiles fit this need."
    )


class LeadAlertPreferenceSerializer(serializers.Serializer):
    enabled = serializers.BooleanField(help_text="Receive alerts about new leads.")
    min_score = serializers.FloatField(
        min_value=0.0, max_value=1.0, help_text="Only needs matching at least this well (0–1)."
    )
    daily_limit = serializers.IntegerField(
        min_value=1, max_value=200, help_text="At most this many alerts a day."
    )
