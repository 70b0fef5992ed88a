"""Background work for the marketplace; each task loads what it needs and calls a service."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from django.db import OperationalError

from marketplace.services.needs import need_expire_due


@shared_task(
    name="marketplace.tasks.need_expire_task",
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def need_expire_task(self: Task[Any, Any]) -> int:
    """Expire published needs past their expiry date; returns how many were expired.

    Run hourly by beat (``CELERY_BEAT_SCHEDULE["expire-needs"]``). Safe to retry and to run twice:
    a second run finds nothing due. A locked or unreachable database (``OperationalError``) is
    retried with exponential backoff.
    """
    return need_expire_due()


@shared_task(
    name="marketplace.tasks.import_job_run_task",
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def import_job_run_task(self: Task[Any, Any], job_id: int) -> str:
    """Load one queued ImportJob. A finished job is left alone, so a redelivery does nothing."""
    from marketplace.services.imports import import_job_run

    return str(import_job_run(job_id=job_id).status)


@shared_task(
    name="marketplace.tasks.notification_deliver_task",
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError, OSError),
    retry_backoff=True,
    max_retries=8,
)
def notification_deliver_task(self: Task[Any, Any], notification_ids: list[int]) -> int:
    """Email these notifications. Each is emailed at most once, so retries and redeliveries
    (an SMTP error, a worker lost mid-task) send nothing twice. Returns how many it sent."""
    from marketplace.services.notifications import notification_deliver

    return sum(notification_deliver(pk) for pk in notification_ids)


@shared_task(name="marketplace.tasks.notification_sweep_task", acks_late=True)
def notification_sweep_task() -> int:
    """Every few minutes: email what was written while the broker was unreachable."""
    from marketplace.services.notifications import (
        notification_deliver,
        notifications_pending_delivery,
    )

    return sum(notification_deliver(pk) for pk in notifications_pending_delivery())


@shared_task(
    name="marketplace.tasks.lead_reminders_task",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def lead_reminders_task() -> int:
    """Hourly: one reminder for each request left unanswered too long."""
    from marketplace.services.leads import lead_reminders_send

    return lead_reminders_send()
