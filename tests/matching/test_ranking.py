"""Unit tests of the pure ranking code: eligibility, scoring, ordering and explanations."""

from __future__ import annotations

import pytest

from matching.ranking.eligibility import hard_aspects
from matching.ranking.explanations import reason_lines
from matching.ranking.ranker import rank_capabilities
from matching.ranking.types import AspectStatus, CapabilityFeatures, NeedFeatures, Signals
from matching.ranking.vocabulary import ROBOT_TYPE_SYNONYMS, Vocabulary

QINGDAO = frozenset({"青岛市", "山东省", "全国"})
VOCABULARY = Vocabulary(
    category_names={"rehab_training": "康复训练", "material_delivery": "物资配送"},
    category_keywords={"rehab_training": ("步行训练", "康复"), "material_delivery": ("送餐",)},
    domain_names={"civil_affairs": "民政", "healthcare": "医疗康养"},
    robot_type_terms=ROBOT_TYPE_SYNONYMS,
)


def _need(**overrides: object) -> NeedFeatures:
    fields: dict[str, object] = {
        "id": 1,
        "ref": "n-1",
        "title": "中风老人下肢康复训练",
        "description": "康复室想要外骨骼帮助老人步行训练。",
        "domain": "civil_affairs",
        "categories": frozenset({"rehab_training"}),
        "region": "青岛市",
        "region_lineage": QINGDAO,
        "required_certifications": frozenset({"二类医疗器械注册证"}),
        "budget_max_cny": 200000,
    }
    fields.update(overrides)
    return NeedFeatures(**fields)  # type: ignore[arg-type]


def _capability(id: int, **overrides: object) -> CapabilityFeatures:
    fields: dict[str, object] = {
        "id": id,
        "ref": f"c-{id}",
        "title": "下肢外骨骼",
        "description": "帮助偏瘫患者进行步行训练。可在康复室使用。",
        "robot_type": "exoskeleton",
        "domains": frozenset({"civil_affairs", "healthcare"}),
        "categories": frozenset({"rehab_training"}),
        "service_regions": frozenset({"全国"}),
        "certifications": frozenset({"二类医疗器械注册证"}),
        "price_min_cny": 120000,
        "price_max_cny": 180000,
        "maturity": "mass_production",
        "pilot_capacity_per_quarter": 3,
    }
    fields.update(overrides)
    return CapabilityFeatures(**fields)  # type: ignore[arg-type]


def test_missing_certification_region_or_budget_fails_the_hard_requirements() -> None:
    need = _need()
    uncertified = _capability(2, certifications=frozenset())
    far_away = _capability(3, service_regions=frozenset({"广东省"}))
    too_dear = _capability(4, price_min_cny=380000, price_max_cny=500000)

    statuses = {
        capability.id: {a.key: a.status for a in hard_aspects(need, capability)}
        for capability in (uncertified, far_away, too_dear)
    }

    assert statuses[2]["certifications"] == AspectStatus.MISSING
    assert statuses[3]["region"] == AspectStatus.MISSING
    assert statuses[4]["budget"] == AspectStatus.MISSING
    assert statuses[2]["region"] == AspectStatus.MET


def test_province_and_nationwide_service_cover_a_city_need() -> None:
    need = _need()
    for regions in ({"山东省"}, {"全国"}, {"青岛市"}):
        aspects = {
            a.key: a for a in hard_aspects(need, _capability(5, service_regions=frozenset(regions)))
        }
        assert aspects["region"].status == AspectStatus.MET


def test_unknown_price_is_not_a_failure_but_is_shown() -> None:
    aspects = {a.key: a for a in hard_aspects(_need(), _capability(6, price_min_cny=None))}
    assert aspects["budget"].status == AspectStatus.UNKNOWN


def test_an_ineligible_profile_never_ranks_above_an_eligible_one() -> None:
    strong_but_uncertified = _capability(7, certifications=frozenset())
    weak_but_eligible = _capability(8, categories=frozenset(), maturity="prototype")
    candidates = [
        (strong_but_uncertified, Signals(dense=0.95, lexical=9.0)),
        (weak_but_eligible, Signals(dense=0.70, lexical=0.5)),
    ]

    ranked = rank_capabilities(_need(), candidates, vocabulary=VOCABULARY)

    assert [m.capability_id for m in ranked] == [8, 7]
    assert [m.eligible for m in ranked] == [True, False]
    assert ranked[1].failed_requirements == ("certifications",)
    assert ranked[1].score > ranked[0].score  # still shown, with its score, below


def test_ranking_is_deterministic_and_ties_break_by_id() -> None:
    candidates = [(_capability(i), Signals(dense=0.8, lexical=1.0)) for i in (12, 10, 11)]
    first = rank_capabilities(_need(), candidates, vocabulary=VOCABULARY)
    second = rank_capabilities(_need(), list(reversed(candidates)), vocabulary=VOCABULARY)
    assert [m.capability_id for m in first] == [10, 11, 12]
    assert first == second


def test_score_breakdown_adds_up_and_names_each_part() -> None:
    ranked = rank_capabilities(
        _need(),
        [
            (_capability(20), Signals(0.9, 3.0)),
            (_capability(21, domains=frozenset({"healthcare"})), Signals(0.8, 1.0)),
        ],
        vocabulary=VOCABULARY,
    )
    top = ranked[0]
    assert top.capability_id == 20
    names = [c.name for c in top.breakdown.components]
    assert names == [
        "dense",
        "lexical",
        "maturity",
        "responsiveness",
    ]
    assert abs(sum(c.contribution for c in top.breakdown.components) - top.score) < 1e-6
    maturity = next(c for c in ranked[1].breakdown.components if c.name == "maturity")
    assert maturity.value == 1.0


def test_a_vendor_that_leaves_leads_unanswered_ranks_lower_and_is_told_why() -> None:
    # given: two identical profiles; one vendor answers its leads, the other leaves them
    prompt = _capability(40, leads_answered=5, leads_overdue=0)
    silent = _capability(41, leads_answered=0, leads_overdue=4)
    candidates = [(silent, Signals(0.8, 1.0)), (prompt, Signals(0.8, 1.0))]

    # when
    ranked = rank_capabilities(_need(), candidates, vocabulary=VOCABULARY)

    # then
    assert [m.capability_id for m in ranked] == [40, 41]
    values = {
        m.capability_id: next(c for c in m.breakdown.components if c.name == "responsiveness")
        for m in ranked
    }
    assert values[40].value == 1.0
    assert values[41].value == 2 / 6
    # Scores are rounded to 6 decimals, each of the two by up to half a unit.
    assert ranked[0].score - ranked[1].score == pytest.approx(
        values[40].weight * (1 - 2 / 6), abs=1e-6
    )
    silent_reason = next(a for a in ranked[1].aspects if a.key == "responsiveness")
    assert silent_reason.status == AspectStatus.MISSING
    assert "4 条线索超期未回复" in silent_reason.evidence
    assert any(
        "响应情况" in line and "排名因此略有下降" in line
        for line in reason_lines(ranked[1].aspects)
    )
    prompt_reason = next(a for a in ranked[0].aspects if a.key == "responsiveness")
    assert prompt_reason.status == AspectStatus.MET


def test_a_vendor_without_a_record_loses_nothing_and_gets_no_responsiveness_reason() -> None:
    newcomer = _capability(42)
    answered_once_late_once = _capability(43, leads_answered=1, leads_overdue=1)

    ranked = rank_capabilities(
        _need(),
        [(newcomer, Signals(0.8, 1.0)), (answered_once_late_once, Signals(0.8, 1.0))],
        vocabulary=VOCABULARY,
    )

    assert [m.capability_id for m in ranked] == [42, 43]
    assert not [a for a in ranked[0].aspects if a.key == "responsiveness"]
    partial = next(a for a in ranked[1].aspects if a.key == "responsiveness")
    assert partial.status == AspectStatus.PARTIAL


def test_explanations_name_the_aspect_and_the_evidence() -> None:
    need = _need(site_floors=3, site_has_elevator=False)
    capability = _capability(40, categories=frozenset(), description="可爬楼梯。帮助老人步行训练。")

    match = rank_capabilities(need, [(capability, Signals(0.9, 1.0))], vocabulary=VOCABULARY)[0]
    aspects = {a.key: a for a in match.aspects}

    assert aspects["category:rehab_training"].status == AspectStatus.PARTIAL
    assert "步行训练" in aspects["category:rehab_training"].evidence
    assert aspects["site:floors"].status == AspectStatus.MET
    assert aspects["certifications"].status == AspectStatus.MET
    lines = reason_lines(match.aspects)
    assert lines[0].startswith("✓ 必需资质（二类医疗器械注册证）")
    assert any(line.startswith("≈ 服务类别（康复训练）") for line in lines)


def test_explanations_are_built_only_for_the_top_matches() -> None:
    candidates = [(_capability(i), Signals(0.5 + i / 100, 1.0)) for i in range(50, 60)]
    ranked = rank_capabilities(_need(), candidates, vocabulary=VOCABULARY, top=3)
    assert len(ranked) == 3
    assert all(any(a.key == "domain" for a in m.aspects) for m in ranked)
