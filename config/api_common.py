"""What every API view shares (REST_FRAMEWORK in settings names it): the schema class, and the
documented form of the one error shape that ``config.api.exception_handler`` produces."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ApiErrorDetailSerializer(serializers.Serializer):
    # Built in get_fields because a serializer attribute named ``fields`` would hide
    # ``Serializer.fields``.
    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "code": serializers.CharField(
                help_text="Machine-readable: invalid, not_authenticated, permission_denied, …"
            ),
            "message": serializers.CharField(help_text="In the request's language."),
            "fields": serializers.DictField(
                child=serializers.ListField(child=serializers.CharField()),
                help_text="Messages by input field name; empty unless code is invalid.",
            ),
        }


class ApiErrorSerializer(serializers.Serializer):
    error = ApiErrorDetailSerializer()


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """The one error shape: ``{"error": {"code", "message", "fields"}}``."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _example(name: str, code: str, message: str, fields: dict[str, list[str]]) -> OpenApiExample:
    return OpenApiExample(name, value=error_body(code, message, fields))


_ERRORS: dict[int, tuple[str, OpenApiExample]] = {
    400: (
        "The input is invalid; ``fields`` names each field and why.",
        _example(
            "Invalid input",
            "invalid",
            "无效的输入。",
            {"budget_max_cny": ["预算上限不能低于预算下限。"]},
        ),
    ),
    401: (
        "No valid credentials: send ``Authorization: Token …`` or a session cookie.",
        _example("Not authenticated", "not_authenticated", "身份认证信息未提供。", {}),
    ),
    403: (
        "Authenticated, but this role or organisation may not do this.",
        _example("Permission denied", "permission_denied", "您没有执行该操作的权限。", {}),
    ),
    404: (
        "Not found, or not visible to this user.",
        _example("Not found", "not_found", "未找到。", {}),
    ),
    429: (
        "Too many requests from this user (or address); ``Retry-After`` says how many seconds "
        "to wait.",
        _example("Throttled", "throttled", "请求已被限流。 预计 42 秒后可用。", {}),
    ),
}


def error_responses(*status_codes: int) -> dict[int, Any]:
    """Schema responses for these error statuses: the one error shape, with an example."""
    return {
        status_code: OpenApiResponse(
            response=ApiErrorSerializer,
            description=_ERRORS[status_code][0],
            examples=[_ERRORS[status_code][1]],
        )
        for status_code in status_codes
    }


class ApiAutoSchema(AutoSchema):
    """Documents 429 and its ``Retry-After`` header on every operation a rate limit applies to
    (``config.throttling``), and 404 on every paginated list (a page that does not exist), so the
    views' own schemas need not list them."""

    def _is_rate_limited(self) -> bool:
        return any(
            throttle.applies_to(self.method)
            for throttle in self.view.get_throttles()
            if hasattr(throttle, "applies_to")
        )

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self._is_rate_limited():
            parameters.append(
                OpenApiParameter(
                    "Retry-After",
                    int,
                    OpenApiParameter.HEADER,
                    description="Seconds to wait before the next request is allowed.",
                    response=[429],
                )
            )
        return parameters

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        # A paginated list answers 404 for a page that does not exist (``?page=9999``, ``?page=x``).
        if self._is_list_view() and self._get_paginator() is not None and "404" not in responses:
            responses["404"] = self._get_response_for_code(
                error_responses(404)[404], "404", direction=direction
            )
        if self._is_rate_limited() and "429" not in responses:
            responses["429"] = self._get_response_for_code(
                error_responses(429)[429], "429", direction=direction
            )
        return responses
