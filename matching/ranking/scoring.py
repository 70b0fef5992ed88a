"""The fused score: dense and lexical retrieval signals plus structured fit, all in 0..1."""

from __future__ import annotations

from collections.abc import Sequence

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
    domain = 1.0 if need.domain in capability.domains else 0.0
    components = (
        ScoreComponent("dense", "语义相似度", dense, weights.dense),
        ScoreComponent("lexical", "关键词匹配", lexical, weights.lexical),
        ScoreComponent("domain", "领域一致", domain, weights.domain),
        ScoreComponent(
            "category",
            "服务类别重合",
            _overlap(need.categories, capability.categories),
            weights.category,
        ),
        ScoreComponent(
            "product_class",
            "产品类别重合",
            _overlap(need.product_classes, capability.product_classes),
            weights.product_class,
        ),
        ScoreComponent(
            "robot_type",
            "机器人类型",
            robot_type_fit(named_robot_types, capability),
            weights.robot_type,
        ),
        ScoreComponent(
            "maturity",
            "产品成熟度",
            MATURITY_VALUE.get(capability.maturity, NEUTRAL),
            weights.maturity,
        ),
        ScoreComponent("capacity", "试点承接余量", capacity_value(capability), weights.capacity),
    )
    return ScoreBreakdown(components)


def rescaled_signals(signals: Sequence[Signals]) -> list[tuple[float, float]]:
    dense = rescale([signal.dense for signal in signals])
    lexical = rescale([signal.lexical for signal in signals])
    return list(zip(dense, lexical, strict=True))
