"""Background work for the matcher; tasks load what they need and call a service."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import IntegrityError

from config.tasks import retrying
from marketplace.leads.refresh import leads_refresh_due
from marketplace.matches.embeddings import embeddings_refresh
from marketplace.matches.lists import match_lists_refresh_due
from marketplace.matches.reconcile import matching_reconcile


@shared_task(name="marketplace.matches.tasks.embeddings_refresh_task", **retrying(IntegrityError))
def embeddings_refresh_task() -> dict[str, Any]:
    """Embed every need and profile that is dirty, missing or from another model, store the
    match lists that are missing or out of date, and turn new matches into leads.

    Enqueued on commit after a need or profile is saved or imported, and run by beat as a sweep,
    so a message lost while the broker was down only delays the work. Idempotent: a second run
    finds nothing stale, and two runs at once write the same vectors.
    """
    report = embeddings_refresh().as_dict()
    # Needs are ranked and their lists stored once their vectors exist; then vendors hear of
    # the best new leads.
    report["lists"] = match_lists_refresh_due().as_dict()
    report["leads"] = leads_refresh_due().as_dict()
    return report


@shared_task(name="marketplace.matches.tasks.matching_reconcile_task", **retrying(IntegrityError))
def matching_reconcile_task() -> dict[str, Any]:
    """Repair drift between the database and the search index (missing, stale, orphaned items).

    Run by beat (CELERY_BEAT_SCHEDULE "matching-reconcile"). Idempotent: it only writes what the
    index should hold, so a retried or duplicated run finds nothing more to do.
    """
    return matching_reconcile(fix=True).as_dict()
