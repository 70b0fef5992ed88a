"""The reading of a free-text need (suggested categories, robot type, product class) and its
clarifying question: the taxonomy's terms from the database, the model's vectors in the worker.

Web processes read with keywords only (``need_reading_keywords``) or read what the worker stored
with the need's match list (``stored_reading``); only ``reading_with_model`` runs the model."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from marketplace.matches.features_kept import profile_features_kept
from marketplace.matches.models import MatchList
from marketplace.matches.ranking import MatchContext, lists_version
from marketplace.models import Capability, Need, ProductClass, RobotType, ServiceCategory
from marketplace.taxonomy.version import taxonomy_version
from matching.engine import (
    Embedding,
    NeedReading,
    Question,
    RankedMatch,
    TaxonomyTerm,
    TermVectors,
    clarifying_question,
    encoder_name,
    read_need,
    taxonomy_terms,
)

logger = logging.getLogger(__name__)


def reading_terms() -> tuple[TaxonomyTerm, ...]:
    return _terms(taxonomy_version())


@lru_cache(maxsize=1)
def _terms(version: str) -> tuple[TaxonomyTerm, ...]:
    return taxonomy_terms(
        categories=[
            (c.code, c.domain.code, c.name_zh, c.name_en, tuple(c.keywords or ()))
            for c in ServiceCategory.objects.select_related("domain")
        ],
        robot_types=RobotType.objects.values_list("code", "name_zh", "name_en"),
        product_classes=ProductClass.objects.values_list("code", "name_zh", "name_en"),
    )


def reading_text(title: str, description: str) -> str:
    return "\n".join(part for part in (title, description) if part)


def need_reading_keywords(title: str, description: str, domain: str | None) -> NeedReading:
    """The keyword reading, for the need form as the institution types (no model)."""
    return read_need(reading_text(title, description), reading_terms(), domain=domain)


def term_vectors() -> dict[tuple[str, str], np.ndarray]:
    """The model's vectors of the taxonomy terms (document prompt), once per model and
    taxonomy version in this worker process."""
    return _term_vectors(encoder_name(), taxonomy_version())


@lru_cache(maxsize=2)
def _term_vectors(model_name: str, version: str) -> dict[tuple[str, str], np.ndarray]:
    from matching.engine import get_encoder

    terms = _terms(version)
    vectors = get_encoder().encode([term.text for term in terms], role="document")
    return {
        (term.kind.value, term.code): vector.astype("float32")
        for term, vector in zip(terms, vectors, strict=True)
    }


def reading_with_model(need: Need) -> NeedReading:
    """The worker's reading: keywords and the model (the need's stored vector against the
    terms' vectors); keywords alone while the need has no vector or the model cannot load."""
    stored = (
        Embedding.objects.of_kind(Embedding.Kind.NEED)
        .filter(object_id=need.pk, model_name=encoder_name())
        .first()
    )
    vectors = None
    if stored is not None:
        try:
            vectors = TermVectors(need=stored.as_array(), terms=term_vectors())
        except (OSError, ValueError, ImportError):
            logger.warning("No model for the reading of need %s; keywords only.", need.pk)
    text = reading_text(need.title, need.description)
    return read_need(text, reading_terms(), domain=need.domain.code, vectors=vectors)


def question_for(
    need: Need, matches: Sequence[RankedMatch], context: MatchContext
) -> Question | None:
    """The clarifying question the need's top eligible matches call for."""
    from marketplace.matches.features_kept import need_kept

    kept = need_kept(need, context)
    if kept is None:
        return None
    top = [match.capability_id for match in matches if match.eligible][:5]
    profiles = profile_features_kept(Capability.objects.filter(pk__in=top), context)
    ordered = [profiles[pk] for pk in top if pk in profiles]
    return clarifying_question(kept.features, reading_text(need.title, need.description), ordered)


def reading_data(
    need: Need, matches: Sequence[RankedMatch], context: MatchContext
) -> dict[str, object]:
    """What the worker stores with the need's match list."""
    question = question_for(need, matches, context)
    return {
        "reading": reading_with_model(need).to_data(),
        "question": str(question) if question else "",
    }


@dataclass(frozen=True)
class StoredReading:
    reading: NeedReading
    question: Question | None
    current: bool


def stored_reading(
    need: Need, match_list: MatchList | None, *, current: bool | None = None
) -> StoredReading | None:
    """The reading and question stored with ``match_list``, the need's list of the current
    model (``need_match_list``), if it has one; ``current``: whether the list is up to date,
    when the caller knows (the match page read it)."""
    if match_list is None or not match_list.reading:
        return None
    data = match_list.reading
    try:
        question: Question | None = Question(data.get("question") or "")
    except ValueError:
        question = None
    return StoredReading(
        reading=NeedReading.from_data(data.get("reading")),
        question=question,
        current=match_list.is_current_for(need, lists_version()) if current is None else current,
    )
