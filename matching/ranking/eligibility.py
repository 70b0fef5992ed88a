"""Hard requirements decide eligibility before any score is looked at."""

from __future__ import annotations

from matching.ranking.types import Aspect, AspectStatus, CapabilityFeatures, NeedFeatures


def _yuan(amount: int) -> str:
    return f"{amount / 10000:g} 万元" if amount >= 10000 else f"{amount} 元"


def certification_aspect(need: NeedFeatures, capability: CapabilityFeatures) -> Aspect | None:
    if not need.required_certifications:
        return None
    missing = sorted(need.required_certifications - capability.certifications)
    held = sorted(need.required_certifications & capability.certifications)
    if not missing:
        status, evidence = AspectStatus.MET, "已持有：" + "、".join(held)
    else:
        status = AspectStatus.MISSING
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


def region_aspect(need: NeedFeatures, capability: CapabilityFeatures) -> Aspect:
    served = sorted(capability.service_regions & need.region_lineage)
    if served:
        status, evidence = AspectStatus.MET, "服务范围包含：" + "、".join(served)
    elif not capability.service_regions:
        status, evidence = AspectStatus.UNKNOWN, "供应商未填写服务地区"
    else:
        status = AspectStatus.MISSING
        evidence = "仅服务：" + "、".join(sorted(capability.service_regions))
    return Aspect(
        key="region",
        label="服务地区",
        status=status,
        wanted=need.region,
        evidence=evidence,
        is_hard=True,
    )


def budget_aspect(need: NeedFeatures, capability: CapabilityFeatures) -> Aspect | None:
    if need.budget_max_cny is None:
        return None
    wanted = f"单价不超过 {_yuan(need.budget_max_cny)}"
    if capability.price_min_cny is None:
        return Aspect("budget", "预算", AspectStatus.UNKNOWN, wanted, "供应商未公开价格", True)
    if capability.price_min_cny > need.budget_max_cny:
        evidence = f"最低价 {_yuan(capability.price_min_cny)}，超出预算上限"
        return Aspect("budget", "预算", AspectStatus.MISSING, wanted, evidence, True)
    high = capability.price_max_cny
    if high is not None and high > need.budget_max_cny:
        evidence = f"价格 {_yuan(capability.price_min_cny)}–{_yuan(high)}，低配在预算内"
        return Aspect("budget", "预算", AspectStatus.PARTIAL, wanted, evidence, True)
    top = _yuan(high) if high is not None else "?"
    evidence = f"价格 {_yuan(capability.price_min_cny)}–{top}，在预算内"
    return Aspect("budget", "预算", AspectStatus.MET, wanted, evidence, True)


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
