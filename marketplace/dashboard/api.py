"""The organisers' statistics over the API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_common import error_responses
from marketplace.common.permissions import IsOrganizer
from marketplace.dashboard.serializers import StatisticsSerializer
from marketplace.dashboard.statistics import marketplace_statistics


class StatisticsApi(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(
        operation_id="stats_retrieve",
        tags=["stats"],
        summary="The marketplace's figures at a glance (organisers)",
        responses={200: StatisticsSerializer, **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        return Response(StatisticsSerializer(marketplace_statistics()).data)
