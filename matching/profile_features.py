"""Profiles' ranking features, kept in this process between rankings.

Turning profile rows into ``CapabilityFeatures`` (the row, its organisation and five relations)
was most of the cost of ranking a need. Each profile's features are kept under a stamp: the
row's ``updated_at`` (every save moves it, and the services set the relations in the same
transaction), its organisation's name and the taxonomy version (region and category names).
One light query reads the stamps of the candidates; only the profiles whose stamp moved are read
in full. The vendor's responsiveness is not kept here: it changes with every answer, and the
ranking reads it fresh each time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime

from django.db.models import QuerySet

from marketplace.models import Capability
from marketplace.taxonomy_version import taxonomy_version
from matching.ranking.types import CapabilityFeatures
from matching.selectors import capabilities_with_relations, capability_features

# Enough for every profile of a large catalogue at a few kB each; the oldest go first.
MAX_PROFILES = 50_000

Stamp = tuple[datetime, str, str]

_kept: OrderedDict[int, tuple[Stamp, CapabilityFeatures]] = OrderedDict()
_lock = threading.Lock()


def profile_features(profiles: QuerySet[Capability]) -> dict[int, CapabilityFeatures]:
    """Features (without the vendor's record) of each profile in ``profiles``, by id."""
    version = taxonomy_version()
    stamps: dict[int, Stamp] = {
        pk: (updated_at, organization_name, version)
        for pk, updated_at, organization_name in profiles.order_by().values_list(
            "pk", "updated_at", "organization__name"
        )
    }
    with _lock:
        found = {pk: _kept[pk] for pk in stamps if pk in _kept}
    stale = [pk for pk, stamp in stamps.items() if pk not in found or found[pk][0] != stamp]
    fresh = {
        profile.pk: capability_features(profile)
        for profile in capabilities_with_relations(Capability.objects.filter(pk__in=stale))
    }
    with _lock:
        for pk, features in fresh.items():
            # Kept under the stamp read first: a profile saved in between is read again next time.
            _kept[pk] = (stamps[pk], features)
            _kept.move_to_end(pk)
        while len(_kept) > MAX_PROFILES:
            _kept.popitem(last=False)
    kept = {pk: entry[1] for pk, entry in found.items() if pk not in stale}
    return {**kept, **fresh}


def profile_features_forget() -> None:
    """Forget every kept profile (tests that change rows behind the services' back)."""
    with _lock:
        _kept.clear()
