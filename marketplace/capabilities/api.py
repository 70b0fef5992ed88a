"""Capability profiles: list, detail, create, edit and status changes."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import authenticated_user
from config.api_common import error_responses
from marketplace.capabilities.filters import CAPABILITY_FILTER_PARAMETERS, CapabilityApiFilter
from marketplace.capabilities.serializers import (
    CAPABILITY_RELATIONS,
    CapabilityCreateInputSerializer,
    CapabilityInputSerializer,
    CapabilityOutputSerializer,
    CapabilityStatusInputSerializer,
)
from marketplace.capabilities.services import (
    capability_create,
    capability_set_status,
    capability_update,
)
from marketplace.common.api import get_editable, get_visible
from marketplace.common.permissions import PostsCapabilitiesOrReadOnly
from marketplace.models import Capability

TAGS = ["capabilities"]


def _with_relations(queryset: QuerySet[Capability]) -> QuerySet[Capability]:
    return queryset.select_related("organization", "robot_type").prefetch_related(
        "domains", "categories", "product_classes", "service_regions", "certifications"
    )


def _visible(request: Request) -> QuerySet[Capability]:
    return _with_relations(Capability.objects.visible_to(request.user))


def _editable(request: Request, pk: int) -> Capability:
    return get_editable(
        Capability.objects.visible_to(request.user),
        Capability.objects.editable_by(request.user),
        pk,
    )


def _render(
    request: Request, capability: Capability, *, status_code: int = status.HTTP_200_OK
) -> Response:
    fresh = _visible(request).get(pk=capability.pk)
    return Response(
        CapabilityOutputSerializer(fresh, context={"request": request}).data, status=status_code
    )


def _split(validated: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    relations = {name: validated.pop(name) for name in CAPABILITY_RELATIONS if name in validated}
    return validated, relations


class CapabilityListCreateApi(generics.GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly, PostsCapabilitiesOrReadOnly]
    filter_backends = [DjangoFilterBackend]
    filterset_class = CapabilityApiFilter
    serializer_class = CapabilityOutputSerializer

    def get_queryset(self) -> QuerySet[Capability]:
        return _visible(self.request)

    @extend_schema(
        operation_id="capabilities_list",
        tags=TAGS,
        summary="List the capability profiles this user may see",
        description="Published profiles of approved vendors, one's own organisation's profiles, "
        "and every profile for organisers; newest change first.",
        responses={200: CapabilityOutputSerializer(many=True), **error_responses(400)},
        parameters=CAPABILITY_FILTER_PARAMETERS,
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        serializer = CapabilityOutputSerializer(page, many=True, context={"request": request})
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        operation_id="capabilities_create",
        tags=TAGS,
        summary="Create a capability profile (a draft, or published at once)",
        request=CapabilityCreateInputSerializer,
        responses={201: CapabilityOutputSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        serializer = CapabilityCreateInputSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        fields, relations = _split(dict(serializer.validated_data))
        organization, publish = fields.pop("organization"), fields.pop("publish")
        capability = capability_create(
            organization=organization,
            created_by=authenticated_user(request),
            fields=fields,
            publish=publish,
            **relations,
        )
        return _render(request, capability, status_code=status.HTTP_201_CREATED)


class CapabilityDetailApi(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(
        operation_id="capabilities_retrieve",
        tags=TAGS,
        summary="One capability profile",
        responses={200: CapabilityOutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        capability = get_visible(_visible(request), pk)
        return Response(CapabilityOutputSerializer(capability, context={"request": request}).data)

    @extend_schema(
        operation_id="capabilities_partial_update",
        tags=TAGS,
        summary="Edit a capability profile",
        description="Only the fields sent change.",
        request=CapabilityInputSerializer,
        responses={200: CapabilityOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        capability = _editable(request, pk)
        serializer = CapabilityInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields, relations = _split(dict(serializer.validated_data))
        capability = capability_update(
            capability=capability, user=authenticated_user(request), fields=fields, **relations
        )
        return _render(request, capability)


class CapabilityStatusApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="capabilities_status",
        tags=TAGS,
        summary="Publish, archive or return a capability profile to draft",
        request=CapabilityStatusInputSerializer,
        responses={200: CapabilityOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        capability = _editable(request, pk)
        serializer = CapabilityStatusInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        capability = capability_set_status(
            capability=capability,
            user=authenticated_user(request),
            status=serializer.validated_data["status"],
        )
        return _render(request, capability)
