"""Input serializers validate what a program sends; output serializers say what it gets back.

Relations are written and read by their stable names: domain, category, product class and robot
type codes; region and certification names.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api import OrganizationSummarySerializer
from accounts.models import Organization
from marketplace.models import (
    Capability,
    Certification,
    Domain,
    ImportJob,
    Need,
    ProductClass,
    Region,
    RobotType,
    ServiceCategory,
)


def _slug(slug_field: str, model: type[Model] | None = None, **kwargs: Any) -> Any:
    """A relation written and read by a stable name; read-only when no model is given."""
    if model is None:
        return serializers.SlugRelatedField(slug_field=slug_field, read_only=True, **kwargs)
    return serializers.SlugRelatedField(
        slug_field=slug_field,
        queryset=model._default_manager.all(),
        **kwargs,
    )


class OwnerField(serializers.PrimaryKeyRelatedField):
    """An organisation id, looked up only among the organisations the user may see."""

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return (
            Organization.objects.visible_to(request.user)
            if request
            else Organization.objects.none()
        )


class OwnerMixin(serializers.Serializer):
    """Organisers post on behalf of an organisation they name; everyone else for their own."""

    organization = OwnerField(
        required=False,
        help_text="Organisers: the organisation to post for (required). "
        "Others: omit, or give their own organisation's id.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        user = self.context["request"].user
        requested = attrs.get("organization")
        if user.is_organizer:
            if requested is None:
                raise serializers.ValidationError(
                    {"organization": [_("组织方代为录入时，请指定所属机构。")]}
                )
        elif requested is not None and requested.pk != user.organization_id:
            raise serializers.ValidationError({"organization": [_("只能以本机构的名义发布。")]})
        else:
            attrs["organization"] = user.organization
        return attrs


# --- Needs -------------------------------------------------------------------------------------

NEED_RELATIONS = ("categories", "product_classes", "required_certifications")


class NeedInputSerializer(serializers.ModelSerializer):
    domain = _slug("code", Domain)
    categories = _slug("code", ServiceCategory, many=True, required=False)
    product_classes = _slug("code", ProductClass, many=True, required=False)
    region = _slug("name", Region)
    required_certifications = _slug("name", Certification, many=True, required=False)

    class Meta:
        model = Need
        fields: tuple[str, ...] = (
            "title",
            "description",
            "domain",
            "categories",
            "product_classes",
            "region",
            "site_environment",
            "site_floors",
            "site_has_elevator",
            "site_area_m2",
            "quantity",
            "budget_min_cny",
            "budget_max_cny",
            "required_certifications",
            "wanted_by",
        )
        extra_kwargs = {"quantity": {"min_value": 1}}


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
    domain = _slug("code")
    categories = _slug("code", many=True)
    product_classes = _slug("code", many=True)
    region = _slug("name")
    required_certifications = _slug("name", many=True)

    class Meta:
        model = Need
        fields = (
            "id",
            "organization",
            "title",
            "description",
            "domain",
            "categories",
            "product_classes",
            "region",
            "site_environment",
            "site_floors",
            "site_has_elevator",
            "site_area_m2",
            "quantity",
            "budget_min_cny",
            "budget_max_cny",
            "required_certifications",
            "wanted_by",
            "status",
            "published_at",
            "expires_at",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


# --- Capabilities ------------------------------------------------------------------------------

CAPABILITY_RELATIONS = (
    "domains",
    "categories",
    "product_classes",
    "service_regions",
    "certifications",
)


class CapabilityInputSerializer(serializers.ModelSerializer):
    robot_type = _slug("code", RobotType)
    domains = _slug("code", Domain, many=True)
    categories = _slug("code", ServiceCategory, many=True, required=False)
    product_classes = _slug("code", ProductClass, many=True, required=False)
    service_regions = _slug("name", Region, many=True)
    certifications = _slug("name", Certification, many=True, required=False)

    class Meta:
        model = Capability
        fields: tuple[str, ...] = (
            "title",
            "description",
            "robot_type",
            "maturity",
            "domains",
            "categories",
            "product_classes",
            "service_regions",
            "key_specs",
            "price_min_cny",
            "price_max_cny",
            "pilot_capacity_per_quarter",
            "certifications",
            "reference_deployments",
        )


class CapabilityCreateInputSerializer(OwnerMixin, CapabilityInputSerializer):
    publish = serializers.BooleanField(default=False, help_text="Publish at once.")

    class Meta(CapabilityInputSerializer.Meta):
        fields = ("organization", *CapabilityInputSerializer.Meta.fields, "publish")


class CapabilityStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Capability.Status.choices)


class CapabilityOutputSerializer(serializers.ModelSerializer):
    organization = OrganizationSummarySerializer(read_only=True)
    robot_type = _slug("code")
    domains = _slug("code", many=True)
    categories = _slug("code", many=True)
    product_classes = _slug("code", many=True)
    service_regions = _slug("name", many=True)
    certifications = _slug("name", many=True)

    class Meta:
        model = Capability
        fields = (
            "id",
            "organization",
            "title",
            "description",
            "robot_type",
            "maturity",
            "domains",
            "categories",
            "product_classes",
            "service_regions",
            "key_specs",
            "price_min_cny",
            "price_max_cny",
            "pilot_capacity_per_quarter",
            "certifications",
            "reference_deployments",
            "image",
            "spec_sheet",
            "status",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


# --- Reviews -----------------------------------------------------------------------------------


class OrganizationRejectInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="Shown to them."
    )


# --- Taxonomy ----------------------------------------------------------------------------------


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
    parent = _slug("name", allow_null=True)

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


# --- Imports and statistics --------------------------------------------------------------------


class ImportJobInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The XLSX template, a CSV or a JSON file.")


class ImportRowErrorSerializer(serializers.Serializer):
    section = serializers.CharField(help_text="organizations, needs or capabilities.")
    row = serializers.IntegerField(help_text="The row or line in the file; 0 for the whole file.")
    ref = serializers.CharField(allow_null=True)
    field = serializers.CharField()
    message = serializers.CharField()


class ImportJobOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ImportJob.Status.choices)
    status_display = serializers.CharField()
    processed_rows = serializers.IntegerField()
    total_rows = serializers.IntegerField()
    progress_percent = serializers.IntegerField()
    errors: Any = ImportRowErrorSerializer(many=True)
    summary = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text='Rows written once the job succeeded: {"created": {section: n}, "updated": …}.',
    )


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
