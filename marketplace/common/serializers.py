"""Serializer fields the features' API serializers share.

Input serializers validate what a program sends; output serializers say what it gets back.
Relations are written and read by their stable names: domain, category, product class and robot
type codes; region and certification names.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organization
from marketplace.common.scores import score_percent
from marketplace.models import (
    Capability,
)


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": 100, "example": 97})
class ScorePercentField(serializers.Field):
    """A 0–1 score as the pages show it, a whole number from 0 to 100 (``score_percent``);
    read-only, next to the 0–1 field it is read from."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: float) -> int:
        return score_percent(value)


@extend_schema_field(
    {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$", "example": "09:00"}
)
class HourMinuteField(serializers.TimeField):
    """A time of day as ``HH:MM``: OpenAPI's ``format: time`` would promise ``HH:MM:SS``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)


class NamedRelatedField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A SlugRelatedField that refuses a NUL character as a field error: PostgreSQL cannot even
    compare a text with one, so the lookup would otherwise fail as a server error."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            raise serializers.ValidationError(_("不能包含空字符（NUL）。"))
        return super().to_internal_value(data)


def slug_field(slug_field: str, model: type[Model] | None = None, **kwargs: Any) -> Any:
    """A relation written and read by a stable name; read-only when no model is given."""
    if model is None:
        return serializers.SlugRelatedField(slug_field=slug_field, read_only=True, **kwargs)
    return NamedRelatedField(
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


# --- Capabilities ------------------------------------------------------------------------------


# --- Reviews -----------------------------------------------------------------------------------


# --- Taxonomy ----------------------------------------------------------------------------------


# --- Imports and statistics --------------------------------------------------------------------


# --- Leads -------------------------------------------------------------------------------------


# --- Notifications -----------------------------------------------------------------------------


# --- Events ------------------------------------------------------------------------------------


class VisibleCapabilityField(serializers.PrimaryKeyRelatedField):
    """A capability profile id, looked up only among the profiles the user may see."""

    queryset = Capability.objects.none()  # names the model for the schema; get_queryset decides

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return Capability.objects.visible_to(request.user) if request else Capability.objects.none()


class VisibleOrganizationField(OwnerField):
    queryset = Organization.objects.none()  # names the model for the schema; get_queryset decides
