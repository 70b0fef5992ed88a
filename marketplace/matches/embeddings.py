"""Keep one current vector per need and profile: re-embed what is dirty, missing or outdated."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Model, QuerySet

from marketplace.matches.features import (
    capabilities_with_relations,
    capability_text,
    need_text,
    needs_with_relations,
)
from marketplace.models import Capability, Need
from matching.engine import (
    Embedding,
    Encoder,
    Role,
    encoder_name,
    get_encoder,
    index_publish,
    index_withdraw,
)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class KindSpec:
    kind: str
    model: type[Model]
    rows: Callable[[QuerySet[Any] | None], QuerySet[Any]]
    text: Callable[[Any], str]


KINDS: dict[str, KindSpec] = {
    Embedding.Kind.NEED: KindSpec(Embedding.Kind.NEED, Need, needs_with_relations, need_text),
    Embedding.Kind.CAPABILITY: KindSpec(
        Embedding.Kind.CAPABILITY, Capability, capabilities_with_relations, capability_text
    ),
}


@dataclass
class RefreshReport:
    model_name: str = ""
    embedded: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"model": self.model_name, "embedded": self.embedded, "removed": self.removed}


def text_hash(text: str, model_name: str) -> str:
    return hashlib.sha256(f"{model_name}\n{text}".encode()).hexdigest()


def stale_ids(spec: KindSpec, encoder: Encoder, *, everything: bool = False) -> list[int]:
    """Rows that are dirty, have no vector, or have one from another model."""
    ids = spec.model._default_manager.values_list("pk", flat=True)
    if everything:
        return sorted(ids)
    current = set(
        Embedding.objects.of_kind(spec.kind)
        .current(encoder.name, encoder.dimension)
        .values_list("object_id", flat=True)
    )
    dirty = set(
        spec.model._default_manager.filter(embedding_dirty=True).values_list("pk", flat=True)
    )
    return sorted(pk for pk in ids if pk not in current or pk in dirty)


def _batches(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _embed_batch(spec: KindSpec, encoder: Encoder, ids: Sequence[int]) -> int:
    rows = list(spec.rows(spec.model._default_manager.filter(pk__in=ids)))
    seen = {row.pk: row.updated_at for row in rows}
    texts = [spec.text(row) for row in rows]
    role: Role = "query" if spec.kind == Embedding.Kind.NEED else "document"
    vectors = (
        encoder.encode(texts, role=role) if texts else np.zeros((0, encoder.dimension), np.float32)
    )
    saved: list[Embedding] = []
    with transaction.atomic():
        for row, text, vector in zip(rows, texts, vectors, strict=True):
            embedding, _ = Embedding.objects.update_or_create(
                kind=spec.kind,
                object_id=row.pk,
                defaults={
                    "model_name": encoder.name,
                    "dimension": encoder.dimension,
                    "vector": vector.astype("float32").tobytes(),
                    "text": text,
                    "text_hash": text_hash(text, encoder.name),
                },
            )
            saved.append(embedding)
            # Clear the flag only if nobody edited the row while it was being encoded.
            spec.model._default_manager.filter(pk=row.pk, updated_at=seen[row.pk]).update(
                embedding_dirty=False
            )
    index_publish(spec.kind, saved)
    return len(rows)


def _remove_orphans(kind: str) -> int:
    """Delete the vectors of rows that are gone (and take them out of the index)."""
    orphans = Embedding.objects.of_kind(kind).exclude(
        object_id__in=KINDS[kind].model._default_manager.values("pk")
    )
    index_withdraw(kind, list(orphans.values_list("object_id", flat=True)))
    removed, _ = orphans.delete()
    return removed


def _anything_stale(kinds: Sequence[str]) -> bool:
    """Whether a row is dirty or has no vector under the current encoder's name, known without
    loading the model (the name says which model and options made a vector)."""
    name = encoder_name()
    for kind in kinds:
        rows = KINDS[kind].model._default_manager
        embedded = Embedding.objects.of_kind(kind).filter(model_name=name).values("object_id")
        if rows.filter(embedding_dirty=True).exists() or rows.exclude(pk__in=embedded).exists():
            return True
    return False


def embeddings_refresh(
    *,
    kinds: Sequence[str] = (Embedding.Kind.CAPABILITY, Embedding.Kind.NEED),
    everything: bool = False,
    batch_size: int = 64,
    progress: Progress | None = None,
    encoder: Encoder | None = None,
) -> RefreshReport:
    """Re-embed what is out of date (or everything), in batches; safe to run twice or at once.

    Writing the same vector twice changes nothing, so a retried or duplicated run is harmless.
    """
    if encoder is None and not everything and not _anything_stale(kinds):
        # Loading the model takes longer than all the rest: a second `make run`, or a sweep
        # that finds nothing to do, does without it.
        report = RefreshReport(model_name=encoder_name())
        for kind in kinds:
            report.removed[str(kind)] = _remove_orphans(kind)
            report.embedded[str(kind)] = 0
        return report
    encoder = encoder or get_encoder()
    report = RefreshReport(model_name=encoder.name)
    for kind in kinds:
        spec = KINDS[kind]
        report.removed[str(kind)] = _remove_orphans(kind)
        ids = stale_ids(spec, encoder, everything=everything)
        done = 0
        if progress is not None:
            progress(kind, done, len(ids))
        for batch in _batches(ids, batch_size):
            done += _embed_batch(spec, encoder, batch)
            if progress is not None:
                progress(kind, done, len(ids))
        report.embedded[str(kind)] = done
    return report


def embedding_status() -> dict[str, Any]:
    """How many vectors are current, outdated or missing, for a visible re-index prompt."""
    encoder = get_encoder()
    status: dict[str, Any] = {"model": encoder.name, "dimension": encoder.dimension}
    for kind, spec in KINDS.items():
        total = spec.model._default_manager.count()
        embeddings = Embedding.objects.of_kind(kind)
        current = embeddings.current(encoder.name, encoder.dimension).count()
        status[kind] = {
            "total": total,
            "current": current,
            "outdated": embeddings.outdated(encoder.name, encoder.dimension).count(),
            "dirty": spec.model._default_manager.filter(embedding_dirty=True).count(),
        }
    return status
