"""``matching_rank --language``: the reasons' texts in Chinese (the default) or in English."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from marketplace.management.commands import matching_rank
from marketplace.models import Capability, Need
from matching.ranking.eligibility import hard_aspects
from matching.ranking.types import (
    CapabilityFeatures,
    NeedFeatures,
    RankedMatch,
    ScoreBreakdown,
)

NEED = NeedFeatures(
    id=1, ref="n-1", title="送餐", description="", domain="civil_affairs", budget_max_cny=80000
)
PROFILE = CapabilityFeatures(
    id=2, ref="c-2", title="配送", description="", robot_type="wheeled", price_min_cny=90000
)


@pytest.fixture
def ranked(monkeypatch: pytest.MonkeyPatch, catalog: dict[str, Any]) -> Need:
    """The command's ranking replaced by one pure match, so no model is loaded."""
    need = Need.objects.published().first()
    capability = Capability.objects.published().first()
    assert need is not None and capability is not None
    match = RankedMatch(
        need_id=need.pk,
        capability_id=capability.pk,
        score=0.5,
        eligible=False,
        failed_requirements=("budget",),
        breakdown=ScoreBreakdown(()),
        aspects=hard_aspects(NEED, PROFILE),
    )
    monkeypatch.setattr(matching_rank.MatchContext, "load", staticmethod(lambda: None))
    monkeypatch.setattr(matching_rank, "rank_need", lambda need, top, context: [match])
    return need


def _budget_reason(*options: str, need: Need) -> dict[str, str]:
    out = StringIO()
    call_command("matching_rank", "--need", str(need.pk), "--format", "json", *options, stdout=out)
    [items] = json.loads(out.getvalue()).values()
    return next(r for r in items[0]["reasons"] if r["aspect"] == "budget")


def test_reasons_are_in_chinese_by_default_and_in_english_on_request(ranked: Need) -> None:
    chinese = _budget_reason(need=ranked)
    english = _budget_reason("--language", "en", need=ranked)

    assert chinese == {
        "aspect": "budget",
        "verdict": "missing",
        "text": "✗ 预算（单价不超过 8 万元）：最低价 9 万元，超出预算上限",
        "evidence": "最低价 9 万元，超出预算上限",
    }
    assert english["text"] == (
        "✗ Budget (unit price up to CNY 80,000): Lowest price CNY 90,000, above the budget"
    )
    assert english["verdict"] == "missing"
