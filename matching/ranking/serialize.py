"""A ranked match as plain JSON data and back, so that it can be stored and read without ranking.

The stored form carries everything a page shows: the score, eligibility, the failed hard
requirements, the score's components and each requirement with its evidence, as message ids and
parameters (``matching.ranking.phrases``), so the page renders them in the reader's language."""

from __future__ import annotations

from typing import Any

from matching.ranking.phrases import phrase_from_data, phrase_to_data
from matching.ranking.types import Aspect, AspectStatus, RankedMatch, ScoreBreakdown, ScoreComponent


def match_to_data(match: RankedMatch) -> dict[str, Any]:
    """What is stored of a match beyond its pair, score and eligibility."""
    return {
        "failed_requirements": list(match.failed_requirements),
        "breakdown": [
            {"name": c.name, "label": c.label, "value": c.value, "weight": c.weight}
            for c in match.breakdown.components
        ],
        "aspects": [
            {
                "key": a.key,
                "label": phrase_to_data(a.label_phrase),
                "status": str(a.status),
                "wanted": phrase_to_data(a.wanted_phrase),
                "evidence": phrase_to_data(a.evidence_phrase),
                "is_hard": a.is_hard,
            }
            for a in match.aspects
        ],
    }


def match_from_data(
    *, need_id: int, capability_id: int, score: float, eligible: bool, data: dict[str, Any]
) -> RankedMatch:
    """The match ``match_to_data`` stored, as the ranking returned it."""
    return RankedMatch(
        need_id=need_id,
        capability_id=capability_id,
        score=score,
        eligible=eligible,
        failed_requirements=tuple(data.get("failed_requirements", ())),
        breakdown=ScoreBreakdown(
            tuple(
                ScoreComponent(
                    name=c["name"], label=c["label"], value=c["value"], weight=c["weight"]
                )
                for c in data.get("breakdown", ())
            )
        ),
        aspects=tuple(
            Aspect(
                key=a["key"],
                # Matches stored before reasons were structured hold final Chinese texts: their
                # labels are message ids still, their wanted and evidence texts shown as written.
                label_phrase=phrase_from_data(a["label"], translatable=True),
                status=AspectStatus(a["status"]),
                wanted_phrase=phrase_from_data(a["wanted"]),
                evidence_phrase=phrase_from_data(a.get("evidence", "")),
                is_hard=a.get("is_hard", False),
            )
            for a in data.get("aspects", ())
        ),
    )
