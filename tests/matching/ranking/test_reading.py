"""The keyword reading of free-text needs and the choice of the clarifying question (pure)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from matching.ranking.clarify import Question, clarifying_question, unstated
from matching.ranking.reading import (
    NeedReading,
    Source,
    TaxonomyTerm,
    TermKind,
    TermVectors,
    read_need,
    taxonomy_terms,
)
from matching.ranking.types import CapabilityFeatures, NeedFeatures

SEEDS = Path(__file__).resolve().parents[3] / "seeds" / "taxonomy.json"


@pytest.fixture(scope="module")
def terms() -> tuple[TaxonomyTerm, ...]:
    data = json.loads(SEEDS.read_text("utf-8"))
    return taxonomy_terms(
        categories=[
            (c["code"], c["domain"], c["name_zh"], c["name_en"], c.get("keywords", []))
            for c in data["service_categories"]
        ],
        robot_types=[(r["code"], r["name_zh"], r["name_en"]) for r in data["robot_types"]],
        product_classes=[(p["code"], p["name_zh"], p["name_en"]) for p in data["product_classes"]],
    )


def test_a_colloquial_night_need_reads_as_patrol(terms: tuple[TaxonomyTerm, ...]) -> None:
    reading = read_need("夜里护工太累，想要个东西在楼里转转，发现有人摔倒", terms)
    assert reading.categories[0].code == "inspection_patrol"
    assert reading.categories[0].source == Source.KEYWORD
    assert {"夜里", "摔倒"} <= set(reading.categories[0].words)
    assert reading.robot_type is not None and reading.robot_type.code == "wheeled"
    assert reading.product_class is not None and reading.product_class.code == "health_management"


def test_an_english_delivery_need_reads_as_supplies_delivery(
    terms: tuple[TaxonomyTerm, ...],
) -> None:
    reading = read_need("robot that takes meals to rooms and rides the elevator", terms)
    assert reading.categories[0].code == "material_delivery"
    assert reading.product_class is not None and reading.product_class.code == "daily_living"


def test_a_named_robot_type_wins_over_the_usual_one(terms: tuple[TaxonomyTerm, ...]) -> None:
    reading = read_need("想要一台机器狗在园区夜巡，发现入侵就报警", terms)
    assert reading.categories[0].code == "security_patrol"
    assert reading.robot_type is not None and reading.robot_type.code == "quadruped"


def test_the_domain_limits_the_categories(terms: tuple[TaxonomyTerm, ...]) -> None:
    text = "病房之间送药、送标本"
    assert read_need(text, terms, domain="healthcare").categories[0].code == "ward_logistics"
    assert read_need(text, terms, domain="civil_affairs").categories[0].code == (
        "material_delivery"
    )


def test_latin_words_match_at_word_starts_only(terms: tuple[TaxonomyTerm, ...]) -> None:
    # "arm" must not be read in "alarm", nor "fall" in "waterfall".
    reading = read_need("an alarm near the waterfall", terms)
    assert reading.robot_type is None or reading.robot_type.code != "arm"
    assert all(guess.code != "inspection_patrol" for guess in reading.categories)


def test_text_about_nothing_reads_as_nothing(terms: tuple[TaxonomyTerm, ...]) -> None:
    assert read_need("你好", terms).is_empty


def test_the_model_reads_what_no_keyword_names(terms: tuple[TaxonomyTerm, ...]) -> None:
    # Vectors where the need points at one category: the model alone suggests it.
    keys = [(t.kind.value, t.code) for t in terms]
    rng = np.random.default_rng(7)
    unit = [rng.normal(size=64) for _ in keys]
    vectors = {key: v / np.linalg.norm(v) for key, v in zip(keys, unit, strict=True)}
    target = ("category", "cognitive_training")
    need = vectors[target] + rng.normal(size=64) * 0.01
    reading = read_need("你好", terms, vectors=TermVectors(need=need, terms=vectors))
    assert reading.categories[0].code == "cognitive_training"
    assert reading.categories[0].source == Source.MODEL


def test_a_reading_survives_its_stored_form(terms: tuple[TaxonomyTerm, ...]) -> None:
    reading = read_need("夜里护工太累，想要个东西在楼里转转，发现有人摔倒", terms)
    assert NeedReading.from_data(json.loads(json.dumps(reading.to_data()))) == NeedReading(
        categories=tuple(
            type(g)(TermKind.CATEGORY, g.code, round(g.score, 4), g.source, g.words)
            for g in reading.categories
        ),
        robot_type=reading.robot_type
        and type(reading.robot_type)(
            TermKind.ROBOT_TYPE,
            reading.robot_type.code,
            round(reading.robot_type.score, 4),
            reading.robot_type.source,
            reading.robot_type.words,
        ),
        product_class=reading.product_class
        and type(reading.product_class)(
            TermKind.PRODUCT_CLASS,
            reading.product_class.code,
            round(reading.product_class.score, 4),
            reading.product_class.source,
            reading.product_class.words,
        ),
    )


def _need(**extra: object) -> NeedFeatures:
    return NeedFeatures(id=1, ref=None, title="t", description="d", domain="civil_affairs", **extra)  # type: ignore[arg-type]


def _profile(pk: int, **extra: object) -> CapabilityFeatures:
    fields: dict[str, object] = {"title": f"p{pk}", "description": "", "robot_type": "wheeled"}
    fields.update(extra)
    return CapabilityFeatures(id=pk, ref=None, **fields)  # type: ignore[arg-type]


def test_unstated_requirements_come_from_fields_and_text() -> None:
    assert unstated(_need(region="青岛市"), "送餐机器人") == (
        Question.BUDGET,
        Question.FLOORS,
        Question.CERTIFICATION,
    )
    assert unstated(_need(region="青岛市"), "预算每台 8 万以内，6 层楼有电梯") == (
        Question.CERTIFICATION,
    )
    assert unstated(_need(region="青岛市", budget_max_cny=80000, site_floors=3), "x") == (
        Question.CERTIFICATION,
    )


def test_the_question_asked_is_the_one_the_top_profiles_divide_on() -> None:
    need = _need(region="青岛市")
    spread_prices = [_profile(i, price_min_cny=p) for i, p in enumerate((20000, 30000, 300000))]
    assert clarifying_question(need, "送餐", spread_prices) == Question.BUDGET
    floors = [
        _profile(1, description="支持乘梯，跨楼层配送", price_min_cny=50000),
        _profile(2, description="单层使用，不能自行跨楼层", price_min_cny=60000),
    ]
    assert clarifying_question(need, "送餐", floors) == Question.FLOORS
    # Stated in the text: not asked, whatever the profiles.
    assert clarifying_question(need, "送餐，4 层楼，有电梯", floors) is None
    certified = [
        _profile(1, certifications=frozenset({"CE"}), price_min_cny=50000),
        _profile(2, price_min_cny=60000),
    ]
    assert clarifying_question(need, "送餐", certified) == Question.CERTIFICATION
    alike = [_profile(i, price_min_cny=50000) for i in range(3)]
    assert clarifying_question(need, "送餐", alike) is None
