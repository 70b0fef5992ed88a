"""The ranking weights, in one place.

Fitted for the default model (EmbeddingGemma-300M) by coordinate ascent on mean nDCG@5 over all
159 labelled needs (the dev set and the held-out needs, ``bench/quality.py --needs
bench/data/heldout.json --with-devset-needs --folds 5``) and scaled to sum to 1, so a score stays
between 0 and 1. The same procedure, fitted on four folds and scored on the fifth, is the figure
that says how they do on needs they were not fitted on (bench/README.md). Responsiveness is not
fitted: no labelled profile has a lead record, so it is a rule of the marketplace set by hand (a
vendor with every lead overdue loses at most this much).
"""

from __future__ import annotations

from dataclasses import dataclass

MATURITY_VALUE = {"mass_production": 1.0, "pilot": 0.6, "prototype": 0.2}


@dataclass(frozen=True, slots=True)
class Weights:
    dense: float = 0.534
    lexical: float = 0.319
    maturity: float = 0.134
    responsiveness: float = 0.013


DEFAULT_WEIGHTS = Weights()
