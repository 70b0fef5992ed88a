"""What django-axes needs from us: whose attempts to count, and what a locked-out person sees.

The login page posts the email as ``username``; the API token endpoint passes it as ``email``.
Both count against the same normalised email, so switching between them, or changing the case
of the address, does not buy an attacker more tries.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException


class LoginLockedOut(APIException):
    """The API's answer to a locked-out email and address; the web page says the same."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"
    default_detail = _("登录失败次数过多，该账号已暂时锁定，请稍后再试。")

    def __init__(self) -> None:
        super().__init__(detail=lockout_message())


def cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return gettext("登录失败次数过多，该账号已暂时锁定，请 %(minutes)d 分钟后再试。") % {
        "minutes": cooloff_minutes()
    }


def login_email(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the email an attempt was made for, trimmed and lower-cased."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if value is None:
        data = getattr(request, "data", None) or request.POST
        value = data.get("email") or data.get("username")
    return str(value).strip().lower() if value else None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page's 429, in the visitor's language."""
    return render(
        request,
        "accounts/locked_out.html",
        {"message": lockout_message(), "minutes": cooloff_minutes()},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
    )
