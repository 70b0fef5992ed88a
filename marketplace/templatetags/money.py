"""``{% cny_range low high unknown %}``: a budget or price range in the reader's language
("不超过 8 万元", "up to CNY 80,000")."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from matching.engine import yuan

register = template.Library()


@register.simple_tag
def cny_range(low: int | None, high: int | None, unknown: str | None = None) -> str:
    if low is None and high is None:
        return unknown or "—"
    if low is None:
        return gettext("不超过 %(high)s") % {"high": yuan(high or 0)}
    if high is None:
        return gettext("不低于 %(low)s") % {"low": yuan(low)}
    if low == high:
        return yuan(low)
    return gettext("%(low)s – %(high)s") % {"low": yuan(low), "high": yuan(high)}
