"""A ranked match's reasons in one language, as the match page shows them (HTML) and as the API
returns them (data): made once, then kept and shared.

A stored match is a frozen value, and the same lists are read again and again by every web
process. Each process keeps the last ``KEPT`` of each kind. Behind that, the "fragments" cache
(Redis in production, shared by every process; per process in the embedded setup) keeps them
for ``TIMEOUT``, and the worker puts a list's first ``WARM`` there as it stores the list
(``fragments_warm``): the first reader of a new list, in whichever process, finds them made. A
key names the match's content and what shapes the output (the templates' sources, the
language's catalogue, this module and the engine's wording), so a deploy that changes any of
them reads new keys, never an old rendering.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar

import django
from django.conf import settings
from django.core.cache import caches
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from marketplace.matches.reasons import MatchReasons
from matching.engine import RankedMatch, reason_objects, wording_revision

T = TypeVar("T")

CACHE = "fragments"  # settings.CACHES: Redis in production
KEPT = 2048
TIMEOUT = 24 * 60 * 60
# The API's default page (the match page shows ten).
WARM = 20


@dataclass
class Fragments(Generic[T]):
    """One kind of rendering: ``make`` renders a match in the active language."""

    name: str
    make: Callable[[RankedMatch], T]
    templates: tuple[str, ...] = ()
    kept: dict[tuple[RankedMatch, str], T] = field(default_factory=dict)

    def many(self, matches: Sequence[RankedMatch], language: str) -> list[T]:
        """The renderings of ``matches`` in ``language``, which is the active language (the
        caller passes get_language()): kept, shared or made, in one cache read at most."""
        found: dict[RankedMatch, T] = {}
        for match in matches:
            value = self.kept.get((match, language))
            if value is not None:
                found[match] = value
        missing = [m for m in matches if m not in found]
        if missing:
            keys = {m: self._key(m, language) for m in missing}
            shared = caches[CACHE].get_many(list(keys.values()))
            made: dict[str, T] = {}
            for match in missing:
                value = shared.get(keys[match])
                if value is None:
                    value = made[keys[match]] = self.make(match)
                found[match] = value
                self._keep(match, language, value)
            if made:
                caches[CACHE].set_many(made, TIMEOUT)
        return [found[m] for m in matches]

    def forget(self) -> None:
        """Empty this process's keeping (the shared cache stays)."""
        self.kept.clear()

    def _keep(self, match: RankedMatch, language: str, value: T) -> None:
        if len(self.kept) >= KEPT:
            self.kept.clear()
        self.kept[(match, language)] = value

    def _key(self, match: RankedMatch, language: str) -> str:
        content = hashlib.blake2b(repr(match).encode(), digest_size=16).hexdigest()
        return f"fragments:{self.name}:{_revision(self.templates, language)}:{content}"


@lru_cache(maxsize=16)
def _revision(templates: tuple[str, ...], language: str) -> str:
    digest = hashlib.blake2b(digest_size=8)
    for part in (django.get_version(), language, wording_revision()):
        digest.update(part.encode())
    for name in templates:
        digest.update(get_template(name).template.source.encode())  # type: ignore[attr-defined]
    for module in ("marketplace.matches.reasons", "marketplace.common.scores", __name__):
        digest.update(inspect.getsource(sys.modules[module]).encode())
    locale = translation.to_locale(language)
    for path in settings.LOCALE_PATHS:
        catalogue = Path(path) / locale / "LC_MESSAGES" / "django.mo"
        if catalogue.exists():
            digest.update(catalogue.read_bytes())
    return digest.hexdigest()


def _reasons_html(match: RankedMatch) -> SafeString:
    return SafeString(
        render_to_string("marketplace/matches/_match_reasons.html", {"row": MatchReasons(match)})
    )


def _reasons_data(match: RankedMatch) -> dict[str, Any]:
    """What the API's match objects carry besides score and eligibility. Read-only: callers
    copy the dict, never change its lists."""
    return {
        "reasons": reason_objects(match.aspects),
        "aspects": [
            {
                "key": a.key,
                "label": a.label,
                "status": str(a.status),
                "wanted": a.wanted,
                "evidence": a.evidence,
                "is_hard": a.is_hard,
            }
            for a in match.aspects
        ],
        "breakdown": [
            {
                "name": c.name,
                "label": c.label_text,
                "value": c.value,
                "weight": c.weight,
                "contribution": c.contribution,
            }
            for c in match.breakdown.components
        ],
    }


page_reasons: Fragments[SafeString] = Fragments(
    "page",
    _reasons_html,
    ("marketplace/matches/_match_reasons.html", "marketplace/matches/_aspects.html"),
)
api_reasons: Fragments[dict[str, Any]] = Fragments("api", _reasons_data)


def fragments_warm(matches: Sequence[RankedMatch]) -> None:
    """Put the first ``WARM`` of a list just stored into the shared cache, in every language,
    for the pages and the API. Run by the worker. With Redis unreachable the cache reads as
    empty and skips writes (config/cache.py): the first reader renders, nothing fails."""
    first = list(matches[:WARM])
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            page_reasons.many(first, language)
            api_reasons.many(first, language)
