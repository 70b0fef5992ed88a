"""Background work for the marketplace; each task loads what it needs and calls a service."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from django.db import OperationalError

from config.tasks import RETRYING, retrying
from marketplace.needs.services import need_expire_due

logger = logging.getLogger(__name__)


@shared_task(name="marketplace.tasks.need_expire_task", **RETRYING)
def need_expire_task() -> int:
    """Expire published needs past their expiry date; returns how many were expired.

    Run hourly by beat (``CELERY_BEAT_SCHEDULE["expire-needs"]``). Safe to retry and to run twice:
    a second run finds nothing due. A locked or unreachable database (``OperationalError``) is
    retried with exponential backoff.
    """
    return need_expire_due()


@shared_task(name="marketplace.tasks.import_job_run_task", bind=True, **RETRYING)
def import_job_run_task(self: Task[Any, Any], job_id: int) -> str:
    """Load one queued ImportJob. A finished job is left alone, and so is one another run has
    claimed (the sweep, when this message came late), so a second run imports nothing twice.

    A message delivered again because its worker was lost resumes the job that worker left
    running."""
    from marketplace.imports.jobs import import_job_run

    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    return str(import_job_run(job_id=job_id, resume=redelivered).status)


@shared_task(name="marketplace.tasks.import_jobs_sweep_task", acks_late=True)
def import_jobs_sweep_task() -> int:
    """Every few minutes: run the imports uploaded while the broker was unreachable."""
    from marketplace.imports.jobs import import_job_run, import_jobs_waiting

    waiting = import_jobs_waiting()
    for job_id in waiting:
        import_job_run(job_id=job_id)
    return len(waiting)


@shared_task(name="marketplace.tasks.notification_deliver_task", **retrying(OSError, max_retries=8))
def notification_deliver_task(notification_ids: list[int]) -> int:
    """Email these notifications. Each is emailed at most once, so retries and redeliveries
    (an SMTP error, a worker lost mid-task) send nothing twice. Returns how many it sent.

    One that fails (a refused address) does not hold back the others: all are tried, then the
    first error is raised, so the task is retried for the ones not sent."""
    from marketplace.notifications.services import notification_deliver

    sent = 0
    failure: Exception | None = None
    for pk in notification_ids:
        try:
            sent += notification_deliver(pk)
        except (OperationalError, OSError) as error:
            failure = failure or error
    if failure is not None:
        raise failure
    return sent


@shared_task(name="marketplace.tasks.notification_sweep_task", acks_late=True)
def notification_sweep_task() -> int:
    """Every few minutes: email what was written while the broker was unreachable.

    A notification whose email fails (an SMTP error) is left for the next sweep; it does not stop
    this one, or the oldest undeliverable row would keep every later one from being sent."""
    from marketplace.notifications.services import (
        notification_deliver,
        notifications_pending_delivery,
    )

    sent = 0
    for pk in notifications_pending_delivery():
        try:
            sent += notification_deliver(pk)
        except OSError:
            logger.warning(
                "Could not email notification %s; the next sweep tries again.", pk, exc_info=True
            )
    return sent


@shared_task(name="marketplace.tasks.lead_reminders_task", **RETRYING)
def lead_reminders_task() -> int:
    """Hourly: one reminder for each request left unanswered too long."""
    from marketplace.leads.services import lead_reminders_send

    return lead_reminders_send()
