"""The fused score: dense and lexical retrieval signals plus structured fit, all in 0..1."""

from __future__ import annotations

import operator
from collections.abc import Sequence

from django.utils.translation import gettext_noop

from matching.ranking.types import (
    CapabilityFeatures,
    NeedFeatures,
    ScoreBreakdown,
    ScoreComponent,
    Signals,
)
from matching.ranking.vocabulary import Vocabulary
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


def _overlap(wanted: frozenset[str], offered: frozenset[str]) -> float:
    if not wanted:
        return NEUTRAL
    return len(wanted & offered) / len(wanted)


def robot_types_named(need: NeedFeatures, vocabulary: Vocabulary) -> frozenset[str]:
    return vocabulary.robot_types_mentioned(f"{need.title}\n{need.description}")


def robot_type_fit(named: frozenset[str], capability: CapabilityFeatures) -> float:
    """1 when the need names this robot type, 0 when it names only others, neutral otherwise."""
    if not named:
        return NEUTRAL
    return 1.0 if capability.robot_type in named else 0.0


def capacity_value(capability: CapabilityFeatures) -> float:
    if capability.pilot_capacity_per_quarter is None:
        return NEUTRAL
    return min(1.0, capability.pilot_capacity_per_quarter / 3)


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
# values in the same order.
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("dense", gettext_noop("语义相似度")),
    ("lexical", gettext_noop("关键词匹配")),
    ("domain", gettext_noop("领域一致")),
    ("category", gettext_noop("服务类别重合")),
    ("product_class", gettext_noop("产品类别重合")),
    ("robot_type", gettext_noop("机器人类型")),
    ("maturity", gettext_noop("产品成熟度")),
    ("capacity", gettext_noop("试点承接余量")),
    ("responsiveness", gettext_noop("线索响应及时度")),
)


def component_values(
    need: NeedFeatures,
    capability: CapabilityFeatures,
    *,
    dense: float,
    lexical: float,
    named_robot_types: frozenset[str],
) -> tuple[float, ...]:
    """Each component's value in 0..1, in COMPONENTS order (see score_breakdown)."""
    return (
        dense,
        lexical,
        1.0 if need.domain in capability.domains else 0.0,
        _overlap(need.categories, capability.categories),
        _overlap(need.product_classes, capability.product_classes),
        robot_type_fit(named_robot_types, capability),
        MATURITY_VALUE.get(capability.maturity, NEUTRAL),
        capacity_value(capability),
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
    need: NeedFeatures,
    capability: CapabilityFeatures,
    *,
    dense: float,
    lexical: float,
    weights: Weights,
    named_robot_types: frozenset[str],
) -> ScoreBreakdown:
    """``dense`` and ``lexical`` are already rescaled to 0..1 within the candidate pool;
    ``named_robot_types`` are the robot types the need's text names (see robot_types_named)."""
    values = component_values(
        need, capability, dense=dense, lexical=lexical, named_robot_types=named_robot_types
    )
    return breakdown_of(values, component_weights(weights))


def rescaled_signals(signals: Sequence[Signals]) -> list[tuple[float, float]]:
    dense = rescale([signal.dense for signal in signals])
    lexical = rescale([signal.lexical for signal in signals])
    return list(zip(dense, lexical, strict=True))
