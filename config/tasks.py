"""The Celery options shared by tasks that are safe to run twice."""

from __future__ import annotations

from typing import Any

from django.db import OperationalError


def retrying(*errors: type[Exception], max_retries: int = 5) -> dict[str, Any]:
    """Options for a task that is safe to run twice: acknowledged only once it ends (a worker
    lost mid-task means the message is delivered again), and retried with exponential backoff on
    a locked or unreachable database (``OperationalError``) and on ``errors``."""
    return {
        "acks_late": True,
        "autoretry_for": (OperationalError, *errors),
        "retry_backoff": True,
        "max_retries": max_retries,
    }


RETRYING = retrying()
