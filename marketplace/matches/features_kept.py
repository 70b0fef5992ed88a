"""Needs' and profiles' ranking features, kept in this process between rankings.

Turning rows into features (each row, its organisation and up to five relations) was most of
the cost of a ranking. Each object's features are kept under a stamp: the row's ``updated_at``
(every save moves it, and the services set the relations in the same transaction), for a
profile its organisation's name, and the taxonomy version (names, lineages). One light query
reads the stamps of the objects asked for; only those whose stamp moved are read in full. A
vendor's responsiveness is not kept: it changes with every answer, and the ranking reads it
fresh each time.

The query vector of a need (or a profile) being ranked is kept too, under the model and the text
it was made from: the same text gives the same vector, so nothing about it can go stale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

import numpy as np
from django.db.models import QuerySet

from marketplace.matches.features import (
    capabilities_with_relations,
    capability_features,
    need_features,
    need_text,
    needs_with_relations,
)
from marketplace.models import Capability, Need
from matching.engine import CapabilityFeatures, Embedding, NeedFeatures

if TYPE_CHECKING:
    from marketplace.matches.ranking import MatchContext

# Enough for every object of a large catalogue at a few kB each; the least used go first.
MAX_KEPT = 50_000
# A vector with its text is a few kB too; the objects being ranked now are what repeats.
VECTORS_KEPT = 4_096

T = TypeVar("T")


class KeptNeed(NamedTuple):
    features: NeedFeatures
    text: str  # what the encoder reads, to check a stored vector against


class _Kept(Generic[T]):
    def __init__(self, max_entries: int = MAX_KEPT) -> None:
        self._entries: OrderedDict[int, tuple[Hashable, T]] = OrderedDict()
        self._max_entries = max_entries
        self._lock = threading.Lock()

    def get_many(
        self, stamps: dict[int, Hashable], build: Callable[[list[int]], Iterable[tuple[int, T]]]
    ) -> dict[int, T]:
        with self._lock:
            found = {
                pk: self._entries[pk][1]
                for pk, stamp in stamps.items()
                if pk in self._entries and self._entries[pk][0] == stamp
            }
        missing = [pk for pk in stamps if pk not in found]
        fresh = dict(build(missing)) if missing else {}
        with self._lock:
            for pk, value in fresh.items():
                # Kept under the stamp read first: an object saved in between is read again.
                self._entries[pk] = (stamps[pk], value)
            for pk in stamps.keys() & self._entries.keys():
                self._entries.move_to_end(pk)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        return {**found, **fresh}

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_profiles: _Kept[CapabilityFeatures] = _Kept()
_needs: _Kept[KeptNeed] = _Kept()
# Query vectors by kind: a few thousand of the objects read most recently.
_vectors: dict[str, _Kept[np.ndarray]] = {
    Embedding.Kind.NEED: _Kept(VECTORS_KEPT),
    Embedding.Kind.CAPABILITY: _Kept(VECTORS_KEPT),
}


def profile_features_kept(
    profiles: QuerySet[Capability], context: MatchContext
) -> dict[int, CapabilityFeatures]:
    """Features (without the vendor's record) of each profile in ``profiles``, by id, kept under
    ``context``'s taxonomy version."""
    stamps: dict[int, Hashable] = {
        pk: (updated_at, organization_name, context.version)
        for pk, updated_at, organization_name in profiles.order_by().values_list(
            "pk", "updated_at", "organization__name"
        )
    }

    def build(ids: list[int]) -> Iterable[tuple[int, CapabilityFeatures]]:
        rows = capabilities_with_relations(Capability.objects.filter(pk__in=ids))
        return ((row.pk, capability_features(row)) for row in rows)

    return _profiles.get_many(stamps, build)


def need_features_kept(needs: QuerySet[Need], context: MatchContext) -> dict[int, KeptNeed]:
    """Features and encoder text of each need in ``needs``, by id, with the region lineages of
    ``context`` (kept under its taxonomy version)."""
    return _needs_kept(needs.order_by().values_list("pk", "updated_at"), context)


def need_kept(need: Need, context: MatchContext) -> KeptNeed | None:
    """The same for one need as read: its ``updated_at`` is the stamp, so a page that has just
    read the need spares the query of the stamps. None if it no longer exists."""
    return _needs_kept([(need.pk, need.updated_at)], context).get(need.pk)


def _needs_kept(
    updated: Iterable[tuple[int, datetime]], context: MatchContext
) -> dict[int, KeptNeed]:
    stamps: dict[int, Hashable] = {pk: (at, context.version) for pk, at in updated}

    def build(ids: list[int]) -> Iterable[tuple[int, KeptNeed]]:
        rows = needs_with_relations(Need.objects.filter(pk__in=ids))
        return (
            (row.pk, KeptNeed(need_features(row, context.lineages), need_text(row))) for row in rows
        )

    return _needs.get_many(stamps, build)


def vector_kept(
    kind: str, object_id: int, stamp: Hashable, read: Callable[[], np.ndarray]
) -> np.ndarray:
    """The query vector of one need or profile, kept under ``stamp``: the model and the text it
    is the vector of (the same text gives the same vector, whether stored or encoded), so a
    changed text is read anew. ``read`` finds it when it is not kept."""
    vectors = _vectors[kind].get_many({object_id: stamp}, lambda ids: [(object_id, read())])
    return vectors[object_id]


def features_forget() -> None:
    """Forget everything kept (tests that roll the database back start anew)."""
    _profiles.clear()
    _needs.clear()
    for vectors in _vectors.values():
        vectors.clear()
