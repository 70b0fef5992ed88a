"""An organisation's data export and an account's deletion, over the API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import logout
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import authenticated_user
from accounts.models import Organization
from config.api_common import error_responses
from marketplace.privacy.downloads import organization_export_response
from marketplace.privacy.services import account_delete

EXPORT_RESPONSES: dict[Any, Any] = {
    (200, "application/zip"): OpenApiResponse(
        response=OpenApiTypes.BINARY,
        description="A ZIP attachment: data.json (the organisation, its members without "
        "passwords, needs with revisions, capability profiles, leads, notifications, event "
        "participations and meetings) and the files it uploaded. The other side's contact "
        "details only where the two organisations are in talks.",
    ),
    **error_responses(401, 404),
}


class AccountDeleteInputSerializer(serializers.Serializer):
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class OrganizationExportApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="organizations_export",
        tags=["organizations"],
        summary="Export all of an organisation's data (its members, organisers)",
        responses=EXPORT_RESPONSES,
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        user = authenticated_user(request)
        exportable = Organization.objects.exportable_by(user)
        return organization_export_response(get_object_or_404(exportable, pk=pk), user)


class OrganizationMeExportApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="organizations_me_export",
        tags=["organizations"],
        summary="Export all of the current user's organisation's data",
        responses=EXPORT_RESPONSES,
    )
    def get(self, request: Request) -> FileResponse:
        user = authenticated_user(request)
        return organization_export_response(
            get_object_or_404(Organization.objects.exportable_by(user), pk=user.organization_id),
            user,
        )


class AccountApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="account_destroy",
        tags=["auth"],
        summary="Delete the current user's account (password required)",
        # OpenAPI tooling leaves DELETE bodies out of the schema, so the description names it.
        description='Send the current password as a JSON body: ``{"password": "…"}``; a wrong '
        "or missing one is refused (400). The last member of an organisation deletes the "
        "organisation with it: its needs, capability profiles, leads on either side, event "
        "participations and meetings, and its files. The last member of an organiser cannot "
        "delete itself (400).",
        request=None,
        responses={204: OpenApiResponse(description="Deleted."), **error_responses(400, 401)},
    )
    def delete(self, request: Request) -> Response:
        serializer = AccountDeleteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account_delete(
            user=authenticated_user(request), password=serializer.validated_data["password"]
        )
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
