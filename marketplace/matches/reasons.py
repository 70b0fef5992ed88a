"""A ranked match's reasons as the pages show them: the requirements (hard ones first, each with
its mark) and the score's breakdown."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.common.scores import score_points
from matching.engine import STATUS_MARK, Aspect, RankedMatch


def marked(aspects: tuple[Aspect, ...], *, hard: bool) -> list[tuple[str, Aspect]]:
    return [(STATUS_MARK[a.status], a) for a in aspects if a.is_hard == hard]


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
    def hard_aspects(self) -> list[tuple[str, Aspect]]:
        return marked(self.match.aspects, hard=True)

    @property
    def soft_aspects(self) -> list[tuple[str, Aspect]]:
        return marked(self.match.aspects, hard=False)
