"""The search backend of this process, kept in step with the Embedding table."""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.db.models import Count, Max

from matching.index.base import Hit, IndexItem, SearchIndex
from matching.index.embedded import EmbeddedIndex
from matching.models import Embedding


@dataclass
class _SyncState:
    model_name: str = ""
    seen_until: datetime | None = None
    count: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@lru_cache(maxsize=1)
def _embedded() -> tuple[EmbeddedIndex, dict[str, _SyncState]]:
    return EmbeddedIndex(), {kind: _SyncState() for kind in Embedding.Kind.values}


def index_item(row: Embedding) -> IndexItem:
    """What the search index holds for one stored vector."""
    return IndexItem(object_id=row.object_id, vector=row.as_array(), text=row.text)


def embedded_sync(kind: str, model_name: str) -> EmbeddedIndex:
    """Load new and changed vectors of the current model; reload all if rows disappeared."""
    index, states = _embedded()
    state = states[kind]
    with state.lock:
        rows = Embedding.objects.of_kind(kind).filter(model_name=model_name)
        summary = rows.aggregate(latest=Max("updated_at"), count=Count("pk"))
        count = summary["count"]
        full = state.model_name != model_name or count < state.count
        if full:
            index.remove(kind, index.object_ids(kind))
            changed = rows
        elif (
            state.seen_until is not None
            and summary["latest"] == state.seen_until
            and (count == state.count)
        ):
            return index
        else:
            changed = rows.filter(updated_at__gte=state.seen_until) if state.seen_until else rows
        index.upsert(kind, [index_item(row) for row in changed.iterator(chunk_size=2000)])
        state.model_name, state.seen_until, state.count = model_name, summary["latest"], count
    return index


def remote_index() -> SearchIndex | None:
    """The shared search service when one is configured; the embedded index needs no pushing."""
    if not settings.ELASTICSEARCH_URL:
        return None
    from matching.index.elasticsearch import elasticsearch_index

    return elasticsearch_index()


def index_publish(kind: str, rows: list[Embedding]) -> None:
    index = remote_index()
    if index is not None:
        index.upsert(kind, [index_item(row) for row in rows])


def index_withdraw(kind: str, object_ids: list[int]) -> None:
    index = remote_index()
    if index is not None and object_ids:
        index.remove(kind, object_ids)


def index_in_use(kind: str, model_name: str) -> SearchIndex:
    """The index searches read: the remote one when configured, else this process's embedded."""
    return remote_index() or embedded_sync(kind, model_name)


def backend_search(
    kind: str,
    *,
    model_name: str,
    vector: np.ndarray,
    text: str,
    limit: int,
    allowed_ids: Collection[int] | None = None,
) -> list[Hit]:
    index = index_in_use(kind, model_name)
    return index.search(kind, vector=vector, text=text, limit=limit, allowed_ids=allowed_ids)


def embedded_reset() -> None:
    """Forget this process's embedded index; the next search reloads it from the database."""
    _embedded.cache_clear()
