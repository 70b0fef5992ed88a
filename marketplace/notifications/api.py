"""The caller's own notifications: list them, mark them read."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import authenticated_user
from config.api_common import error_responses
from marketplace.models import Notification
from marketplace.notifications.filters import NotificationApiFilter
from marketplace.notifications.serializers import (
    NotificationOutputSerializer,
    NotificationReadInputSerializer,
    NotificationReadOutputSerializer,
)
from marketplace.notifications.services import notification_mark_read

TAGS = ["notifications"]


def _own(request: Request) -> QuerySet[Notification]:
    user = request.user
    if not user.is_authenticated:  # only while the schema is generated
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


class NotificationListApi(generics.GenericAPIView):
    permission_classes = [IsAuthenticated]
    filter_backends = [DjangoFilterBackend]
    filterset_class = NotificationApiFilter
    serializer_class = NotificationOutputSerializer

    def get_queryset(self) -> QuerySet[Notification]:
        return _own(self.request)

    @extend_schema(
        operation_id="notifications_list",
        tags=TAGS,
        summary="The caller's notifications, newest first",
        description="unread=true lists only those not yet read (read_at is null).",
        responses={200: NotificationOutputSerializer(many=True), **error_responses(400, 401)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(NotificationOutputSerializer(page, many=True).data)


class NotificationReadApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="notifications_read",
        tags=TAGS,
        summary="Mark some of the caller's notifications read, or all of them",
        description='Send {"ids": [1, 2]} or {"all": true}. Already read ones keep their time.',
        request=NotificationReadInputSerializer,
        responses={200: NotificationReadOutputSerializer, **error_responses(400, 401)},
    )
    def post(self, request: Request) -> Response:
        serializer = NotificationReadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = None if serializer.validated_data["all"] else serializer.validated_data["ids"]
        marked = notification_mark_read(authenticated_user(request), ids)
        unread = _own(request).filter(read_at__isnull=True).count()
        return Response(NotificationReadOutputSerializer({"marked": marked, "unread": unread}).data)
