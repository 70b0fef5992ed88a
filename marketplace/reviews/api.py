"""The organisers' review queue: approving or rejecting an organisation."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import OrganizationOutputSerializer, authenticated_user
from accounts.models import Organization
from config.api_common import error_responses
from marketplace.common.api import get_visible
from marketplace.reviews.serializers import OrganizationRejectInputSerializer
from marketplace.reviews.services import organization_approve, organization_reject

TAGS = ["organizations"]


def _render(request: Request, organization: Organization) -> Response:
    return Response(OrganizationOutputSerializer(organization, context={"request": request}).data)


# Not IsOrganizer: the organisation is looked up first, so a pending organisation that the user
# may not see is a 404; the service refuses non-organisers (403).
class OrganizationApproveApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="organizations_approve",
        tags=TAGS,
        summary="Approve an organisation (organisers)",
        description="Its needs waiting for the approval are published with it.",
        request=None,
        responses={200: OrganizationOutputSerializer, **error_responses(401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        organization = get_visible(Organization.objects.visible_to(request.user), pk)
        return _render(
            request,
            organization_approve(organization=organization, reviewer=authenticated_user(request)),
        )


class OrganizationRejectApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="organizations_reject",
        tags=TAGS,
        summary="Reject an organisation (organisers), with an optional note shown to it",
        request=OrganizationRejectInputSerializer,
        responses={200: OrganizationOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        organization = get_visible(Organization.objects.visible_to(request.user), pk)
        serializer = OrganizationRejectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organization = organization_reject(
            organization=organization,
            reviewer=authenticated_user(request),
            note=serializer.validated_data["note"],
        )
        return _render(request, organization)
