"""Budgets and prices with one bound, both, equal, or none read naturally on every page."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string


@pytest.mark.parametrize(
    ("low", "high", "unknown", "shown"),
    [
        (None, None, None, "—"),
        (None, None, "面议", "面议"),
        (None, 300000, None, "不超过 300000"),
        (5000, None, None, "不低于 5000"),
        (0, None, None, "不低于 0"),
        (70000, 70000, None, "70000"),
        (120000, 180000, None, "120000 – 180000"),
    ],
)
def test_a_yuan_range_names_its_bounds(
    low: int | None, high: int | None, unknown: str | None, shown: str
) -> None:
    context = {"low": low, "high": high, "unknown": unknown}

    assert render_to_string("includes/cny_range.html", context).strip() == shown
