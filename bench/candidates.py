"""Score parts tried and removed: what ``bench/quality.py --folds K --candidates`` adds back.

Each was a component of the fused score until cross-validation showed that it did not raise
nDCG@5 on the labelled needs (bench/README.md). They are kept here, computed from the same
features as the ranker's, so the claim can be checked again on a new model or new labels: the
run adds each to the shipped components in turn, refits and reports the cross-validated figure.
"""

from __future__ import annotations

from collections.abc import Callable

from matching.ranking.text import mentions
from matching.ranking.types import CapabilityFeatures, NeedFeatures
from matching.ranking.vocabulary import Vocabulary

NEUTRAL = 0.5

# (need, profile, robot types the need's text names) -> value in 0..1
Candidate = Callable[[NeedFeatures, CapabilityFeatures, frozenset[str]], float]


def robot_types_named(need: NeedFeatures, vocabulary: Vocabulary) -> frozenset[str]:
    """The robot types the need's title or description names (the removed part's input)."""
    text = f"{need.title}\n{need.description}"
    return frozenset(
        code for code, terms in vocabulary.robot_type_terms.items() if mentions(text, terms)
    )


def _overlap(wanted: frozenset[str], offered: frozenset[str]) -> float:
    return len(wanted & offered) / len(wanted) if wanted else NEUTRAL


def _robot_type(need: NeedFeatures, cap: CapabilityFeatures, named: frozenset[str]) -> float:
    return (1.0 if cap.robot_type in named else 0.0) if named else NEUTRAL


def _capacity(need: NeedFeatures, cap: CapabilityFeatures, named: frozenset[str]) -> float:
    if cap.pilot_capacity_per_quarter is None:
        return NEUTRAL
    return min(1.0, cap.pilot_capacity_per_quarter / 3)


CANDIDATES: dict[str, Candidate] = {
    "domain": lambda need, cap, named: 1.0 if need.domain in cap.domains else 0.0,
    "category": lambda need, cap, named: _overlap(need.categories, cap.categories),
    "product_class": lambda need, cap, named: _overlap(need.product_classes, cap.product_classes),
    "robot_type": _robot_type,
    "capacity": _capacity,
}
