"""What every API view shares: the authentication order, pagination, and the documented form of the
one error shape that ``config.api.exception_handler`` produces."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.pagination import PageNumberPagination

# Token first, so an anonymous request is answered 401 with ``WWW-Authenticate: Token``; DRF answers
# 403 when the first authenticator (the session) offers no challenge.
API_AUTHENTICATION_CLASSES = (TokenAuthentication, SessionAuthentication)


class ApiPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


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


def _example(name: str, code: str, message: str, fields: dict[str, list[str]]) -> OpenApiExample:
    return OpenApiExample(
        name, value={"error": {"code": code, "message": message, "fields": fields}}
    )


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
