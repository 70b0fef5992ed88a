"""The ranking weights, in one place. Tuned on the labelled set in bench/quality.py."""

from __future__ import annotations

from dataclasses import dataclass

MATURITY_VALUE = {"mass_production": 1.0, "pilot": 0.6, "prototype": 0.2}


@dataclass(frozen=True, slots=True)
class Weights:
    dense: float = 0.42
    lexical: float = 0.20
    domain: float = 0.10
    category: float = 0.12
    product_class: float = 0.04
    robot_type: float = 0.03
    maturity: float = 0.03
    capacity: float = 0.03
    responsiveness: float = 0.03


DEFAULT_WEIGHTS = Weights()
