"""Needs: list, detail, create, edit, submit, renew and status changes."""

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
from marketplace.common.api import get_editable, get_visible
from marketplace.common.permissions import PostsNeedsOrReadOnly
from marketplace.models import Need
from marketplace.needs.filters import NEED_FILTER_PARAMETERS, NeedApiFilter
from marketplace.needs.serializers import (
    NEED_RELATIONS,
    NeedCreateInputSerializer,
    NeedInputSerializer,
    NeedOutputSerializer,
    NeedStatusInputSerializer,
)
from marketplace.needs.services import (
    need_create,
    need_renew,
    need_set_status,
    need_submit,
    need_update,
)

TAGS = ["needs"]


def _with_relations(queryset: QuerySet[Need]) -> QuerySet[Need]:
    return queryset.select_related("organization", "domain", "region").prefetch_related(
        "categories", "product_classes", "required_certifications"
    )


def _visible(request: Request) -> QuerySet[Need]:
    return _with_relations(Need.objects.visible_to(request.user))


def _editable(request: Request, pk: int) -> Need:
    return get_editable(
        Need.objects.visible_to(request.user), Need.objects.editable_by(request.user), pk
    )


def _render(request: Request, need: Need, *, status_code: int = status.HTTP_200_OK) -> Response:
    fresh = _visible(request).get(pk=need.pk)
    return Response(NeedOutputSerializer(fresh).data, status=status_code)


def _split(validated: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    relations = {name: validated.pop(name) for name in NEED_RELATIONS if name in validated}
    return validated, relations


class NeedListCreateApi(generics.GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly, PostsNeedsOrReadOnly]
    filter_backends = [DjangoFilterBackend]
    filterset_class = NeedApiFilter
    serializer_class = NeedOutputSerializer

    def get_queryset(self) -> QuerySet[Need]:
        return _visible(self.request)

    @extend_schema(
        operation_id="needs_list",
        tags=TAGS,
        summary="List the needs this user may see",
        description="Published needs of approved organisations, one's own organisation's needs, "
        "and every need for organisers; newest change first.",
        responses={200: NeedOutputSerializer(many=True), **error_responses(400)},
        parameters=NEED_FILTER_PARAMETERS,
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(NeedOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="needs_create",
        tags=TAGS,
        summary="Create a need (a draft, or submitted at once)",
        request=NeedCreateInputSerializer,
        responses={201: NeedOutputSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        serializer = NeedCreateInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        fields, relations = _split(dict(serializer.validated_data))
        organization, submit = fields.pop("organization"), fields.pop("submit")
        need = need_create(
            organization=organization,
            created_by=authenticated_user(request),
            fields=fields,
            submit=submit,
            **relations,
        )
        return _render(request, need, status_code=status.HTTP_201_CREATED)


class NeedDetailApi(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(
        operation_id="needs_retrieve",
        tags=TAGS,
        summary="One need",
        responses={200: NeedOutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(NeedOutputSerializer(get_visible(_visible(request), pk)).data)

    @extend_schema(
        operation_id="needs_partial_update",
        tags=TAGS,
        summary="Edit a need",
        description="Only the fields sent change. Editing a need others can already see keeps a "
        "revision of what it said before.",
        request=NeedInputSerializer,
        responses={200: NeedOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        need = _editable(request, pk)
        serializer = NeedInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields, relations = _split(dict(serializer.validated_data))
        need = need_update(need=need, user=authenticated_user(request), fields=fields, **relations)
        return _render(request, need)


class NeedSubmitApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="needs_submit",
        tags=TAGS,
        summary="Submit a draft",
        description="Published at once when the organisation is approved, otherwise pending "
        "review until it is.",
        request=None,
        responses={200: NeedOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        need = need_submit(need=_editable(request, pk), user=authenticated_user(request))
        return _render(request, need)


class NeedRenewApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="needs_renew",
        tags=TAGS,
        summary="Push a published or expired need's expiry date out again",
        request=None,
        responses={200: NeedOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        need = need_renew(need=_editable(request, pk), user=authenticated_user(request))
        return _render(request, need)


class NeedStatusApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="needs_status",
        tags=TAGS,
        summary="Mark a need in talks, fulfilled or closed (or back to published)",
        request=NeedStatusInputSerializer,
        responses={200: NeedOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        need = _editable(request, pk)
        serializer = NeedStatusInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        need = need_set_status(
            need=need, user=authenticated_user(request), status=serializer.validated_data["status"]
        )
        return _render(request, need)
