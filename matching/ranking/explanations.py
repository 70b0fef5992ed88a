"""Requirement-level explanations: for each aspect of the need, what in the profile meets it."""

from __future__ import annotations

from functools import lru_cache

from matching.ranking.text import bigrams, mentions, overlap, sentences
from matching.ranking.types import Aspect, AspectStatus, CapabilityFeatures, NeedFeatures
from matching.ranking.vocabulary import Vocabulary

ELEVATOR_TERMS = ("乘梯", "电梯", "跨楼层", "elevator", "lift")
STAIR_TERMS = ("爬楼", "楼梯", "台阶", "stairs")
OUTDOOR_TERMS = ("室外", "户外", "防水", "ip6", "全地形", "outdoor")
INDOOR_TERMS = ("室内", "indoor")


def _best_sentence(text: str, terms: tuple[str, ...]) -> str:
    for sentence in sentences(text):
        if mentions(sentence, terms):
            return sentence[:120]
    return ""


def category_aspects(
    need: NeedFeatures, capability: CapabilityFeatures, vocabulary: Vocabulary
) -> list[Aspect]:
    aspects = []
    for code in sorted(need.categories):
        name = vocabulary.category_names.get(code, code)
        if code in capability.categories:
            status, evidence = AspectStatus.MET, f"能力标注了服务类别“{name}”"
        else:
            quote = _best_sentence(capability.text, vocabulary.category_terms(code))
            if quote:
                status, evidence = AspectStatus.PARTIAL, f"描述中提到：{quote}"
            else:
                status, evidence = AspectStatus.MISSING, "能力未覆盖该服务类别"
        aspects.append(Aspect(f"category:{code}", "服务类别", status, name, evidence))
    return aspects


def domain_aspect(
    need: NeedFeatures, capability: CapabilityFeatures, vocabulary: Vocabulary
) -> Aspect:
    name = vocabulary.domain_names.get(need.domain, need.domain)
    if need.domain in capability.domains:
        return Aspect("domain", "应用领域", AspectStatus.MET, name, f"能力适用于“{name}”")
    others = "、".join(vocabulary.domain_names.get(d, d) for d in sorted(capability.domains))
    return Aspect("domain", "应用领域", AspectStatus.MISSING, name, f"能力适用领域：{others}")


def site_aspects(need: NeedFeatures, capability: CapabilityFeatures) -> list[Aspect]:
    aspects = []
    text = capability.text
    floors = need.site_floors or 0
    if floors > 1 and need.site_has_elevator is True:
        wanted = f"{floors} 层楼，有电梯"
        quote = _best_sentence(text, ELEVATOR_TERMS + STAIR_TERMS)
        status = AspectStatus.MET if quote else AspectStatus.UNKNOWN
        aspects.append(
            Aspect("site:floors", "场地条件", status, wanted, quote or "未说明能否跨楼层")
        )
    elif floors > 1 and need.site_has_elevator is False:
        wanted = f"{floors} 层楼，无电梯"
        stairs = _best_sentence(text, STAIR_TERMS)
        elevator = _best_sentence(text, ELEVATOR_TERMS)
        if stairs:
            aspects.append(Aspect("site:floors", "场地条件", AspectStatus.MET, wanted, stairs))
        elif elevator:
            evidence = f"依赖电梯：{elevator}"
            aspects.append(
                Aspect("site:floors", "场地条件", AspectStatus.MISSING, wanted, evidence)
            )
        else:
            evidence = "未说明能否上下楼"
            aspects.append(
                Aspect("site:floors", "场地条件", AspectStatus.UNKNOWN, wanted, evidence)
            )
    if need.site_environment in ("outdoor", "mixed"):
        wanted = "室外作业" if need.site_environment == "outdoor" else "室内外作业"
        quote = _best_sentence(text, OUTDOOR_TERMS)
        status = AspectStatus.MET if quote else AspectStatus.UNKNOWN
        aspects.append(
            Aspect("site:environment", "场地条件", status, wanted, quote or "未说明室外能力")
        )
    return aspects


@lru_cache(maxsize=64)
def _need_bigrams(title: str, description: str) -> frozenset[str]:
    """Once per need, not once per profile explained for it."""
    return bigrams(f"{title}\n{description}")


def description_aspect(need: NeedFeatures, capability: CapabilityFeatures) -> Aspect | None:
    """The profile sentence that shares most wording with the need, as a quotable reason."""
    need_grams = _need_bigrams(need.title, need.description)
    scored = [(overlap(sentence, need_grams), sentence) for sentence in sentences(capability.text)]
    if not scored:
        return None
    share, sentence = max(scored, key=lambda pair: (pair[0], -len(pair[1])))
    if share < 0.05:
        return None
    status = AspectStatus.MET if share >= 0.2 else AspectStatus.PARTIAL
    return Aspect("description", "需求描述", status, need.title, sentence[:160])


def responsiveness_aspect(capability: CapabilityFeatures) -> Aspect | None:
    """Why a vendor that leaves leads unanswered ranks a little lower (nothing without a record)."""
    answered, overdue = capability.leads_answered, capability.leads_overdue
    if overdue:
        status = AspectStatus.MISSING if overdue > answered else AspectStatus.PARTIAL
        evidence = (
            f"有 {overdue} 条线索超期未回复（已回复 {answered} 条），排名因此略有下降；"
            "回复或婉拒后即恢复"
        )
    elif answered:
        status, evidence = AspectStatus.MET, f"已回复 {answered} 条线索，没有超期未回复的"
    else:
        return None
    return Aspect("responsiveness", "响应情况", status, "按时回复线索", evidence)


def soft_aspects(
    need: NeedFeatures, capability: CapabilityFeatures, vocabulary: Vocabulary
) -> tuple[Aspect, ...]:
    aspects: list[Aspect] = [domain_aspect(need, capability, vocabulary)]
    aspects.extend(category_aspects(need, capability, vocabulary))
    aspects.extend(site_aspects(need, capability))
    described = description_aspect(need, capability)
    if described is not None:
        aspects.append(described)
    responsiveness = responsiveness_aspect(capability)
    if responsiveness is not None:
        aspects.append(responsiveness)
    return tuple(aspects)


STATUS_MARK = {
    AspectStatus.MET: "✓",
    AspectStatus.PARTIAL: "≈",
    AspectStatus.MISSING: "✗",
    AspectStatus.UNKNOWN: "?",
}


def reason_lines(aspects: tuple[Aspect, ...]) -> list[str]:
    """One readable line per aspect, hard requirements first."""
    ordered = sorted(aspects, key=lambda aspect: not aspect.is_hard)
    return [
        f"{STATUS_MARK[a.status]} {a.label}（{a.wanted}）：{a.evidence}".rstrip("：")
        for a in ordered
    ]
