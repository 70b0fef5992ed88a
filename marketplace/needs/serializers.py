"""Needs over the API: input and output serializers."""

from __future__ import annotations

from rest_framework import serializers

from accounts.api import OrganizationSummarySerializer
from marketplace.common.serializers import OwnerMixin, slug_field
from marketplace.models import (
    Certification,
    Domain,
    Need,
    ProductClass,
    Region,
    ServiceCategory,
)

NEED_RELATIONS = ("categories", "product_classes", "required_certifications")
BUDGET_BASIS_HELP = (
    "What budget_min_cny and budget_max_cny bound: per_unit (the default) the price of one "
    "unit, total the price of the whole quantity. The matcher compares a profile's "
    "price_min_cny with budget_max_cny per unit, or price_min_cny × quantity with it in total."
)


class NeedInputSerializer(serializers.ModelSerializer):
    domain = slug_field("code", Domain)
    categories = slug_field("code", ServiceCategory, many=True, required=False)
    product_classes = slug_field("code", ProductClass, many=True, required=False)
    region = slug_field("name", Region)
    required_certifications = slug_field("name", Certification, many=True, required=False)

    class Meta:
        model = Need
        fields: tuple[str, ...] = Need.EDITABLE_FIELDS
        extra_kwargs = {
            "quantity": {"min_value": 1},
            "budget_basis": {"help_text": BUDGET_BASIS_HELP},
        }


class NeedCreateInputSerializer(OwnerMixin, NeedInputSerializer):
    submit = serializers.BooleanField(
        default=False,
        help_text="Submit at once: published if the organisation is approved, else pending review.",
    )

    class Meta(NeedInputSerializer.Meta):
        fields = ("organization", *NeedInputSerializer.Meta.fields, "submit")


class NeedStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Need.Status.choices)


class NeedOutputSerializer(serializers.ModelSerializer):
    organization = OrganizationSummarySerializer(read_only=True)
    domain = slug_field("code")
    categories = slug_field("code", many=True)
    product_classes = slug_field("code", many=True)
    region = slug_field("name")
    required_certifications = slug_field("name", many=True)

    class Meta:
        model = Need
        fields = (
            "id",
            "organization",
            *Need.EDITABLE_FIELDS,
            "status",
            "published_at",
            "expires_at",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields
        extra_kwargs = {"budget_basis": {"help_text": BUDGET_BASIS_HELP}}
