"""Read settings from the environment, failing at start-up with the variable's name.

django-environ parses the values; this module turns its errors (and values it would silently
accept, such as ``DEBUG=maybe``) into an ``ImproperlyConfigured`` that names the variable and says
what it accepts.
"""

from __future__ import annotations

from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _fail(name: str, value: str, allowed: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"Environment variable {name}={value!r} is not valid; allowed values: {allowed}."
    )


def env_bool(name: str, *, default: bool) -> bool:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise _fail(name, raw, "1/0, true/false, yes/no, on/off")


def env_int(name: str, *, default: int, minimum: int | None = None) -> int:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _fail(name, raw, "a whole number") from None
    if minimum is not None and value < minimum:
        raise _fail(name, raw, f"a whole number of at least {minimum}")
    return value


def env_float(name: str, *, default: float, low: float = 0.0, high: float = 1.0) -> float:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise _fail(name, raw, "a number") from None
    if not low <= value <= high:
        raise _fail(name, raw, f"a number from {low} to {high}")
    return value


def env_str(name: str, *, default: str) -> str:
    return str(env.str(name, default=default))


def env_choice(name: str, *, default: str, choices: tuple[str, ...]) -> str:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise _fail(name, raw, ", ".join(choices))
    return value


_RATE_PERIODS = ("s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day")


def env_rate(name: str, *, default: str) -> str:
    """A request rate as Django REST framework reads it: ``NUMBER/PERIOD``, e.g. ``10/min``."""
    raw = env.str(name, default=None)
    if raw is None:
        return default
    value = raw.strip().lower()
    number, _slash, period = value.partition("/")
    if not (number.isdigit() and int(number) >= 1 and period in _RATE_PERIODS):
        raise _fail(name, raw, "NUMBER/PERIOD with a period of s, min, hour or day, e.g. 10/min")
    return value


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, *, default: str) -> dict[str, Any]:
    raw = env.str(name, default=default)
    if not (
        raw.startswith("sqlite:") or raw.startswith(("postgres://", "postgresql://", "pgsql://"))
    ):
        raise _fail(name, raw, "sqlite:///PATH or postgres://USER:PASSWORD@HOST:PORT/NAME")
    try:
        config: dict[str, Any] = env.db_url_config(raw)
    except Exception as error:  # django-environ raises several types for malformed URLs
        raise _fail(name, raw, f"a database URL ({error})") from None
    return config


def env_url(name: str, *, schemes: tuple[str, ...]) -> str | None:
    """An optional service URL: unset or empty means the embedded default."""
    raw = env.str(name, default="").strip()
    if not raw:
        return None
    if not raw.startswith(tuple(f"{scheme}://" for scheme in schemes)):
        raise _fail(name, raw, " or ".join(f"{scheme}://…" for scheme in schemes) + " (or unset)")
    return raw
