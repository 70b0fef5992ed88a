"""Hard requirements decide eligibility before any score is looked at."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from matching.ranking.phrases import Listed, Named, Phrase, Yuan
from matching.ranking.types import (
    Aspect,
    AspectStatus,
    BudgetBasis,
    CapabilityFeatures,
    NeedFeatures,
)
from matching.ranking.vocabulary import EMPTY_VOCABULARY, Vocabulary


def _certifications(names: list[str], vocabulary: Vocabulary) -> Listed:
    return Listed(tuple(Named(n, vocabulary.certification_names_en.get(n, "")) for n in names))


# Each requirement's status is decided once, in a *_status function: the *_aspect functions explain
# it, and failed_keys reads it without building the explanations (the ranker does that for the
# whole candidate pool, and explains only the matches it returns).


def certification_status(need: NeedFeatures, capability: CapabilityFeatures) -> AspectStatus | None:
    if not need.required_certifications:
        return None
    if need.required_certifications <= capability.certifications:
        return AspectStatus.MET
    return AspectStatus.MISSING


def certification_aspect(
    need: NeedFeatures, capability: CapabilityFeatures, vocabulary: Vocabulary = EMPTY_VOCABULARY
) -> Aspect | None:
    status = certification_status(need, capability)
    if status is None:
        return None
    missing = _certifications(
        sorted(need.required_certifications - capability.certifications), vocabulary
    )
    held = _certifications(
        sorted(need.required_certifications & capability.certifications), vocabulary
    )
    if status == AspectStatus.MET:
        evidence = Phrase.of(gettext_noop("已持有：%(held)s"), held=held)
    elif held.items:
        evidence = Phrase.of(
            gettext_noop("缺少：%(missing)s；已持有：%(held)s"), missing=missing, held=held
        )
    else:
        evidence = Phrase.of(gettext_noop("缺少：%(missing)s"), missing=missing)
    return Aspect(
        key="certifications",
        label_phrase=Phrase(gettext_noop("必需资质")),
        status=status,
        wanted_phrase=Phrase.of(
            "%(names)s",
            names=_certifications(sorted(need.required_certifications), vocabulary),
        ),
        evidence_phrase=evidence,
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
    # Region names are place names, shown as written.
    if status == AspectStatus.MET:
        served = Listed(tuple(sorted(capability.service_regions & need.region_lineage)))
        evidence = Phrase.of(gettext_noop("服务范围包含：%(regions)s"), regions=served)
    elif status == AspectStatus.UNKNOWN:
        evidence = Phrase(gettext_noop("供应商未填写服务地区"))
    else:
        regions = Listed(tuple(sorted(capability.service_regions)))
        evidence = Phrase.of(gettext_noop("仅服务：%(regions)s"), regions=regions)
    return Aspect(
        key="region",
        label_phrase=Phrase(gettext_noop("服务地区")),
        status=status,
        wanted_phrase=Phrase.verbatim(need.region),
        evidence_phrase=evidence,
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
) -> Phrase:
    """E.g. 总预算 30 万元，3 台按单价 12 万元起共 36 万元，超出."""
    budget, units = need.budget_max_cny or 0, _units(need)
    low, high = capability.price_min_cny, capability.price_max_cny
    counted = (
        Phrase.of(gettext_noop("%(units)s 台"), units=units)
        if need.quantity
        else Phrase(gettext_noop("1 台（未填数量）"))
    )
    if low is None:
        return Phrase(gettext_noop("供应商未公开价格"))
    if status == AspectStatus.MISSING:
        return Phrase.of(
            gettext_noop("总预算 %(budget)s，%(counted)s按单价 %(low)s起共 %(total)s，超出"),
            budget=Yuan(budget),
            counted=counted,
            low=Yuan(low),
            total=Yuan(low * units),
        )
    if status == AspectStatus.PARTIAL and high is not None:
        return Phrase.of(
            gettext_noop(
                "总预算 %(budget)s，%(counted)s按单价 %(low)s–%(high)s"
                "共 %(total_low)s–%(total_high)s，低配在预算内"
            ),
            budget=Yuan(budget),
            counted=counted,
            low=Yuan(low),
            high=Yuan(high),
            total_low=Yuan(low * units),
            total_high=Yuan(high * units),
        )
    if high is not None:
        return Phrase.of(
            gettext_noop(
                "总预算 %(budget)s，%(counted)s按单价 %(low)s起共 %(total_low)s–%(total_high)s，"
                "在预算内"
            ),
            budget=Yuan(budget),
            counted=counted,
            low=Yuan(low),
            total_low=Yuan(low * units),
            total_high=Yuan(high * units),
        )
    return Phrase.of(
        gettext_noop("总预算 %(budget)s，%(counted)s按单价 %(low)s起共 %(total)s起，在预算内"),
        budget=Yuan(budget),
        counted=counted,
        low=Yuan(low),
        total=Yuan(low * units),
    )


def budget_aspect(need: NeedFeatures, capability: CapabilityFeatures) -> Aspect | None:
    status = budget_status(need, capability)
    if status is None or need.budget_max_cny is None:
        return None
    if need.budget_basis == BudgetBasis.TOTAL:
        wanted = Phrase.of(gettext_noop("总价不超过 %(amount)s"), amount=Yuan(need.budget_max_cny))
        return Aspect(
            "budget",
            Phrase(gettext_noop("预算")),
            status,
            wanted,
            _total_budget_evidence(need, capability, status),
            True,
        )
    wanted = Phrase.of(gettext_noop("单价不超过 %(amount)s"), amount=Yuan(need.budget_max_cny))
    low, high = capability.price_min_cny, capability.price_max_cny
    evidence: Phrase
    if low is None:
        evidence = Phrase(gettext_noop("供应商未公开价格"))
    elif status == AspectStatus.MISSING:
        evidence = Phrase.of(gettext_noop("最低价 %(low)s，超出预算上限"), low=Yuan(low))
    elif status == AspectStatus.PARTIAL and high is not None:
        evidence = Phrase.of(
            gettext_noop("价格 %(low)s–%(high)s，低配在预算内"), low=Yuan(low), high=Yuan(high)
        )
    else:
        top: Yuan | str = Yuan(high) if high is not None else "?"
        evidence = Phrase.of(
            gettext_noop("价格 %(low)s–%(high)s，在预算内"), low=Yuan(low), high=top
        )
    return Aspect("budget", Phrase(gettext_noop("预算")), status, wanted, evidence, True)


def hard_aspects(
    need: NeedFeatures, capability: CapabilityFeatures, vocabulary: Vocabulary = EMPTY_VOCABULARY
) -> tuple[Aspect, ...]:
    aspects = (
        certification_aspect(need, capability, vocabulary),
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
