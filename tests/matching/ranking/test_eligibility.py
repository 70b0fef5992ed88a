"""The budget requirement reads the need's basis: a unit price, or the whole quantity's total."""

from __future__ import annotations

from matching.ranking.eligibility import budget_aspect, failed_keys
from matching.ranking.types import AspectStatus, BudgetBasis, CapabilityFeatures, NeedFeatures


def _need(**overrides: object) -> NeedFeatures:
    fields: dict[str, object] = {
        "id": 1,
        "ref": "n-1",
        "title": "康复训练机器人",
        "description": "康复室需要三台外骨骼。",
        "domain": "civil_affairs",
        "budget_max_cny": 300000,
        "quantity": 3,
    }
    fields.update(overrides)
    return NeedFeatures(**fields)  # type: ignore[arg-type]


def _profile(price_min: int | None = 120000, price_max: int | None = None) -> CapabilityFeatures:
    return CapabilityFeatures(
        id=7,
        ref="c-7",
        title="下肢外骨骼",
        description="步行训练。",
        robot_type="exoskeleton",
        service_regions=frozenset({"全国"}),
        price_min_cny=price_min,
        price_max_cny=price_max,
    )


def test_a_per_unit_budget_compares_the_unit_price_whatever_the_quantity() -> None:
    aspect = budget_aspect(_need(), _profile(120000, 180000))
    assert aspect is not None
    assert (aspect.status, aspect.wanted, aspect.evidence) == (
        AspectStatus.MET,
        "单价不超过 30 万元",
        "价格 12 万元–18 万元，在预算内",
    )
    refused = budget_aspect(_need(budget_max_cny=100000), _profile(120000))
    assert refused is not None
    assert (refused.status, refused.evidence) == (
        AspectStatus.MISSING,
        "最低价 12 万元，超出预算上限",
    )


def test_a_total_budget_compares_the_unit_price_times_the_quantity() -> None:
    need = _need(budget_basis=BudgetBasis.TOTAL)
    aspect = budget_aspect(need, _profile(120000))
    assert aspect is not None
    assert (aspect.status, aspect.wanted, aspect.evidence) == (
        AspectStatus.MISSING,
        "总价不超过 30 万元",
        "总预算 30 万元，3 台按单价 12 万元起共 36 万元，超出",
    )
    assert failed_keys(need, _profile(120000)) == ("budget",)
    # The same profile and budget per unit: eligible.
    assert failed_keys(_need(), _profile(120000)) == ()


def test_a_total_budget_within_reach_for_the_cheaper_configuration_is_partly_met() -> None:
    aspect = budget_aspect(_need(budget_basis=BudgetBasis.TOTAL), _profile(80000, 120000))
    assert aspect is not None
    assert (aspect.status, aspect.evidence) == (
        AspectStatus.PARTIAL,
        "总预算 30 万元，3 台按单价 8 万元–12 万元共 24 万元–36 万元，低配在预算内",
    )
    met = budget_aspect(_need(budget_basis=BudgetBasis.TOTAL), _profile(80000, 100000))
    assert met is not None
    assert (met.status, met.evidence) == (
        AspectStatus.MET,
        "总预算 30 万元，3 台按单价 8 万元起共 24 万元–30 万元，在预算内",
    )


def test_a_total_budget_without_a_quantity_counts_one_unit() -> None:
    aspect = budget_aspect(_need(budget_basis=BudgetBasis.TOTAL, quantity=None), _profile(120000))
    assert aspect is not None
    assert (aspect.status, aspect.evidence) == (
        AspectStatus.MET,
        "总预算 30 万元，1 台（未填数量）按单价 12 万元起共 12 万元起，在预算内",
    )
