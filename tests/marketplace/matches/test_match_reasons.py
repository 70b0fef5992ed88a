"""A match card's reasons as HTML (marketplace.matches.fragments.page_reasons), rendered once
per match and language."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from django.core.cache import caches
from django.utils import translation
from django.utils.safestring import SafeString

from marketplace.matches.fragments import CACHE, page_reasons
from matching.ranking.phrases import Phrase
from matching.ranking.types import (
    Aspect,
    AspectStatus,
    RankedMatch,
    ScoreBreakdown,
    ScoreComponent,
)


def _match(evidence: str = "持有医疗器械注册证", weight: float = 0.6) -> RankedMatch:
    return RankedMatch(
        need_id=1,
        capability_id=2,
        score=0.71,
        eligible=True,
        failed_requirements=(),
        breakdown=ScoreBreakdown(
            (
                ScoreComponent("dense", "语义相似度", 0.8, weight),
                ScoreComponent("lexical", "关键词", 0.5, 1 - weight),
            )
        ),
        aspects=(
            Aspect(
                "certifications",
                Phrase("必需资质"),
                AspectStatus.MET,
                Phrase.verbatim("医疗器械"),
                Phrase.verbatim(evidence),
                True,
            ),
            Aspect(
                "scenario",
                Phrase("应用场景"),
                AspectStatus.PARTIAL,
                Phrase.verbatim("康复训练"),
                Phrase.verbatim("<b>步态训练</b>"),
            ),
        ),
    )


def _render(match: RankedMatch) -> str:
    return page_reasons.many([match], translation.get_language())[0]


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    page_reasons.forget()
    caches[CACHE].clear()
    yield
    page_reasons.forget()
    caches[CACHE].clear()


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[RankedMatch]:
    """The matches rendered from scratch (not kept, not shared), in order."""
    seen: list[RankedMatch] = []
    make = page_reasons.make

    def counted(match: RankedMatch) -> SafeString:
        seen.append(match)
        return make(match)

    monkeypatch.setattr(page_reasons, "make", counted)
    return seen


def test_the_reasons_name_each_requirement_with_its_mark_and_the_score_breakdown() -> None:
    html = _render(_match())

    assert "必需资质" in html and "持有医疗器械注册证" in html
    assert "应用场景" in html and "康复训练" in html
    assert "语义相似度" in html and "0.80" in html and "0.60" in html and "<td>48.0</td>" in html
    # Evidence is the vendor's text: escaped, never markup.
    assert "<b>" not in html and "&lt;b&gt;步态训练&lt;/b&gt;" in html


def test_the_same_match_is_rendered_once_and_a_changed_one_again(made: list[RankedMatch]) -> None:
    first = _render(_match())
    assert _render(_match()) == first
    assert len(made) == 1

    changed_evidence = _render(_match(evidence="注册证已过期"))
    changed_weights = _render(_match(weight=0.7))

    assert "注册证已过期" in changed_evidence and "持有医疗器械注册证" not in changed_evidence
    assert "<td>56.0</td>" in changed_weights and "<td>48.0</td>" not in changed_weights
    assert len(made) == 3


def test_each_language_has_its_own_rendering() -> None:
    match = _match()
    with translation.override("zh-hans"):
        chinese = _render(match)
    with translation.override("en"):
        english = _render(match)
    with translation.override("zh-hans"):
        chinese_again = _render(match)

    assert "得分构成" in chinese and "Score breakdown" not in chinese
    assert "Score breakdown" in english and "得分构成" not in english
    assert chinese_again == chinese


def test_an_ineligible_match_keeps_its_failed_requirement_visible() -> None:
    failed = replace(
        _match(),
        eligible=False,
        failed_requirements=("certifications",),
        aspects=(
            Aspect(
                "certifications",
                Phrase("必需资质"),
                AspectStatus.MISSING,
                Phrase.verbatim("医疗器械"),
                Phrase.verbatim(""),
                True,
            ),
        ),
    )
    html = _render(failed)
    assert "aspect-missing" in html and "必需资质" in html
