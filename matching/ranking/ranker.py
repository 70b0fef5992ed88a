"""Rank candidates for one need: eligibility first, then the fused score, then a stable order."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import astuple
from typing import NamedTuple

from matching.ranking.eligibility import failed_keys, hard_aspects
from matching.ranking.explanations import soft_aspects
from matching.ranking.scoring import (
    COMPONENTS,
    breakdown_of,
    component_values,
    component_weights,
    rescaled_signals,
    score_total,
)
from matching.ranking.types import (
    Aspect,
    CapabilityFeatures,
    NeedFeatures,
    RankedMatch,
    Signals,
)
from matching.ranking.vocabulary import EMPTY_VOCABULARY, Vocabulary
from matching.ranking.weights import DEFAULT_WEIGHTS, Weights

# Raise it when a change to the rules (eligibility, requirement reading, reasons) should re-rank
# every stored match list; a change of the components or the weights does so by itself.
RULES_REVISION = 1


def ranker_version() -> str:
    """A short digest of what decides a ranking besides the vectors and the taxonomy: the rules'
    revision, the score's components and their weights. Stored match lists carry it, so a
    deployment that changes any of them ranks the stored lists again (the worker's next pass)."""
    names = ",".join(name for name, _label in COMPONENTS)
    weights = ",".join(f"{w:g}" for w in astuple(DEFAULT_WEIGHTS))
    digest = hashlib.sha256(f"{RULES_REVISION}|{names}|{weights}".encode()).hexdigest()
    return digest[:12]


class _Scored(NamedTuple):
    """One candidate's place in the order, before its breakdown and reasons are built."""

    capability: CapabilityFeatures
    score: float
    failed: tuple[str, ...]
    values: tuple[float, ...]


def rank_capabilities(
    need: NeedFeatures,
    candidates: Sequence[tuple[CapabilityFeatures, Signals]],
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    vocabulary: Vocabulary = EMPTY_VOCABULARY,
    top: int | None = None,
    explain: bool = True,
    prescaled: bool = False,
) -> list[RankedMatch]:
    """Every candidate scored; ineligible ones never rank above an eligible one.

    The whole pool is ordered on plain numbers (score, failed requirements); the breakdowns and
    the requirement-level aspects are built only for the ``top`` matches returned, and the
    explanations (``explain``) are added to those.
    ``prescaled`` says the signals are already in 0..1 (the caller rescaled them over its pool).
    """
    scaled = (
        [(signals.dense, signals.lexical) for _, signals in candidates]
        if prescaled
        else rescaled_signals([signals for _, signals in candidates])
    )
    weight_values = component_weights(weights)
    scored = []
    for (capability, _), (dense, lexical) in zip(candidates, scaled, strict=True):
        values = component_values(capability, dense=dense, lexical=lexical)
        score = round(score_total(values, weight_values), 6)
        scored.append(_Scored(capability, score, failed_keys(need, capability), values))
    scored.sort(key=lambda s: (bool(s.failed), -s.score, s.capability.id))
    kept = scored[:top] if top is not None else scored
    matches = []
    for capability, score, failed, values in kept:
        aspects = (
            explain_pair(need, capability, vocabulary)
            if explain
            else hard_aspects(need, capability, vocabulary)
        )
        matches.append(
            RankedMatch(
                need_id=need.id,
                capability_id=capability.id,
                score=score,
                eligible=not failed,
                failed_requirements=failed,
                breakdown=breakdown_of(values, weight_values),
                aspects=aspects,
            )
        )
    return matches


def explain_pair(
    need: NeedFeatures, capability: CapabilityFeatures, vocabulary: Vocabulary = EMPTY_VOCABULARY
) -> tuple[Aspect, ...]:
    """The requirement-level reasons for one pair: hard conditions first, then each aspect.

    They depend on the two sides only, not on retrieval, so a stored lead is explained without
    ranking it again."""
    return hard_aspects(need, capability, vocabulary) + soft_aspects(need, capability, vocabulary)
