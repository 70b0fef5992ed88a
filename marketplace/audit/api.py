"""The audit log, for organisers."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from config.api_common import error_responses
from marketplace.audit.filters import AuditEntryFilter
from marketplace.audit.serializers import AuditEntryOutputSerializer
from marketplace.common.permissions import IsOrganizer
from marketplace.models import AuditEntry


class AuditEntryListApi(generics.GenericAPIView):
    permission_classes = [IsOrganizer]
    filter_backends = [DjangoFilterBackend]
    filterset_class = AuditEntryFilter
    serializer_class = AuditEntryOutputSerializer

    def get_queryset(self) -> QuerySet[AuditEntry]:
        return AuditEntry.objects.visible_to(self.request.user)

    @extend_schema(
        operation_id="audit_list",
        tags=["audit"],
        summary="The audit log, newest first (organisers)",
        description="Who approved, rejected, created, edited, changed the status of, deleted, "
        "exported or imported what, and when. actor matches part of the email; date_from and "
        "date_to (YYYY-MM-DD) bound the day the entry was made.",
        responses={200: AuditEntryOutputSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(AuditEntryOutputSerializer(page, many=True).data)
