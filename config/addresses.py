"""The client's address, read one way for everything that counts by it: the login lockout
(django-axes, ``AXES_CLIENT_IP_CALLABLE``) and the API rate limits (``config.throttling``)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request


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
