"""Hard requirements decide eligibility before any score is looked at."""

from __future__ import annotations

from matching.ranking.types import (
    Aspect,
    AspectStatus,
    BudgetBasis,
    CapabilityFeatures,
    NeedFeatures,
)


def _yuan(amount: int) -> str:
    return f"{amount / 10000:g} 万元" if amount >= 10000 else f"{amount} 元"


# Each requirement's status is decided once, in a *_status function: the *_aspect functions explain
# it, and failed_keys reads it without building the explanations (the ranker does that for the
# whole candidate pool, and explains only the matches it returns).


def certification_status(need: NeedFeatures, capability: CapabilityFeatures) -> AspectStatus | None:
    if not need.required_certifications:
        return None
    if need.required_certifications <= capability.certifications:
        return AspectStatus.MET
    return AspectStatus.MISSING


def certification_aspect(need: NeedFeatures, capability: CapabilityFeatures) -> Aspect | None:
    status = certification_status(need, capability)
    if status is None:
        return None
    missing = sorted(need.required_certifications - capability.certifications)
    held = sorted(need.required_certifications & capability.certifications)
    if status == AspectStatus.MET:
        evidence = "已持有：" + "、".join(held)
    else:
        evidence = "缺少：" + "、".join(missing)
        if held:
            evidence += "；已持有：" + "、".join(held)
    return Aspect(
        key="certifications",
        label="必需资质",
        status=status,
        wanted="、".join(sorted(need.required_certifications)),
        evidence=evidence,
        is_hard=True,
    )


def region_status(need: NeedFeatures, capability: CapabilityFeatures) -> AspectStatus:
    if not capability.service_regions.isdisjoint(need.region_lineage):
        return AspectStatus.MET
    if not capability.service_regions:
        return AspectStatus.UNKNOWN
    return AspectStatus.MISSING


def region_aspect(need: NeedFeatures, capability: CapabilityFeatures) -> Aspect:
    status = region_status(need, capability)
    if status == AspectStatus.MET:
        served = sorted(capability.service_regions & need.region_lineage)
        evidence = "服务范围包含：" + "、".join(served)
    elif status == AspectStatus.UNKNOWN:
        evidence = "供应商未填写服务地区"
    else:
        evidence = "仅服务：" + "、".join(sorted(capability.service_regions))
    return Aspect(
        key="region",
        label="服务地区",
        status=status,
        wanted=need.region,
        evidence=evidence,
        is_hard=True,
    )


def _units(need: NeedFeatures) -> int:
    """How many units a total budget pays for: the need's quantity, one when it gives none."""
    if need.budget_basis != BudgetBasis.TOTAL:
        return 1
    return need.quantity or 1


def budget_status(need: NeedFeatures, capability: CapabilityFeatures) -> AspectStatus | None:
    """A per-unit budget bounds the profile's unit price; a total budget bounds the unit price
    times the need's quantity."""
    if need.budget_max_cny is None:
        return None
    if capability.price_min_cny is None:
        return AspectStatus.UNKNOWN
    units = _units(need)
    if capability.price_min_cny * units > need.budget_max_cny:
        return AspectStatus.MISSING
    high = capability.price_max_cny
    if high is not None and high * units > need.budget_max_cny:
        return AspectStatus.PARTIAL
    return AspectStatus.MET


def _total_budget_evidence(
    need: NeedFeatures, capability: CapabilityFeatures, status: AspectStatus
) -> str:
    """E.g. 总预算 30 万元，3 台按单价 12 万元起共 36 万元，超出."""
    budget, units = need.budget_max_cny or 0, _units(need)
    low, high = capability.price_min_cny, capability.price_max_cny
    counted = f"{units} 台" if need.quantity else "1 台（未填数量）"
    if low is None:
        return "供应商未公开价格"
    if status == AspectStatus.MISSING:
        return (
            f"总预算 {_yuan(budget)}，{counted}按单价 {_yuan(low)}起共 {_yuan(low * units)}，超出"
        )
    if status == AspectStatus.PARTIAL and high is not None:
        return (
            f"总预算 {_yuan(budget)}，{counted}按单价 {_yuan(low)}–{_yuan(high)}"
            f"共 {_yuan(low * units)}–{_yuan(high * units)}，低配在预算内"
        )
    total = _yuan(low * units) + (f"–{_yuan(high * units)}" if high is not None else "起")
    return f"总预算 {_yuan(budget)}，{counted}按单价 {_yuan(low)}起共 {total}，在预算内"


def budget_aspect(need: NeedFeatures, capability: CapabilityFeatures) -> Aspect | None:
    status = budget_status(need, capability)
    if status is None or need.budget_max_cny is None:
        return None
    if need.budget_basis == BudgetBasis.TOTAL:
        wanted = f"总价不超过 {_yuan(need.budget_max_cny)}"
        evidence = _total_budget_evidence(need, capability, status)
        return Aspect("budget", "预算", status, wanted, evidence, True)
    wanted = f"单价不超过 {_yuan(need.budget_max_cny)}"
    low, high = capability.price_min_cny, capability.price_max_cny
    if low is None:
        evidence = "供应商未公开价格"
    elif status == AspectStatus.MISSING:
        evidence = f"最低价 {_yuan(low)}，超出预算上限"
    elif status == AspectStatus.PARTIAL and high is not None:
        evidence = f"价格 {_yuan(low)}–{_yuan(high)}，低配在预算内"
    else:
        top = _yuan(high) if high is not None else "?"
        evidence = f"价格 {_yuan(low)}–{top}，在预算内"
    return Aspect("budget", "预算", status, wanted, evidence, True)


def hard_aspects(need: NeedFeatures, capability: CapabilityFeatures) -> tuple[Aspect, ...]:
    aspects = (
        certification_aspect(need, capability),
        region_aspect(need, capability),
        budget_aspect(need, capability),
    )
    return tuple(aspect for aspect in aspects if aspect is not None)


def failed_requirements(aspects: tuple[Aspect, ...]) -> tuple[str, ...]:
    """The hard requirements a profile fails; an unknown price or region does not fail."""
    return tuple(a.key for a in aspects if a.is_hard and a.status == AspectStatus.MISSING)


def failed_keys(need: NeedFeatures, capability: CapabilityFeatures) -> tuple[str, ...]:
    """``failed_requirements(hard_aspects(need, capability))``, without building the aspects."""
    failed = []
    if certification_status(need, capability) == AspectStatus.MISSING:
        failed.append("certifications")
    if region_status(need, capability) == AspectStatus.MISSING:
        failed.append("region")
    if budget_status(need, capability) == AspectStatus.MISSING:
        failed.append("budget")
    return tuple(failed)
