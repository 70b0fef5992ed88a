"""Ask the worker to re-embed changed rows soon after a commit.

Rows carry ``embedding_dirty=True``; that flag is the durable record of work to do. The message
sent here only makes the work happen sooner: if the broker is down it is dropped with a warning,
and the periodic sweep (CELERY_BEAT_SCHEDULE "embeddings-refresh") picks the rows up later.
"""

from __future__ import annotations

import logging

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def _send() -> None:
    # Imported here: the task module loads the embedding services, which import the services
    # that call this one.
    from marketplace.matches.tasks import embeddings_refresh_task

    if current_app.conf.task_always_eager:
        return  # no broker in eager mode (tests); `matching_reindex` or the sweep embeds instead
    try:
        embeddings_refresh_task.apply_async()
    except Exception:  # any broker failure: the dirty flag keeps the work, the sweep does it
        logger.warning(
            "Could not enqueue %s; the periodic sweep will do it.", embeddings_refresh_task.name
        )


def embedding_refresh_request() -> None:
    """Send one refresh message when the transaction commits, however many rows it changed."""
    connection = transaction.get_connection()
    if any(entry[1] is _send for entry in connection.run_on_commit):
        return
    transaction.on_commit(_send)
