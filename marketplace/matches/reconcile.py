"""Find and repair drift between the database and the search index in use.

The index should hold, for every need and profile (published or not: searches filter by
``allowed_ids``), the text and vector of its Embedding row of the current encoder model, with
the structured fields that ``matching.store`` writes. Drift comes from writes that
bypass the services (``QuerySet.update``, raw deletes), a lost message or a restored backup.

``drift_compute`` is a pure function of two snapshots; the reads and the repairs are separate.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from marketplace.matches.embeddings import KINDS, embeddings_refresh

# The one function that turns an Embedding row into an index item; reusing it keeps the
# comparison exactly in step with what the services write.
from matching.engine import (
    Embedding,
    IndexItem,
    SearchIndex,
    encoder_name,
    index_in_use,
    index_item,
    remote_index,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Entry:
    """What one index item holds (or should hold), reduced to comparable values."""

    object_id: int
    text: str
    vector_digest: str
    fields: str


@dataclass(frozen=True, slots=True)
class StoredObject:
    """One need or profile as the database has it now."""

    object_id: int
    is_published: bool
    text: str


@dataclass(frozen=True)
class DatabaseSnapshot:
    objects: dict[int, StoredObject]
    # Embedding rows of the current model, as index entries; may include rows of deleted objects.
    embeddings: dict[int, Entry]


@dataclass(frozen=True)
class KindDrift:
    objects: int
    published: int
    indexed: int
    # In the database, absent from the index.
    missing: list[int] = field(default_factory=list)
    # In both, but the index holds another text, vector, model or fields than it should.
    stale: list[int] = field(default_factory=list)
    # In the index (or the Embedding table), but the need or profile is gone.
    orphaned: list[int] = field(default_factory=list)
    # No Embedding row of the current model, or one made from an outdated text.
    unembedded: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.orphaned) + len(self.unembedded)

    def as_dict(self) -> dict[str, Any]:
        return {
            "objects": self.objects,
            "published": self.published,
            "indexed": self.indexed,
            "missing": self.missing,
            "stale": self.stale,
            "orphaned": self.orphaned,
            "unembedded": self.unembedded,
        }


def drift_total(drift: dict[str, KindDrift]) -> int:
    return sum(kind.total for kind in drift.values())


@dataclass
class ReconcileReport:
    model_name: str
    backend: str
    drift: dict[str, KindDrift]
    # After a --fix: the drift found by a fresh look, which should be empty.
    remaining: dict[str, KindDrift] | None = None

    @property
    def fixed(self) -> bool:
        return self.remaining is not None

    @property
    def total(self) -> int:
        return drift_total(self.drift)

    def as_dict(self) -> dict[str, Any]:
        report: dict[str, Any] = {
            "model": self.model_name,
            "backend": self.backend,
            "drift": {kind: drift.as_dict() for kind, drift in self.drift.items()},
            "total": self.total,
            "fixed": self.fixed,
        }
        if self.remaining is not None:
            report["remaining"] = {kind: drift.as_dict() for kind, drift in self.remaining.items()}
            report["remaining_total"] = drift_total(self.remaining)
        return report


def entry_of(item: IndexItem) -> Entry:
    vector = item.vector.astype("float32").tobytes()
    return Entry(
        object_id=item.object_id,
        text=item.text,
        vector_digest=hashlib.sha256(vector).hexdigest(),
        fields=json.dumps(item.fields, sort_keys=True, ensure_ascii=False, default=str),
    )


def drift_compute(database: DatabaseSnapshot, index: dict[int, Entry]) -> KindDrift:
    """Compare what the index should hold with what it holds. Pure: no ORM, no index."""
    unembedded = sorted(
        object_id
        for object_id, stored in database.objects.items()
        if object_id not in database.embeddings
        or database.embeddings[object_id].text != stored.text
    )
    missing = sorted(object_id for object_id in database.objects if object_id not in index)
    stale = sorted(
        object_id
        for object_id, entry in index.items()
        if object_id in database.objects
        and (
            entry != database.embeddings.get(object_id)
            or entry.text != database.objects[object_id].text
        )
    )
    # An Embedding row of a deleted object is an orphan too: the embedded index loads it.
    orphaned = sorted((set(index) | set(database.embeddings)).difference(database.objects))
    return KindDrift(
        objects=len(database.objects),
        published=sum(stored.is_published for stored in database.objects.values()),
        indexed=len(index),
        missing=missing,
        stale=stale,
        orphaned=orphaned,
        unembedded=unembedded,
    )


def backend_name() -> str:
    return "elasticsearch" if remote_index() is not None else "embedded"


def database_snapshot(kind: str, model_name: str) -> DatabaseSnapshot:
    spec = KINDS[kind]
    manager = spec.model._default_manager
    published = set(manager.published().values_list("pk", flat=True))  # type: ignore[attr-defined]
    objects = {
        row.pk: StoredObject(row.pk, row.pk in published, spec.text(row))
        for row in spec.rows(manager.all()).iterator(chunk_size=500)
    }
    rows = Embedding.objects.of_kind(kind).filter(model_name=model_name)
    embeddings = {
        row.object_id: entry_of(index_item(row)) for row in rows.iterator(chunk_size=2000)
    }
    return DatabaseSnapshot(objects=objects, embeddings=embeddings)


def index_snapshot(index: SearchIndex, kind: str) -> dict[int, Entry]:
    return {object_id: entry_of(item) for object_id, item in index.items(kind).items()}


def drift_find(model_name: str, kinds: Sequence[str]) -> dict[str, KindDrift]:
    return {
        kind: drift_compute(
            database_snapshot(kind, model_name),
            index_snapshot(index_in_use(kind, model_name), kind),
        )
        for kind in kinds
    }


def _drift_repair(model_name: str, drift: dict[str, KindDrift]) -> None:
    # 1. Re-embed through the embeddings service: the dirty flag is its durable to-do list, and
    #    it also drops Embedding rows of deleted objects and publishes new vectors.
    for kind, found in drift.items():
        if found.unembedded:
            KINDS[kind].model._default_manager.filter(pk__in=found.unembedded).update(
                embedding_dirty=True
            )
    kinds_to_embed = [kind for kind, found in drift.items() if found.unembedded or found.orphaned]
    if kinds_to_embed:
        embeddings_refresh(kinds=kinds_to_embed)
    # 2. Put each remaining missing or stale item back from its Embedding row; remove orphans.
    for kind, found in drift.items():
        index = index_in_use(kind, model_name)
        if found.orphaned:
            index.remove(kind, found.orphaned)
        to_index = set(found.missing) | set(found.stale)
        if to_index:
            rows = Embedding.objects.of_kind(kind).filter(
                model_name=model_name, object_id__in=to_index
            )
            index.upsert(kind, [index_item(row) for row in rows])


def matching_reconcile(
    *, fix: bool = False, kinds: Sequence[str] = tuple(Embedding.Kind.values)
) -> ReconcileReport:
    """Report the drift between database and index per kind; with ``fix``, repair it.

    Idempotent: repairs only write what the index should hold, so a second run (or two at once)
    finds nothing more to do.
    """
    model_name = encoder_name()
    report = ReconcileReport(
        model_name=model_name, backend=backend_name(), drift=drift_find(model_name, kinds)
    )
    if fix:
        if report.total:
            logger.warning("Search index drift, repairing: %s", report.as_dict()["drift"])
            _drift_repair(model_name, report.drift)
            report.remaining = drift_find(model_name, kinds)
        else:
            # Nothing to repair: a second full look would find the same nothing.
            report.remaining = report.drift
    return report
