"""The fused score: dense and lexical retrieval signals, the product's maturity and the vendor's
responsiveness, all in 0..1."""

from __future__ import annotations

import operator
from collections.abc import Sequence

from django.utils.translation import gettext_noop

from matching.ranking.types import (
    CapabilityFeatures,
    ScoreBreakdown,
    ScoreComponent,
    Signals,
)
from matching.ranking.weights import MATURITY_VALUE, Weights

NEUTRAL = 0.5


def rescale(values: Sequence[float]) -> list[float]:
    """Min-max over one candidate pool, so each signal spans 0..1 whatever the model's range."""
    if not values:
        return []
    low, high = min(values), max(values)
    if high - low < 1e-9:
        return [1.0 if high > 0 else 0.0 for _ in values]
    return [(value - low) / (high - low) for value in values]


# Answered leads a vendor is credited with before its record counts: one overdue lead of a new
# vendor costs a third of the signal, not all of it.
RESPONSIVENESS_PRIOR = 2


def responsiveness_value(capability: CapabilityFeatures) -> float:
    """1 for a vendor with no overdue lead (or no record yet), falling as overdue leads
    outnumber answered ones."""
    answered = max(capability.leads_answered, 0) + RESPONSIVENESS_PRIOR
    return answered / (answered + max(capability.leads_overdue, 0))


# The parts of the score, in the order a breakdown lists them: (name, label, a message id rendered
# when read). Each name is also the Weights field that weighs it; component_values gives the
# values in the same order. A part stays only while it raises cross-validated nDCG@5 on the
# labelled needs (``bench/quality.py --folds 5 --candidates`` tries the others again: domain,
# category, product class, robot type named and pilot capacity did not, and were removed), except
# responsiveness, a rule of the marketplace that labelled relevance cannot measure: a vendor who
# leaves leads unanswered ranks lower, and its inbox says so.
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("dense", gettext_noop("语义相似度")),
    ("lexical", gettext_noop("关键词匹配")),
    ("maturity", gettext_noop("产品成熟度")),
    ("responsiveness", gettext_noop("线索响应及时度")),
)


def component_values(
    capability: CapabilityFeatures, *, dense: float, lexical: float
) -> tuple[float, ...]:
    """Each component's value in 0..1, in COMPONENTS order (see score_breakdown)."""
    return (
        dense,
        lexical,
        MATURITY_VALUE.get(capability.maturity, NEUTRAL),
        responsiveness_value(capability),
    )


def component_weights(weights: Weights) -> tuple[float, ...]:
    """The weights in COMPONENTS order."""
    return tuple(float(getattr(weights, name)) for name, _ in COMPONENTS)


def score_total(values: Sequence[float], weights: Sequence[float]) -> float:
    """The total of the breakdown of these values, without building it (the same float sum
    as ScoreBreakdown.total, so the two agree to the last bit)."""
    return sum(map(operator.mul, values, weights))


def breakdown_of(values: Sequence[float], weights: Sequence[float]) -> ScoreBreakdown:
    return ScoreBreakdown(
        tuple(
            ScoreComponent(name, label, value, weight)
            for (name, label), value, weight in zip(COMPONENTS, values, weights, strict=True)
        )
    )


def score_breakdown(
    capability: CapabilityFeatures, *, dense: float, lexical: float, weights: Weights
) -> ScoreBreakdown:
    """``dense`` and ``lexical`` are already rescaled to 0..1 within the candidate pool."""
    values = component_values(capability, dense=dense, lexical=lexical)
    return breakdown_of(values, component_weights(weights))


def rescaled_signals(signals: Sequence[Signals]) -> list[tuple[float, float]]:
    dense = rescale([signal.dense for signal in signals])
    lexical = rescale([signal.lexical for signal in signals])
    return list(zip(dense, lexical, strict=True))
