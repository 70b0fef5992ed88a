"""The API for accounts: tokens, and the serializers that show an organisation."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.lockout import LoginLockedOut
from accounts.models import Organization, User
from config.api_common import error_responses
from config.throttling import TokenCreateRateThrottle, WriteRateThrottle


def authenticated_user(request: Request) -> User:
    """The user of a request that a permission class has already required to be signed in."""
    user = request.user
    assert isinstance(user, User), "the view's permission classes must require authentication"
    return user


# --- Serializers ----------------------------------------------------------------------------------


def _blank_or(format_name: str, example: str) -> dict[str, Any]:
    """A string in the format, or "" where the organisation left the field empty (blank=True):
    OpenAPI's ``format`` alone would reject the empty string. No ``type`` at the top, or
    drf-spectacular adds the field validator's ``format`` there too."""
    return {
        "anyOf": [
            {"type": "string", "format": format_name},
            {"type": "string", "maxLength": 0},
        ],
        "example": example,
    }


@extend_schema_field(_blank_or("uri", "https://www.example.com/"))
class BlankableURLField(serializers.URLField):
    pass


@extend_schema_field(_blank_or("email", "contact@example.com"))
class BlankableEmailField(serializers.EmailField):
    pass


class AuthTokenInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class AuthTokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()


class OrganizationSummarySerializer(serializers.ModelSerializer):
    """How a need or a capability names its organisation."""

    class Meta:
        model = Organization
        fields = ("id", "name", "kind")


class OrganizationOutputSerializer(serializers.ModelSerializer):
    """An organisation; contact details and the review note only for its members and organisers."""

    contact_person = serializers.CharField(allow_null=True, read_only=True)
    phone = serializers.CharField(allow_null=True, read_only=True)
    email = BlankableEmailField(allow_null=True, read_only=True)
    website = BlankableURLField(label=_("网站"), read_only=True)
    review_note = serializers.CharField(allow_null=True, read_only=True)

    class Meta:
        model = Organization
        fields = (
            "id",
            "name",
            "kind",
            "sub_type",
            "district",
            "city",
            "website",
            "introduction",
            "review_status",
            "review_note",
            "contact_person",
            "phone",
            "email",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def contact_visible(self, instance: Organization) -> bool:
        """Members and organisers read the contact details; whoever renders an organisation for
        others passes ``contact_visible`` (a function of the organisation) in the context."""
        decide = self.context.get("contact_visible")
        if decide is not None:
            return bool(decide(instance))
        user = self.context["request"].user
        return user.is_authenticated and (user.is_organizer or user.organization_id == instance.pk)

    def to_representation(self, instance: Organization) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not self.contact_visible(instance):
            for name in (*Organization.CONTACT_FIELDS, "review_note"):
                data[name] = None
        return data


# --- Views ----------------------------------------------------------------------------------------


class AuthTokenApi(APIView):
    throttle_classes = (TokenCreateRateThrottle, WriteRateThrottle)

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        summary="Get an API token for an email and password",
        description="Creates the user's token, or returns the one they already have.",
        request=AuthTokenInputSerializer,
        responses={200: AuthTokenOutputSerializer, **error_responses(400)},
    )
    def post(self, request: Request) -> Response:
        serializer = AuthTokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request,
            email=serializer.validated_data["email"].strip().lower(),
            password=serializer.validated_data["password"],
        )
        if user is None:
            # django-axes flags the request once this email and address reach the failure limit;
            # from then on even the right password is refused until the cool-off ends.
            if getattr(request, "axes_locked_out", False):
                raise LoginLockedOut()
            raise serializers.ValidationError(
                {"non_field_errors": [_("邮箱或密码不正确，或账号已停用。")]}
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response(AuthTokenOutputSerializer({"token": token.key}).data)

    @extend_schema(
        operation_id="auth_token_destroy",
        tags=["auth"],
        summary="Revoke the current user's API token",
        request=None,
        responses={204: OpenApiResponse(description="Revoked."), **error_responses(401)},
    )
    def delete(self, request: Request) -> Response:
        Token.objects.filter(user=authenticated_user(request)).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
