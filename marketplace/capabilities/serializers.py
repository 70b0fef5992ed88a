"""Capability profiles over the API: input and output serializers."""

from __future__ import annotations

from rest_framework import serializers

from accounts.api import OrganizationSummarySerializer
from marketplace.common.serializers import OwnerMixin, slug_field
from marketplace.models import (
    Capability,
    Certification,
    Domain,
    ProductClass,
    Region,
    RobotType,
    ServiceCategory,
)

CAPABILITY_RELATIONS = (
    "domains",
    "categories",
    "product_classes",
    "service_regions",
    "certifications",
)


class CapabilityInputSerializer(serializers.ModelSerializer):
    robot_type = slug_field("code", RobotType)
    domains = slug_field("code", Domain, many=True)
    categories = slug_field("code", ServiceCategory, many=True, required=False)
    product_classes = slug_field("code", ProductClass, many=True, required=False)
    service_regions = slug_field("name", Region, many=True)
    certifications = slug_field("name", Certification, many=True, required=False)

    class Meta:
        model = Capability
        fields: tuple[str, ...] = Capability.EDITABLE_FIELDS


class CapabilityCreateInputSerializer(OwnerMixin, CapabilityInputSerializer):
    publish = serializers.BooleanField(default=False, help_text="Publish at once.")

    class Meta(CapabilityInputSerializer.Meta):
        fields = ("organization", *CapabilityInputSerializer.Meta.fields, "publish")


class CapabilityStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Capability.Status.choices)


class CapabilityOutputSerializer(serializers.ModelSerializer):
    organization = OrganizationSummarySerializer(read_only=True)
    robot_type = slug_field("code")
    domains = slug_field("code", many=True)
    categories = slug_field("code", many=True)
    product_classes = slug_field("code", many=True)
    service_regions = slug_field("name", many=True)
    certifications = slug_field("name", many=True)

    class Meta:
        model = Capability
        fields = (
            "id",
            "organization",
            *Capability.EDITABLE_FIELDS,
            "image",
            "spec_sheet",
            "status",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields
