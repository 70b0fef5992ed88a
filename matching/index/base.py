"""What every search backend offers: dense and lexical signals for the same candidates."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np


@dataclass(frozen=True, slots=True)
class IndexItem:
    object_id: int
    vector: np.ndarray
    text: str
    # Structured fields a backend may filter on (domains, regions, certifications, price).
    fields: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Hit:
    object_id: int
    dense: float
    lexical: float


class SearchIndex(Protocol):
    def upsert(self, kind: str, items: Sequence[IndexItem]) -> None: ...

    def remove(self, kind: str, object_ids: Collection[int]) -> None: ...

    def object_ids(self, kind: str) -> set[int]: ...

    def items(self, kind: str) -> dict[int, IndexItem]:
        """Every stored item by object id, as the index holds it (for reconciliation)."""
        ...

    def search(
        self,
        kind: str,
        *,
        vector: np.ndarray,
        text: str,
        limit: int,
        allowed_ids: Collection[int] | None = None,
    ) -> list[Hit]:
        """The union of the dense top ``limit`` and the lexical top ``limit``, each hit carrying
        both signals (cosine, raw BM25), best first by the fused rank."""
        ...
