"""Reasons are message ids with parameters, rendered in the reader's language when read; the
vendor's own sentences are quoted as written in every language."""

from __future__ import annotations

from dataclasses import replace

from django.utils import translation

from matching.ranking.eligibility import hard_aspects
from matching.ranking.explanations import reason_lines, soft_aspects
from matching.ranking.phrases import Named, Phrase, Yuan, phrase_from_data, phrase_to_data
from matching.ranking.serialize import match_from_data, match_to_data
from matching.ranking.types import (
    AspectStatus,
    CapabilityFeatures,
    NeedFeatures,
    RankedMatch,
    ScoreBreakdown,
    ScoreComponent,
)
from matching.ranking.vocabulary import Vocabulary

VOCABULARY = Vocabulary(
    category_names={"delivery": "物资配送"},
    category_names_en={"delivery": "Supplies delivery"},
    domain_names={"civil_affairs": "民政"},
    domain_names_en={"civil_affairs": "Civil affairs"},
    certification_names_en={"二类医疗器械注册证": "Class II medical device registration"},
)
NEED = NeedFeatures(
    id=1,
    ref="n-1",
    title="送餐机器人",
    description="需要支持与现有呼叫系统对接。",
    domain="civil_affairs",
    categories=frozenset({"delivery"}),
    region="青岛市",
    region_lineage=frozenset({"青岛市", "山东省", "全国"}),
    required_certifications=frozenset({"二类医疗器械注册证"}),
    budget_max_cny=80000,
    site_floors=3,
    site_has_elevator=False,
)
CAPABILITY = CapabilityFeatures(
    id=2,
    ref="c-2",
    title="配送机器人",
    description="自主乘梯，多层楼宇送餐送药。支持与呼叫系统对接。",
    robot_type="wheeled",
    domains=frozenset({"civil_affairs"}),
    categories=frozenset({"delivery"}),
    service_regions=frozenset({"青岛市"}),
    price_min_cny=60000,
    price_max_cny=90000,
)


def _aspects() -> dict[str, object]:
    aspects = hard_aspects(NEED, CAPABILITY, VOCABULARY) + soft_aspects(
        NEED, CAPABILITY, VOCABULARY
    )
    return {a.key: a for a in aspects}


def test_the_same_reasons_read_in_chinese_and_in_english() -> None:
    aspects = _aspects()
    budget, region = aspects["budget"], aspects["region"]
    certifications, floors = aspects["certifications"], aspects["site:floors"]

    with translation.override("zh-hans"):
        chinese = (budget.wanted, budget.evidence, region.evidence, certifications.evidence)  # type: ignore[attr-defined]
        chinese_floors = floors.wanted  # type: ignore[attr-defined]
    with translation.override("en"):
        english = (budget.wanted, budget.evidence, region.evidence, certifications.evidence)  # type: ignore[attr-defined]
        english_floors = floors.wanted  # type: ignore[attr-defined]

    assert chinese == (
        "单价不超过 8 万元",
        "价格 6 万元–9 万元，低配在预算内",
        "服务范围包含：青岛市",
        "缺少：二类医疗器械注册证",
    )
    assert english == (
        "unit price up to CNY 80,000",
        "Price CNY 60,000–CNY 90,000; the basic configuration is within budget",
        "Service area includes: 青岛市",
        "Missing: Class II medical device registration",
    )
    assert (chinese_floors, english_floors) == ("3 层楼，无电梯", "3 floors, no lift")


def test_the_vendors_sentence_and_the_needs_clause_are_quoted_as_written() -> None:
    clause = _aspects()["clause:1"]

    with translation.override("en"):
        assert clause.label == "Requirement in the description"  # type: ignore[attr-defined]
        assert clause.wanted == "需要支持与现有呼叫系统对接"  # type: ignore[attr-defined]
        assert clause.evidence == "支持与呼叫系统对接。"  # type: ignore[attr-defined]
        [line] = [
            line
            for line in reason_lines((clause,))  # type: ignore[arg-type]
        ]
    assert (
        line
        == "✓ Requirement in the description (需要支持与现有呼叫系统对接): 支持与呼叫系统对接。"
    )


def test_stored_reasons_keep_their_parameters_and_render_in_the_reading_language() -> None:
    aspects = tuple(_aspects().values())
    match = RankedMatch(
        need_id=1,
        capability_id=2,
        score=0.7,
        eligible=False,
        failed_requirements=("certifications",),
        breakdown=ScoreBreakdown((ScoreComponent("dense", "语义相似度", 0.8, 0.5),)),
        aspects=aspects,  # type: ignore[arg-type]
    )

    stored = match_from_data(
        need_id=1, capability_id=2, score=0.7, eligible=False, data=match_to_data(match)
    )

    assert stored == match
    with translation.override("en"):
        assert reason_lines(stored.aspects) == reason_lines(match.aspects)
        assert stored.breakdown.components[0].label_text == "Semantic similarity"


def test_reasons_stored_as_final_chinese_text_are_shown_as_they_are() -> None:
    old = {
        "aspects": [
            {
                "key": "region",
                "label": "服务地区",
                "status": "met",
                "wanted": "青岛市",
                "evidence": "服务范围包含：青岛市",
                "is_hard": True,
            }
        ]
    }

    [aspect] = match_from_data(
        need_id=1, capability_id=2, score=0.5, eligible=True, data=old
    ).aspects

    with translation.override("en"):
        assert (aspect.label, aspect.wanted, aspect.evidence) == (
            "Regions served",  # a label was always a message id
            "青岛市",
            "服务范围包含：青岛市",
        )
    assert aspect.status == AspectStatus.MET


def test_phrases_round_trip_through_json_data() -> None:
    phrase = Phrase.of(
        "价格 %(low)s–%(high)s，在预算内",
        low=Yuan(60000),
        high=Phrase.of("%(name)s", name=Named("民政", "Civil affairs")),
    )

    assert phrase_from_data(phrase_to_data(phrase)) == phrase
    assert phrase_to_data(Phrase.verbatim("原话")) == "原话"
    assert replace(phrase, params=()) == Phrase("价格 %(low)s–%(high)s，在预算内")
