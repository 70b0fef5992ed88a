"""The one scale people read a match score on: a whole number from 0 to 100.

The matcher, the database and the API's ``score`` field keep the engine's 0–1. Every page,
notification and export shows a score through ``score_percent`` (in templates, the ``score``
filter of ``{% load scores %}``), so the same pair reads the same number everywhere: 0.973 is 97
on the matches page, in the leads inbox, in an event's shortlist and in its CSV.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_ONE = Decimal(1)


def score_percent(value: float) -> int:
    """A 0–1 matcher score as the 0–100 whole number people read, rounded half up from the
    value as written (0.975 → 98, where float arithmetic would give 97.49… → 97)."""
    return int((Decimal(repr(float(value))) * 100).quantize(_ONE, rounding=ROUND_HALF_UP))


def score_points(value: float) -> str:
    """A part of a score (a breakdown row's contribution) on the same 0–100 scale, to one
    decimal so that small parts do not all read 0; the parts add up to the score."""
    points = (Decimal(repr(float(value))) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{points:.1f}"
