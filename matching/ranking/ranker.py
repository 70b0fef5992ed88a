"""Rank candidates for one need: eligibility first, then the fused score, then a stable order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from matching.ranking.eligibility import failed_requirements, hard_aspects
from matching.ranking.explanations import soft_aspects
from matching.ranking.scoring import rescaled_signals, robot_types_named, score_breakdown
from matching.ranking.types import CapabilityFeatures, NeedFeatures, RankedMatch, Signals
from matching.ranking.vocabulary import EMPTY_VOCABULARY, Vocabulary
from matching.ranking.weights import DEFAULT_WEIGHTS, Weights


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

    Explanations are built only for the ``top`` matches returned, not for the whole pool.
    ``prescaled`` says the signals are already in 0..1 (the caller rescaled them over its pool).
    """
    matches = []
    scaled = (
        [(signals.dense, signals.lexical) for _, signals in candidates]
        if prescaled
        else rescaled_signals([signals for _, signals in candidates])
    )
    named = robot_types_named(need, vocabulary)
    for (capability, _), (dense, lexical) in zip(candidates, scaled, strict=True):
        hard = hard_aspects(need, capability)
        failed = failed_requirements(hard)
        breakdown = score_breakdown(
            need,
            capability,
            dense=dense,
            lexical=lexical,
            weights=weights,
            named_robot_types=named,
        )
        matches.append(
            RankedMatch(
                need_id=need.id,
                capability_id=capability.id,
                score=round(breakdown.total, 6),
                eligible=not failed,
                failed_requirements=failed,
                breakdown=breakdown,
                aspects=hard,
            )
        )
    matches.sort(key=lambda match: (not match.eligible, -match.score, match.capability_id))
    kept = matches[:top] if top is not None else matches
    if not explain:
        return kept
    by_id = {capability.id: capability for capability, _ in candidates}
    return [
        replace(
            match,
            aspects=match.aspects + soft_aspects(need, by_id[match.capability_id], vocabulary),
        )
        for match in kept
    ]
