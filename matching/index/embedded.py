"""The in-process index: exact cosine over a float32 matrix plus BM25, for one machine.

The vectors are kept transposed (one row per dimension): ``query @ matrix`` then runs BLAS's
column-wise gemv, about twice as fast on one core as a dot product per stored row, for the same
float32 cosines (up to the last bit of rounding).
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence

import numpy as np

from matching.index.base import Hit, IndexItem
from matching.index.lexical import BM25

RRF_K = 60


def top_indices(scores: np.ndarray, limit: int) -> np.ndarray:
    """Indices of the ``limit`` highest scores, best first, ties by position (deterministic)."""
    if limit >= len(scores):
        return np.lexsort((np.arange(len(scores)), -scores))
    part = np.argpartition(-scores, limit - 1)[:limit]
    return part[np.lexsort((part, -scores[part]))]


class _Store:
    def __init__(self) -> None:
        self.items: dict[int, IndexItem] = {}
        self.dirty = True
        self.ids = np.zeros(0, dtype=np.int64)
        # dimension x items, C-contiguous: column j is the vector of ids[j].
        self.matrix = np.zeros((0, 0), dtype=np.float32)
        self.bm25: BM25 | None = None

    def materialise(self) -> None:
        if not self.dirty:
            return
        ordered = sorted(self.items)
        self.ids = np.asarray(ordered, dtype=np.int64)
        if ordered:
            matrix = np.empty((len(self.items[ordered[0]].vector), len(ordered)), np.float32)
            for column, object_id in enumerate(ordered):
                matrix[:, column] = self.items[object_id].vector
            self.matrix = matrix
        else:
            self.matrix = np.zeros((0, 0), dtype=np.float32)
        self.bm25 = BM25([self.items[i].text for i in ordered])
        self.dirty = False


class EmbeddedIndex:
    def __init__(self) -> None:
        self._stores: dict[str, _Store] = {}
        self._lock = threading.RLock()

    def _store(self, kind: str) -> _Store:
        return self._stores.setdefault(kind, _Store())

    def upsert(self, kind: str, items: Sequence[IndexItem]) -> None:
        with self._lock:
            store = self._store(kind)
            for item in items:
                store.items[item.object_id] = item
            if items:
                store.dirty = True

    def remove(self, kind: str, object_ids: Collection[int]) -> None:
        with self._lock:
            store = self._store(kind)
            for object_id in object_ids:
                if store.items.pop(object_id, None) is not None:
                    store.dirty = True

    def prepare(self, kind: str) -> None:
        """Build the search structures now (the vector matrix, BM25), not at the next search."""
        with self._lock:
            self._store(kind).materialise()

    def ready(self, kind: str) -> bool:
        """Whether the next search of ``kind`` needs no build first."""
        with self._lock:
            return not self._store(kind).dirty

    def object_ids(self, kind: str) -> set[int]:
        with self._lock:
            return set(self._store(kind).items)

    def items(self, kind: str) -> dict[int, IndexItem]:
        with self._lock:
            return dict(self._store(kind).items)

    def search(
        self,
        kind: str,
        *,
        vector: np.ndarray,
        text: str,
        limit: int,
        allowed_ids: Collection[int] | None = None,
    ) -> list[Hit]:
        with self._lock:
            store = self._store(kind)
            store.materialise()
            ids, matrix, bm25 = store.ids, store.matrix, store.bm25
        if len(ids) == 0 or bm25 is None:
            return []
        dense = vector.astype(np.float32) @ matrix
        lexical = bm25.scores(text)
        if allowed_ids is not None:
            mask = np.isin(ids, np.fromiter(allowed_ids, dtype=np.int64))
            dense = np.where(mask, dense, -np.inf)
            lexical = np.where(mask, lexical, -np.inf)
            limit = min(limit, int(mask.sum()))
        limit = min(limit, len(ids))
        if limit <= 0:
            return []
        # Reciprocal-rank fusion: a position in both lists gets both shares (dense, then lexical).
        positions = np.concatenate([top_indices(dense, limit), top_indices(lexical, limit)])
        shares = np.tile(1.0 / (RRF_K + np.arange(1, limit + 1, dtype=np.float64)), 2)
        pool, slot = np.unique(positions, return_inverse=True)
        fused = np.zeros(len(pool), dtype=np.float64)
        np.add.at(fused, slot, shares)
        order = pool[np.lexsort((ids[pool], -fused))]
        return [
            Hit(int(object_id), float(cosine), max(float(bm25_score), 0.0))
            for object_id, cosine, bm25_score in zip(
                ids[order].tolist(), dense[order].tolist(), lexical[order].tolist(), strict=True
            )
        ]
