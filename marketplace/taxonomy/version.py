"""One version for the whole taxonomy (domains, service categories, product classes, robot
types, regions, certifications), shared by every process through the cache.

What is built from the taxonomy and kept between requests (the matcher's vocabulary and region
lineages, the list pages' filter menus) is kept under this version, and a save or delete of any
taxonomy row moves it (``MarketplaceConfig.ready`` connects the signals), so no process goes on
using a menu or a lineage that changed. Without a reachable cache the version is new on every
call: everything built from it is rebuilt, slower but never stale.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "marketplace:taxonomy-version"


def taxonomy_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Another process may have set one meanwhile: ``add`` keeps the first.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or uuid.uuid4().hex
    return str(version)


def _move() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def taxonomy_changed(**_signal: Any) -> None:
    """Move the version: a receiver for ``post_save`` and ``post_delete`` of taxonomy models.

    At once, for this transaction's own reads, and again on commit: another process may have
    built from the old rows under the first new version before they were committed."""
    _move()
    transaction.on_commit(_move)
