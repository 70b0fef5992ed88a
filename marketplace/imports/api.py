"""Imports and statistics, for organisers."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import authenticated_user
from config.api_common import error_responses
from marketplace.common.permissions import IsOrganizer
from marketplace.imports.jobs import import_job_create, import_job_progress
from marketplace.imports.serializers import ImportJobInputSerializer, ImportJobOutputSerializer
from marketplace.models import ImportJob


class ImportJobCreateApi(APIView):
    permission_classes = [IsOrganizer]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="imports_create",
        tags=["imports"],
        summary="Upload a file of organisations, needs and profiles to import (organisers)",
        description="The file is checked and queued; a background job loads it, all rows or none. "
        "Follow the job at /api/v1/imports/{id}/.",
        request=ImportJobInputSerializer,
        responses={202: ImportJobOutputSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        serializer = ImportJobInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = import_job_create(
            uploaded_file=serializer.validated_data["file"], user=authenticated_user(request)
        )
        job.refresh_from_db()  # with an eager task queue the job has already run
        return Response(
            ImportJobOutputSerializer(import_job_progress(job)).data,
            status=status.HTTP_202_ACCEPTED,
        )


class ImportJobDetailApi(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(
        operation_id="imports_retrieve",
        tags=["imports"],
        summary="An import job's status, progress and row errors (organisers)",
        responses={200: ImportJobOutputSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        job = get_object_or_404(ImportJob, pk=pk)
        return Response(ImportJobOutputSerializer(import_job_progress(job)).data)
