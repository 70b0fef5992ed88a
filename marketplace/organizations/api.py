"""Organisations over the API: as other users see them (contact details by the leads' rule), and
one's own, which its members read and edit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import (
    BlankableEmailField,
    BlankableURLField,
    OrganizationOutputSerializer,
    authenticated_user,
)
from accounts.models import Organization
from config.api_common import error_responses
from marketplace.leads.models import organizations_with_visible_contacts
from marketplace.organizations.services import EDITABLE_FIELDS, organization_update


class OrganizationUpdateInputSerializer(serializers.ModelSerializer):
    email = BlankableEmailField(label=_("邮箱"), max_length=254, required=False, allow_blank=True)
    website = BlankableURLField(label=_("网站"), max_length=200, required=False, allow_blank=True)

    class Meta:
        model = Organization
        fields = EDITABLE_FIELDS


def _contact_rule(request: Request) -> Callable[[Organization], bool]:
    visible = set(organizations_with_visible_contacts(request.user).values_list("pk", flat=True))
    return lambda organization: organization.pk in visible


class OrganizationListApi(generics.GenericAPIView):
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ("kind", "review_status")
    serializer_class = OrganizationOutputSerializer

    def get_queryset(self) -> Any:
        return Organization.objects.visible_to(self.request.user)

    @extend_schema(
        operation_id="organizations_list",
        tags=["organizations"],
        summary="List the organisations this user may see",
        description="Approved organisations, one's own, and every organisation for organisers.",
        responses={200: OrganizationOutputSerializer(many=True), **error_responses(400)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        serializer = OrganizationOutputSerializer(
            page, many=True, context={"request": request, "contact_visible": _contact_rule(request)}
        )
        return self.get_paginated_response(serializer.data)


class OrganizationDetailApi(APIView):
    @extend_schema(
        operation_id="organizations_retrieve",
        tags=["organizations"],
        summary="One organisation",
        responses={200: OrganizationOutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
        return Response(
            OrganizationOutputSerializer(
                organization,
                context={"request": request, "contact_visible": _contact_rule(request)},
            ).data
        )


class OrganizationMeApi(APIView):
    permission_classes = [IsAuthenticated]

    def _own(self, request: Request) -> Organization:
        return get_object_or_404(
            Organization.objects.visible_to(request.user),
            pk=authenticated_user(request).organization_id,
        )

    @extend_schema(
        operation_id="organizations_me_retrieve",
        tags=["organizations"],
        summary="The current user's organisation",
        responses={200: OrganizationOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request) -> Response:
        organization = self._own(request)
        return Response(
            OrganizationOutputSerializer(organization, context={"request": request}).data
        )

    @extend_schema(
        operation_id="organizations_me_partial_update",
        tags=["organizations"],
        summary="Edit the current user's organisation",
        description="A change is recorded in the audit log; an edit that changes nothing is not.",
        request=OrganizationUpdateInputSerializer,
        responses={200: OrganizationOutputSerializer, **error_responses(400, 401, 404)},
    )
    def patch(self, request: Request) -> Response:
        organization = self._own(request)
        serializer = OrganizationUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        organization = organization_update(
            organization=organization,
            user=authenticated_user(request),
            fields=dict(serializer.validated_data),
        )
        return Response(
            OrganizationOutputSerializer(organization, context={"request": request}).data
        )
