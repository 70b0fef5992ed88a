"""The taxonomy as the API lists it."""

from __future__ import annotations

from rest_framework import serializers

from marketplace.common.serializers import slug_field
from marketplace.models import (
    Certification,
    Region,
)


class _NamedSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="display_name", help_text="In the request's language.")
    name_zh = serializers.CharField()
    name_en = serializers.CharField()


class DomainSerializer(_NamedSerializer):
    pass


class ServiceCategorySerializer(_NamedSerializer):
    domain = serializers.CharField(source="domain.code", help_text="The domain's code.")


class ProductClassSerializer(_NamedSerializer):
    pass


class RobotTypeSerializer(_NamedSerializer):
    pass


class RegionSerializer(serializers.ModelSerializer):
    parent = slug_field("name", allow_null=True)

    class Meta:
        model = Region
        fields = ("name", "level", "parent")
        read_only_fields = fields


class CertificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certification
        fields = ("name", "name_en")
        read_only_fields = fields


class TaxonomySerializer(serializers.Serializer):
    domains = DomainSerializer(many=True)
    service_categories = ServiceCategorySerializer(many=True)
    product_classes = ProductClassSerializer(many=True)
    robot_types = RobotTypeSerializer(many=True)
    regions = RegionSerializer(many=True)
    certifications = CertificationSerializer(many=True)
