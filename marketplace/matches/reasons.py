"""A ranked match's reasons as the pages show them: the requirements (hard ones first, each with
its mark) and the score's breakdown."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from marketplace.common.scores import score_points
from matching.engine import STATUS_MARK, Aspect, RankedMatch


def aspect_html(aspect: Aspect) -> SafeString:
    """``<strong>label</strong>（wanted）：evidence`` in the active language, escaped.

    Formatted here rather than by a template per requirement: a card lists a dozen, and an
    include with a ``blocktranslate`` for each was most of the time a match page took to render a
    list it had not shown before."""
    parts = {"label": escape(aspect.label), "wanted": escape(aspect.wanted)}
    evidence = aspect.evidence
    if not evidence:
        return SafeString(gettext("<strong>%(label)s</strong>（%(wanted)s）") % parts)
    parts["evidence"] = escape(evidence)
    return SafeString(gettext("<strong>%(label)s</strong>（%(wanted)s）：%(evidence)s") % parts)


def marked(aspects: tuple[Aspect, ...], *, hard: bool) -> list[tuple[str, Aspect, SafeString]]:
    """The hard (or the other) requirements, each with its mark and its text as HTML."""
    return [(STATUS_MARK[a.status], a, aspect_html(a)) for a in aspects if a.is_hard == hard]


@dataclass(frozen=True)
class MatchReasons:
    """What templates/marketplace/matches/_match_reasons.html reads, all from the match."""

    match: RankedMatch

    @property
    def breakdown_rows(self) -> list[tuple[str, str, str, str]]:
        """The score's components as the table shows them: label, value, weight, and the
        contribution in points of the 0–100 score the card shows."""
        return [
            (c.label_text, f"{c.value:.2f}", f"{c.weight:.2f}", score_points(c.contribution))
            for c in self.match.breakdown.components
        ]

    @property
    def hard_aspects(self) -> list[tuple[str, Aspect, SafeString]]:
        return marked(self.match.aspects, hard=True)

    @property
    def soft_aspects(self) -> list[tuple[str, Aspect, SafeString]]:
        return marked(self.match.aspects, hard=False)
