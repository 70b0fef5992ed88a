"""API rate limits: token creation per client address, writes per user (per address when anonymous).

Reads are not limited. The rates are ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (settings
``API_RATE_TOKEN`` and ``API_RATE_WRITES``); the counters live in the default cache, which every
web process must share (the file cache under var/ on one host, Redis at ``REDIS_URL`` across
hosts), or each process would count on its own. Client addresses are read as the login lockout
reads them (``config.addresses.client_address``, ``TRUSTED_PROXY_COUNT``).
A limited request is answered 429 with ``Retry-After`` by ``config.api.exception_handler``.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from config.addresses import client_address

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class MethodRateThrottle(SimpleRateThrottle):
    """A rate for the requests of some methods; the others pass uncounted."""

    methods: frozenset[str] = WRITE_METHODS

    def get_rate(self) -> str | None:
        # DRF's own lookup reads the rates captured when rest_framework.throttling was imported;
        # reading them on each request follows the settings as they are now (tests override them).
        rate = api_settings.DEFAULT_THROTTLE_RATES[str(self.scope)]
        return None if rate is None else str(rate)

    def applies_to(self, method: str) -> bool:
        return method.upper() in self.methods

    def get_ident(self, request: Request) -> str:
        return client_address(request) or ""

    def client_ident(self, request: Request) -> str:
        user = request.user
        if user is not None and user.is_authenticated:
            return f"user-{user.pk}"
        return f"address-{self.get_ident(request)}"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not self.applies_to(request.method or ""):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.client_ident(request)}


class TokenCreateRateThrottle(MethodRateThrottle):
    """Attempts to get a token, per client address whoever they sign in as: guessing passwords
    costs the same however many accounts are tried."""

    scope = "token"
    methods = frozenset({"POST"})

    def client_ident(self, request: Request) -> str:
        return f"address-{self.get_ident(request)}"


class WriteRateThrottle(MethodRateThrottle):
    """Writes (POST, PUT, PATCH, DELETE) per signed-in user, or per address when anonymous."""

    scope = "writes"
