"""The ranking weights, in one place.

Fitted by coordinate ascent on the labelled dev set (bench/data/devset.json, ``bench/quality.py
--folds``) and scaled to sum to 1, so a score stays between 0 and 1. Checked on needs they were not
fitted on (bench/data/heldout.json): figures in bench/README.md. Domain has no weight of its own:
the category and the text already carry it, and weighting it again did not help on either set.
"""

from __future__ import annotations

from dataclasses import dataclass

MATURITY_VALUE = {"mass_production": 1.0, "pilot": 0.6, "prototype": 0.2}


@dataclass(frozen=True, slots=True)
class Weights:
    dense: float = 0.374
    lexical: float = 0.281
    domain: float = 0.0
    category: float = 0.075
    product_class: float = 0.025
    robot_type: float = 0.019
    maturity: float = 0.188
    capacity: float = 0.019
    responsiveness: float = 0.019


DEFAULT_WEIGHTS = Weights()
