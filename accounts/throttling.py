"""Limits per client address on the pages that anyone may post to without an account: logging
in, asking for a password-reset e-mail and signing up; and a limit per e-mail address on the
reset e-mails themselves.

They are the API's rate limits (``config.throttling``: DRF's throttles, counters in the default
cache, the client address read through ``TRUSTED_PROXY_COUNT``), with rates under the scopes
``login``, ``password_reset``, ``signup`` and ``password_reset_email`` of
``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``. django-axes still locks an e-mail out after a few
wrong passwords from one address; the login limit also catches one address trying one password
against many e-mails, which axes, counting per e-mail, does not see.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext
from rest_framework import status
from rest_framework.request import Request

from config.throttling import MethodRateThrottle


class AddressPostRateThrottle(MethodRateThrottle):
    """Posts to one page per client address, whoever is signed in or named in the form."""

    methods = frozenset({"POST"})

    def client_ident(self, request: Request) -> str:
        return f"address-{self.get_ident(request)}"


class LoginRateThrottle(AddressPostRateThrottle):
    scope = "login"


class PasswordResetRateThrottle(AddressPostRateThrottle):
    scope = "password_reset"


class SignupRateThrottle(AddressPostRateThrottle):
    scope = "signup"


class PasswordResetEmailRateThrottle(MethodRateThrottle):
    """Reset e-mails per e-mail address, from whatever client addresses they are asked for."""

    scope = "password_reset_email"
    methods = frozenset({"POST"})

    def __init__(self, email: str) -> None:
        super().__init__()
        # Hashed: the cache keeps no list of the addresses people typed.
        self.email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()

    def client_ident(self, request: Request) -> str:
        return f"email-{self.email_key}"


def rate_limited_response(request: HttpRequest, wait: float | None) -> HttpResponse:
    """The page a limited visitor sees: 429, with when to try again."""
    seconds = max(1, round(wait or 1))
    minutes = max(1, -(-seconds // 60))
    response = render(
        request,
        "accounts/rate_limited.html",
        {"message": gettext("尝试次数过多，请 %(minutes)d 分钟后再试。") % {"minutes": minutes}},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = str(seconds)
    return response


def limit_posts(
    throttle_class: type[AddressPostRateThrottle],
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Answer a page's posts over its address limit with 429 before the view runs: no password
    is checked, no e-mail sent and no account created."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            throttle = throttle_class()
            if not throttle.allow_request(request, None):  # type: ignore[arg-type]
                return rate_limited_response(request, throttle.wait())
            return view(request, *args, **kwargs)

        return limited

    return decorate
