"""Organisations as other users see them over the API; contact details by the leads' rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import OrganizationOutputSerializer
from accounts.models import Organization
from config.api_common import error_responses
from marketplace.leads.models import organizations_with_visible_contacts


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
