"""Requirement reading: demand clauses of a need's text, and the verdict of each against a
profile's sentences. A profile sentence that negates or limits is never shown as met."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matching.ranking.clauses import demand_clauses, evidence_clauses, judge_clause
from matching.ranking.explanations import reason_lines, soft_aspects
from matching.ranking.types import AspectStatus, CapabilityFeatures, NeedFeatures
from matching.ranking.vocabulary import EMPTY_VOCABULARY

CASES = json.loads((Path(__file__).parent / "reason_cases.json").read_text(encoding="utf-8"))[
    "cases"
]
VERDICTS = {"partly": AspectStatus.PARTIAL}
NEGATING = [case for case in CASES if case["kind"] in ("negation", "limit")]


def _shown(case: dict[str, str]) -> AspectStatus:
    status, _ = judge_clause(case["clause"], evidence_clauses(case["sentence"], ""))
    return status


def test_the_case_set_has_the_size_the_issue_asks_for() -> None:
    assert len(CASES) >= 40
    assert len(NEGATING) >= 15


@pytest.mark.parametrize("case", NEGATING, ids=lambda case: case["sentence"][:24])
def test_a_sentence_that_negates_or_limits_is_never_shown_as_met(case: dict[str, str]) -> None:
    assert _shown(case) != AspectStatus.MET


@pytest.mark.parametrize(
    "case",
    [case for case in CASES if case["verdict"] == "contradicted"],
    ids=lambda case: case["sentence"][:24],
)
def test_a_negation_of_what_the_need_asks_is_shown_as_contradicted(case: dict[str, str]) -> None:
    assert _shown(case) == AspectStatus.CONTRADICTED


@pytest.mark.parametrize(
    "case", [case for case in CASES if case["kind"] == "praise"], ids=lambda c: c["sentence"][:24]
)
def test_wording_that_only_looks_negative_is_not_a_negation(case: dict[str, str]) -> None:
    """无需人工值守, 不间断, 不超过 45 分贝: praise and bounds, not limits."""
    assert _shown(case) == AspectStatus.MET


def test_an_unrelated_sentence_leaves_the_requirement_unknown() -> None:
    for case in [case for case in CASES if case["kind"] == "unrelated"]:
        assert _shown(case) == AspectStatus.UNKNOWN


def test_demand_clauses_are_read_from_free_text_in_the_needs_order() -> None:
    text = (
        "我院共 4 层楼，有电梯。夜间护工人手紧张，需要机器人自主巡查，"
        "发现跌倒及时报警；还需要支持与现有呼叫系统对接。外观不限。"
    )
    assert demand_clauses(text) == ("需要机器人自主巡查", "还需要支持与现有呼叫系统对接")
    assert demand_clauses("The robot must ride the elevator. It is for a care home.") == (
        "The robot must ride the elevator",
    )


def _need(**overrides: object) -> NeedFeatures:
    fields: dict[str, object] = {
        "id": 1,
        "ref": "n-1",
        "title": "养老院夜间巡查",
        "description": "夜间需要巡查各楼层。需要支持与现有呼叫系统对接。",
        "domain": "civil_affairs",
        "site_floors": 4,
        "site_has_elevator": True,
    }
    fields.update(overrides)
    return NeedFeatures(**fields)  # type: ignore[arg-type]


def _capability(**overrides: object) -> CapabilityFeatures:
    fields: dict[str, object] = {
        "id": 7,
        "ref": "c-7",
        "title": "巡检机器人 P1",
        "description": "夜间按路线自动巡查，发现跌倒立即报警。单层使用，不能自行跨楼层。",
        "robot_type": "wheeled",
        "domains": frozenset({"civil_affairs"}),
    }
    fields.update(overrides)
    return CapabilityFeatures(**fields)  # type: ignore[arg-type]


def _aspect(aspects: tuple[object, ...], key: str) -> object:
    return next(a for a in aspects if getattr(a, "key") == key)  # noqa: B009


def test_a_floor_limit_is_contradicted_not_ticked() -> None:
    """The walk-through's "✓ 场地条件（4 层楼，有电梯）：单层使用，不能自行跨楼层"."""
    aspects = soft_aspects(_need(), _capability(), EMPTY_VOCABULARY)
    floors = _aspect(aspects, "site:floors")
    assert floors.status == AspectStatus.CONTRADICTED  # type: ignore[attr-defined]
    assert "不能自行跨楼层" in floors.evidence  # type: ignore[attr-defined]
    assert not any(line.startswith("✓ 场地条件") for line in reason_lines(aspects))


def test_a_profile_that_rides_the_elevator_meets_the_floors() -> None:
    capability = _capability(description="可自主呼叫电梯，跨楼层巡查。")
    floors = _aspect(soft_aspects(_need(), capability, EMPTY_VOCABULARY), "site:floors")
    assert floors.status == AspectStatus.MET  # type: ignore[attr-defined]


def test_an_indoor_only_profile_contradicts_outdoor_work() -> None:
    capability = _capability(description="仅限室内平整地面使用。")
    need = _need(site_environment="outdoor", site_floors=None)
    site = _aspect(soft_aspects(need, capability, EMPTY_VOCABULARY), "site:environment")
    assert site.status == AspectStatus.CONTRADICTED  # type: ignore[attr-defined]


def test_a_demand_in_the_description_is_checked_against_the_profile() -> None:
    """ "需要支持与现有呼叫系统对接" was never checked: now it is one requirement."""
    need = _need()
    silent = soft_aspects(need, _capability(), EMPTY_VOCABULARY)
    clause = _aspect(silent, "clause:2")
    assert clause.wanted == "需要支持与现有呼叫系统对接"  # type: ignore[attr-defined]
    assert clause.status == AspectStatus.UNKNOWN  # type: ignore[attr-defined]
    assert clause.evidence == "资料未提及"  # type: ignore[attr-defined]

    answering = _capability(description="可与机构现有的呼叫系统对接，报警推送到护士站。")
    met = _aspect(soft_aspects(need, answering, EMPTY_VOCABULARY), "clause:2")
    assert met.status == AspectStatus.MET  # type: ignore[attr-defined]
    assert "呼叫系统对接" in met.evidence  # type: ignore[attr-defined]


def test_the_description_line_quotes_a_sentence_never_the_profiles_title() -> None:
    capability = _capability(
        title="养老院夜间巡查机器人", description="夜间沿走廊巡查，发现异常报警。"
    )
    aspects = soft_aspects(_need(), capability, EMPTY_VOCABULARY)
    described = _aspect(aspects, "description")
    assert described.evidence != capability.title  # type: ignore[attr-defined]
    assert "巡查" in described.evidence  # type: ignore[attr-defined]
