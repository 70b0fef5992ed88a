"""``{% match_reasons row.match %}``: a ranked match's reasons (requirement by requirement, then
the score's breakdown) as HTML; ``{% match_card_header row %}``: a match card's header (rank,
title, organisation, score and eligibility).

Both depend on nothing but what they show and the language, and the same matches are shown to
the same people again and again. The reasons are kept and shared across processes by
marketplace.matches.fragments; each process keeps the last HEADERS_KEPT headers, keyed by what
they show.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from marketplace.common.scores import score_percent
from marketplace.matches.fragments import page_reasons
from matching.engine import RankedMatch

if TYPE_CHECKING:
    from marketplace.matches.views import MatchRow

register = template.Library()

HEADERS_KEPT = 2048


@register.simple_tag
def match_reasons(match: RankedMatch) -> SafeString:
    return page_reasons.one(match, get_language())


@register.simple_tag
def match_card_header(row: MatchRow) -> SafeString:
    return header_html(
        row.position,
        row.url,
        row.other.title,
        row.organization_url,
        row.other.organization.name,
        score_percent(row.match.score),
        row.match.eligible,
        get_language(),
    )


@lru_cache(maxsize=HEADERS_KEPT)
def header_html(
    position: int,
    url: str,
    title: str,
    organization_url: str,
    organization_name: str,
    score: int,
    eligible: bool,
    language: str,
) -> SafeString:
    """Rendered in ``language``, which is the active one: the caller passes get_language()."""
    return SafeString(
        render_to_string(
            "marketplace/matches/_match_card_header.html",
            {
                "position": position,
                "url": url,
                "title": title,
                "organization_url": organization_url,
                "organization_name": organization_name,
                "score": score,
                "eligible": eligible,
            },
        )
    )
