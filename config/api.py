"""One exception handler maps domain and validation errors to one JSON shape.

Every error body is ``{"error": {"code": str, "message": str, "fields": {field: [messages]}}}``;
a nested input field is named by its path, e.g. ``tables.1.capacity``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.api_common import error_body


def _flatten(name: str, value: Any, into: dict[str, list[str]]) -> None:
    """Nested input's errors under dotted names: ``tables.1.capacity``, ``breaks.0.1``."""
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{name}.{key}", inner, into)
    elif isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        # A list serializer's errors: one entry per item, empty for the items that were fine.
        for index, inner in enumerate(value):
            if inner:
                _flatten(f"{name}.{index}", inner, into)
    else:
        into[name] = [str(item) for item in (value if isinstance(value, list) else [value])]


def _fields_from(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for key, value in detail.items():
            _flatten(str(key), value, fields)
        return fields
    if isinstance(detail, list):
        return {"non_field_errors": [str(item) for item in detail]}
    return {}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        # Django's own limits on a body it is asked to parse: a 400 in the API's shape, not the
        # HTML page Django answers a SuspiciousOperation with.
        exc = exceptions.ParseError()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    fields = _fields_from(exc.detail) if isinstance(exc, exceptions.ValidationError) else {}
    message = (
        str(exc.detail)
        if not isinstance(exc, exceptions.ValidationError)
        else str(exceptions.ValidationError.default_detail)
    )
    response.data = error_body(str(exc.default_code), message, fields)
    return response


@csrf_exempt  # a write to a path that does not exist is a 404, not a CSRF failure
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """``/api/`` paths that match no route (``/api/v1/needs/abc/``) answer in the API's error
    shape, not with the site's HTML 404 page."""
    error = exceptions.NotFound()
    return JsonResponse(
        error_body(str(error.default_code), str(error.detail)), status=error.status_code
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The site's 500: the API's error shape under ``/api/``, the HTML page elsewhere. Nothing
    of the cause is shown; it is logged (django.request)."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("server_error", _("服务器出错了，请稍后再试。")), status=500)
    return defaults.server_error(request)
