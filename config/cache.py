"""The Redis cache, made to survive Redis being down: a miss instead of a server error.

What the site keeps in the cache can be lost: import progress (the job row has the last state),
API rate-limit counters (a request is let through uncounted) and nothing else; sessions are in
the database. Django's own Redis backend raises ``redis.ConnectionError`` from every call while
Redis is down, so each page or API write that touches the cache answered 500. Here a call that
cannot reach Redis is logged and answered as a miss (reads) or skipped (writes). ``incr`` and
``decr`` still raise: there is no sound number to make up.

The connection timeouts make a Redis that does not answer (a host gone, not a refused port) a
miss within a second or two, rather than a request held for the operating system's connect
timeout of a minute or more.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
CONNECT_TIMEOUT_SECONDS = 1
READ_TIMEOUT_SECONDS = 2


def redis_cache(url: str) -> dict[str, Any]:
    """The ``CACHES`` entry for Redis at ``url``."""
    return {
        "BACKEND": "config.cache.TolerantRedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "socket_connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "socket_timeout": READ_TIMEOUT_SECONDS,
        },
    }


class TolerantRedisCacheClient(RedisCacheClient):
    """Django's client, with what each call answers when Redis cannot be reached."""

    def _unless_unreachable(self, fallback: Any, call: Callable[..., Any], *args: Any) -> Any:
        try:
            return call(*args)
        except UNREACHABLE as error:
            logger.warning("Cache %s skipped, Redis is unreachable: %s", call.__name__, error)
            return fallback

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        return bool(self._unless_unreachable(False, super().add, key, value, timeout))

    def get(self, key: Any, default: Any) -> Any:
        return self._unless_unreachable(default, super().get, key, default)

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        self._unless_unreachable(None, super().set, key, value, timeout)

    def touch(self, key: Any, timeout: Any) -> bool:
        return bool(self._unless_unreachable(False, super().touch, key, timeout))

    def delete(self, key: Any) -> bool:
        return bool(self._unless_unreachable(False, super().delete, key))

    def get_many(self, keys: Any) -> dict[Any, Any]:
        return dict(self._unless_unreachable({}, super().get_many, keys))

    def has_key(self, key: Any) -> bool:
        return bool(self._unless_unreachable(False, super().has_key, key))

    def set_many(self, data: Any, timeout: Any) -> None:
        self._unless_unreachable(None, super().set_many, data, timeout)

    def delete_many(self, keys: Any) -> None:
        self._unless_unreachable(None, super().delete_many, keys)

    def clear(self) -> bool:
        return bool(self._unless_unreachable(False, super().clear))


class TolerantRedisCache(RedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient
