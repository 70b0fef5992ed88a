"""The ranking weights, in one place.

Fitted by coordinate ascent on the labelled dev set's needs (bench/data/devset.json,
``bench/quality.py --folds``) and scaled to sum to 1, so a score stays between 0 and 1; checked
on needs they were not fitted on (bench/data/heldout.json): figures in bench/README.md.
Responsiveness is not fitted: the labelled profiles have no lead record, so it is a rule of the
marketplace set by hand (a vendor with every lead overdue loses at most this much).
"""

from __future__ import annotations

from dataclasses import dataclass

MATURITY_VALUE = {"mass_production": 1.0, "pilot": 0.6, "prototype": 0.2}


@dataclass(frozen=True, slots=True)
class Weights:
    dense: float = 0.477
    lexical: float = 0.358
    maturity: float = 0.150
    responsiveness: float = 0.015


DEFAULT_WEIGHTS = Weights()
