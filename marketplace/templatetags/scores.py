"""``{{ value|score }}``: a 0–1 matcher score as the 0–100 whole number every page shows."""

from __future__ import annotations

from django import template

from marketplace.common.scores import score_percent

register = template.Library()


@register.filter
def score(value: float | None) -> int | str:
    """Blank for a missing score, so a template need not test for it."""
    return "" if value is None or value == "" else score_percent(value)
