"""Fusion weights fitted on some labelled needs and measured on others (cross-validation).

Pure numpy over precomputed tables: for each need, every candidate profile's component values
(in ``matching.ranking.scoring.COMPONENTS`` order, the same numbers the ranker sums), whether it
fails a hard requirement, and its label (gain 0, 1 or 2). The ranker's order is reproduced
exactly: eligible first, then the weighted sum, then the profile id.

Fitting is coordinate ascent on the training needs' mean nDCG@5: each weight in turn tries a
grid of values and keeps the best (ties keep the current value), for a few passes. Folds are
made by need, never by pair, so a fold's needs are all unseen by the weights it is scored with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

GRID = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.45, 0.6)
PASSES = 3


@dataclass(frozen=True)
class NeedTable:
    ref: str
    values: np.ndarray  # candidates × components
    failed: np.ndarray  # candidates, bool
    ids: np.ndarray  # candidates, the profile ids (last tie-break)
    gains: np.ndarray  # candidates, 0/1/2


def order(table: NeedTable, weights: np.ndarray) -> np.ndarray:
    scores = np.round(table.values @ weights, 6)
    return np.lexsort((table.ids, -scores, table.failed))


def ndcg5(table: NeedTable, weights: np.ndarray) -> float:
    ranked = table.gains[order(table, weights)][:5]
    ideal = np.sort(table.gains)[::-1][:5]
    discounts = 1 / np.log2(np.arange(2, 7))
    best = float(((2.0**ideal - 1) * discounts[: len(ideal)]).sum())
    got = float(((2.0**ranked - 1) * discounts[: len(ranked)]).sum())
    return got / best if best else 0.0


def recall3(table: NeedTable, weights: np.ndarray) -> float:
    right = table.gains == 2
    if not right.any():
        return 1.0
    return float(right[order(table, weights)][:3].sum() / right.sum())


def mean(metric: str, tables: Sequence[NeedTable], weights: np.ndarray) -> float:
    measure = ndcg5 if metric == "ndcg@5" else recall3
    return sum(measure(table, weights) for table in tables) / len(tables)


def fit(
    tables: Sequence[NeedTable], start: np.ndarray, *, free: Sequence[int] | None = None
) -> np.ndarray:
    """Coordinate ascent from ``start`` on mean nDCG@5; only the ``free`` weights move."""
    weights = start.astype(float).copy()
    movable = list(range(len(weights))) if free is None else list(free)
    best = mean("ndcg@5", tables, weights)
    for _ in range(PASSES):
        moved = False
        for index in movable:
            for value in GRID:
                trial = weights.copy()
                trial[index] = value
                score = mean("ndcg@5", tables, trial)
                if score > best + 1e-9:
                    best, weights, moved = score, trial, True
        if not moved:
            break
    return weights


def folds_of(refs: Sequence[str], k: int) -> list[list[str]]:
    """Needs dealt into k folds in a fixed shuffled order (seeded: the same folds every run)."""
    shuffled = list(refs)
    np.random.default_rng(20261206).shuffle(shuffled)
    return [shuffled[i::k] for i in range(k)]


@dataclass(frozen=True)
class CrossValidated:
    name: str
    ndcg_mean: float
    ndcg_worst: float
    recall_mean: float
    recall_worst: float


def cross_validate(
    name: str,
    tables: dict[str, NeedTable],
    folds: list[list[str]],
    start: np.ndarray,
    *,
    free: Sequence[int] | None = None,
    fitted: bool = True,
) -> CrossValidated:
    """Fit on every fold but one, score the one left out; mean and worst fold."""
    ndcgs, recalls = [], []
    for held in folds:
        train = [tables[ref] for fold in folds if fold is not held for ref in fold]
        weights = fit(train, start, free=free) if fitted else start
        test = [tables[ref] for ref in held]
        ndcgs.append(mean("ndcg@5", test, weights))
        recalls.append(mean("recall@3", test, weights))
    return CrossValidated(
        name,
        sum(ndcgs) / len(ndcgs),
        min(ndcgs),
        sum(recalls) / len(recalls),
        min(recalls),
    )


def only(index: int, size: int) -> np.ndarray:
    weights = np.zeros(size)
    weights[index] = 1.0
    return weights
