"""``{% match_card_header row %}``: a match card's header (rank, title, organisation, score and
eligibility). It depends on nothing but what it shows and the language, and the same cards are
shown again and again, so each process keeps the last HEADERS_KEPT, keyed by what they show.
(A card's reasons come rendered with its row: marketplace.matches.fragments.)
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from marketplace.common.scores import score_percent

if TYPE_CHECKING:
    from marketplace.matches.views import MatchRow

register = template.Library()

HEADERS_KEPT = 2048


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
