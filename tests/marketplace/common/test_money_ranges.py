"""Budgets and prices with one bound, both, equal, or none read naturally on every page."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation


@pytest.mark.parametrize(
    ("low", "high", "unknown", "shown"),
    [
        (None, None, None, "—"),
        (None, None, "面议", "面议"),
        (None, 300000, None, "不超过 30 万元"),
        (5000, None, None, "不低于 5000 元"),
        (0, None, None, "不低于 0 元"),
        (70000, 70000, None, "7 万元"),
        (120000, 180000, None, "12 万元 – 18 万元"),
    ],
)
def test_a_yuan_range_names_its_bounds(
    low: int | None, high: int | None, unknown: str | None, shown: str
) -> None:
    context = {"low": low, "high": high, "unknown": unknown}

    assert render_to_string("includes/cny_range.html", context).strip() == shown


@pytest.mark.parametrize(
    ("low", "high", "shown"),
    [
        (None, 80000, "up to CNY 80,000"),
        (5000, None, "from CNY 5,000"),
        (70000, 70000, "CNY 70,000"),
        (120000, 180000, "CNY 120,000 – CNY 180,000"),
    ],
)
def test_a_yuan_range_in_english_names_the_currency(
    low: int | None, high: int | None, shown: str
) -> None:
    with translation.override("en"):
        html = render_to_string("includes/cny_range.html", {"low": low, "high": high})

    assert html.strip() == shown
