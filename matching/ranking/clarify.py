"""Which unstated requirement would change a need's best matches: the one clarifying question
worth asking (budget, floors and elevator, required certification, region), or none.

A requirement is worth asking about when the need does not state it (neither a field nor its
text) and the top profiles divide on it: some would fit one answer, others another. The most
even division wins. Pure: the caller passes the need's and the top profiles' features."""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

from matching.ranking.text import normalise
from matching.ranking.types import CapabilityFeatures, NeedFeatures


class Question(StrEnum):
    BUDGET = "budget"
    FLOORS = "floors"
    CERTIFICATION = "certification"
    REGION = "region"


# Words that state each requirement in a need's text.
STATED: dict[Question, re.Pattern[str]] = {
    Question.BUDGET: re.compile(
        r"预算|[0-9一二三四五六七八九十百千]\s*[万元]|budget|rmb|cny|¥|yuan"
    ),
    Question.FLOORS: re.compile(
        r"[0-9一二三四五六七八九十]+\s*层|楼层|电梯|平层|单层|elevator|lift|floor|storey"
    ),
    Question.CERTIFICATION: re.compile(r"认证|注册证|资质|合格证|ce\b|iso|certif"),
    Question.REGION: re.compile(r"[省市区县]|全国|china|city|province"),
}

# A profile that can move between floors, and one that says it cannot.
ELEVATOR_CAPABLE = re.compile(r"乘梯|乘电梯|搭电梯|梯控|跨楼层|多楼层|elevator|lift|multi-floor")
SINGLE_FLOOR = re.compile(r"单层|不能.{0,4}跨楼层|不支持.{0,4}电梯|仅限.{0,4}平层|single floor")

TOP = 5


def unstated(need: NeedFeatures, text: str) -> tuple[Question, ...]:
    """The requirements the need leaves unstated, in the order they are asked."""
    clean = normalise(text)
    missing: list[Question] = []
    if need.budget_max_cny is None and not STATED[Question.BUDGET].search(clean):
        missing.append(Question.BUDGET)
    if (
        need.site_floors is None
        and need.site_has_elevator is None
        and not STATED[Question.FLOORS].search(clean)
    ):
        missing.append(Question.FLOORS)
    if not need.required_certifications and not STATED[Question.CERTIFICATION].search(clean):
        missing.append(Question.CERTIFICATION)
    if need.region in ("", "全国") and not STATED[Question.REGION].search(clean):
        missing.append(Question.REGION)
    return tuple(missing)


def _evenness(flags: Sequence[bool]) -> float:
    """How evenly a yes/no property divides the profiles: 0 when all agree, 1 at half and half."""
    if not flags:
        return 0.0
    share = sum(flags) / len(flags)
    return 1.0 - abs(2 * share - 1)


def division(question: Question, profiles: Sequence[CapabilityFeatures]) -> float:
    if question == Question.BUDGET:
        prices = sorted(p.price_min_cny for p in profiles if p.price_min_cny is not None)
        if len(prices) < 2 or prices[0] * 2 > prices[-1]:
            return 0.0  # within a factor of two: a budget would not tell them apart
        middle = (prices[0] * prices[-1]) ** 0.5
        return _evenness([price > middle for price in prices])
    if question == Question.FLOORS:
        flags: list[bool] = []
        for profile in profiles:
            text = normalise(profile.text)
            if SINGLE_FLOOR.search(text):
                flags.append(False)
            elif ELEVATOR_CAPABLE.search(text):
                flags.append(True)
        return _evenness(flags) if len(flags) >= 2 else 0.0
    if question == Question.CERTIFICATION:
        return _evenness([bool(p.certifications) for p in profiles])
    return _evenness(["全国" in p.service_regions for p in profiles])


def clarifying_question(
    need: NeedFeatures, text: str, top_profiles: Sequence[CapabilityFeatures]
) -> Question | None:
    """The unstated requirement the top profiles divide on most evenly, or None."""
    profiles = list(top_profiles)[:TOP]
    best: tuple[float, Question] | None = None
    for question in unstated(need, text):
        score = division(question, profiles)
        if score > 0 and (best is None or score > best[0]):
            best = (score, question)
    return best[1] if best else None
