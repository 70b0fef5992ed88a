"""The taxonomy programs need to write needs and profiles by code and name."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.models import (
    Certification,
    Domain,
    ProductClass,
    Region,
    RobotType,
    ServiceCategory,
)
from marketplace.taxonomy.serializers import TaxonomySerializer


class TaxonomyApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="taxonomy_retrieve",
        tags=["taxonomy"],
        summary="Domains, categories, product classes, robot types, regions, certifications",
        description="Needs and profiles name these by code (regions and certifications by name). "
        "``name`` is in the request's language.",
        responses={200: TaxonomySerializer},
    )
    def get(self, request: Request) -> Response:
        taxonomy = {
            "domains": Domain.objects.all(),
            "service_categories": ServiceCategory.objects.select_related("domain"),
            "product_classes": ProductClass.objects.all(),
            "robot_types": RobotType.objects.all(),
            "regions": Region.objects.select_related("parent"),
            "certifications": Certification.objects.all(),
        }
        return Response(TaxonomySerializer(taxonomy).data)
