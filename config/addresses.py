"""The client's address, read one way for everything that counts by it: the login lockout
(django-axes, ``AXES_CLIENT_IP_CALLABLE``), the API rate limits (``config.throttling``) and the
audit log (``ClientAddressMiddleware``, read by ``current_client_address``)."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from rest_framework.request import Request

_current_address: ContextVar[str | None] = ContextVar("client_address", default=None)


def client_address(request: HttpRequest | Request) -> str | None:
    """The address a client's attempts and requests are counted by.

    Behind ``TRUSTED_PROXY_COUNT`` proxies, each appending the address it was reached from, the
    client is that many entries from the right of X-Forwarded-For; entries further left are
    whatever the client chose to send, so they are never used. A header with fewer entries than
    that did not come through every proxy: the connection's own address (REMOTE_ADDR) counts.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote


def current_client_address() -> str | None:
    """The address of the request being handled, or None outside a request (tasks, commands)."""
    return _current_address.get()


class ClientAddressMiddleware:
    """Keeps the request's client address for code that is not handed the request (the audit
    log's services), and forgets it when the response is made."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            _current_address.reset(token)
