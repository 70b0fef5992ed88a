"""Requirement-level explanations: for each aspect of the need, what in the profile meets it."""

from __future__ import annotations

import hashlib
import inspect
import sys
from functools import lru_cache

from django.utils.translation import gettext, gettext_noop

from matching.ranking.clauses import (
    capped,
    demand_clauses,
    evidence_clauses,
    judge_clause,
    limiting_verdict,
    worst,
)
from matching.ranking.phrases import Listed, Named, Phrase
from matching.ranking.text import bigrams, mentions, overlap
from matching.ranking.types import Aspect, AspectStatus, CapabilityFeatures, NeedFeatures
from matching.ranking.vocabulary import Vocabulary

ELEVATOR_TERMS = ("乘梯", "电梯", "跨楼层", "跨层", "楼层", "单层", "elevator", "lift", "floors")
STAIR_TERMS = ("爬楼", "楼梯", "台阶", "stairs")
OUTDOOR_TERMS = ("室外", "户外", "防水", "ip6", "全地形", "outdoor")
INDOOR_TERMS = ("室内", "indoor")
EVIDENCE_CHARS = 120


def _best_sentence(capability: CapabilityFeatures, terms: tuple[str, ...]) -> str:
    for clause, sentence in evidence_clauses(capability.text, capability.title):
        if mentions(clause, terms):
            return sentence[:EVIDENCE_CHARS]
    return ""


def _site_verdict(
    capability: CapabilityFeatures, terms: tuple[str, ...]
) -> tuple[AspectStatus, str]:
    """The profile's clauses that speak of ``terms``, judged together: the verdict that says
    most against the profile wins (a tick is never put on a sentence that negates), with the
    sentence it comes from. UNKNOWN and no sentence when none speaks of them."""
    judged = [
        (limiting_verdict(clause), sentence)
        for clause, sentence in evidence_clauses(capability.text, capability.title)
        if mentions(clause, terms)
    ]
    if not judged:
        return AspectStatus.UNKNOWN, ""
    verdict = worst(status for status, _ in judged)
    sentence = next(sentence for status, sentence in judged if status == verdict)
    return verdict, sentence[:EVIDENCE_CHARS]


def category_aspects(
    need: NeedFeatures, capability: CapabilityFeatures, vocabulary: Vocabulary
) -> list[Aspect]:
    aspects = []
    for code in sorted(need.categories):
        name = Named(
            vocabulary.category_names.get(code, code), vocabulary.category_names_en.get(code, "")
        )
        if code in capability.categories:
            status = AspectStatus.MET
            evidence = Phrase.of(gettext_noop("能力标注了服务类别“%(name)s”"), name=name)
        else:
            quote = _best_sentence(capability, vocabulary.category_terms(code))
            if quote:
                status = AspectStatus.PARTIAL
                evidence = Phrase.of(gettext_noop("描述中提到：%(quote)s"), quote=quote)
            else:
                status, evidence = (
                    AspectStatus.MISSING,
                    Phrase(gettext_noop("能力未覆盖该服务类别")),
                )
        aspects.append(
            Aspect(
                f"category:{code}",
                Phrase(gettext_noop("服务类别")),
                status,
                Phrase.of("%(name)s", name=name),
                evidence,
            )
        )
    return aspects


def _domain(code: str, vocabulary: Vocabulary) -> Named:
    return Named(vocabulary.domain_names.get(code, code), vocabulary.domain_names_en.get(code, ""))


def domain_aspect(
    need: NeedFeatures, capability: CapabilityFeatures, vocabulary: Vocabulary
) -> Aspect:
    name = _domain(need.domain, vocabulary)
    label, wanted = Phrase(gettext_noop("应用领域")), Phrase.of("%(name)s", name=name)
    if need.domain in capability.domains:
        evidence = Phrase.of(gettext_noop("能力适用于“%(name)s”"), name=name)
        return Aspect("domain", label, AspectStatus.MET, wanted, evidence)
    others = Listed(tuple(_domain(d, vocabulary) for d in sorted(capability.domains)))
    evidence = Phrase.of(gettext_noop("能力适用领域：%(names)s"), names=others)
    return Aspect("domain", label, AspectStatus.MISSING, wanted, evidence)


SITE = gettext_noop("场地条件")


def _site(key: str, status: AspectStatus, wanted: Phrase, evidence: Phrase | str) -> Aspect:
    quote = Phrase.verbatim(evidence) if isinstance(evidence, str) else evidence
    return Aspect(key, Phrase(SITE), status, wanted, quote)


def site_aspects(need: NeedFeatures, capability: CapabilityFeatures) -> list[Aspect]:
    aspects = []
    floors = need.site_floors or 0
    if floors > 1 and need.site_has_elevator is True:
        wanted = Phrase.of(gettext_noop("%(floors)s 层楼，有电梯"), floors=floors)
        status, quote = _site_verdict(capability, ELEVATOR_TERMS + STAIR_TERMS)
        aspects.append(
            _site("site:floors", status, wanted, quote or Phrase(gettext_noop("未说明能否跨楼层")))
        )
    elif floors > 1 and need.site_has_elevator is False:
        wanted = Phrase.of(gettext_noop("%(floors)s 层楼，无电梯"), floors=floors)
        stairs_status, stairs = _site_verdict(capability, STAIR_TERMS)
        elevator_status, elevator = _site_verdict(capability, ELEVATOR_TERMS)
        if stairs:
            aspects.append(_site("site:floors", stairs_status, wanted, stairs))
        elif elevator:
            status = capped(elevator_status, AspectStatus.MISSING)
            evidence: Phrase | str = (
                Phrase.of(gettext_noop("依赖电梯：%(quote)s"), quote=elevator)
                if status == AspectStatus.MISSING
                else elevator
            )
            aspects.append(_site("site:floors", status, wanted, evidence))
        else:
            aspects.append(
                _site(
                    "site:floors",
                    AspectStatus.UNKNOWN,
                    wanted,
                    Phrase(gettext_noop("未说明能否上下楼")),
                )
            )
    if need.site_environment in ("outdoor", "mixed"):
        wanted = Phrase(
            gettext_noop("室外作业")
            if need.site_environment == "outdoor"
            else gettext_noop("室内外作业")
        )
        status, quote = _site_verdict(capability, OUTDOOR_TERMS)
        indoor_status, indoor = _site_verdict(capability, INDOOR_TERMS)
        if indoor and indoor_status != AspectStatus.MET and status != AspectStatus.MET:
            # "仅限室内使用": a limit to indoors rules outdoor work out.
            status, quote = AspectStatus.CONTRADICTED, indoor
        aspects.append(
            _site(
                "site:environment", status, wanted, quote or Phrase(gettext_noop("未说明室外能力"))
            )
        )
    return aspects


@lru_cache(maxsize=64)
def _need_bigrams(title: str, description: str) -> frozenset[str]:
    """Once per need, not once per profile explained for it."""
    return bigrams(f"{title}\n{description}")


def description_aspect(need: NeedFeatures, capability: CapabilityFeatures) -> Aspect | None:
    """The profile sentence that shares most wording with the need, as a quotable reason: never
    the profile's title (a name, not evidence), and never MET when it negates or limits."""
    need_grams = _need_bigrams(need.title, need.description)
    scored = [
        (overlap(clause, need_grams), clause, sentence)
        for clause, sentence in evidence_clauses(capability.text, capability.title)
    ]
    if not scored:
        return None
    share, clause, sentence = max(scored, key=lambda found: (found[0], -len(found[2])))
    if share < 0.05:
        return None
    status = AspectStatus.MET if share >= 0.2 else AspectStatus.PARTIAL
    status = capped(status, limiting_verdict(clause))
    return Aspect(
        "description",
        Phrase(gettext_noop("需求描述")),
        status,
        Phrase.verbatim(need.title),
        Phrase.verbatim(sentence[:160]),
    )


def clause_aspects(need: NeedFeatures, capability: CapabilityFeatures) -> list[Aspect]:
    """Each demand written in the need's description ("需要支持与现有呼叫系统对接"), in the
    need's order, with the profile sentence that answers it, or "资料未提及"."""
    evidence = evidence_clauses(capability.text, capability.title)
    aspects = []
    for number, clause in enumerate(demand_clauses(need.description), start=1):
        status, sentence = judge_clause(clause, evidence)
        aspects.append(
            Aspect(
                f"clause:{number}",
                Phrase(gettext_noop("描述中的要求")),
                status,
                Phrase.verbatim(clause[:60]),
                Phrase.verbatim(sentence[:EVIDENCE_CHARS])
                if sentence
                else Phrase(gettext_noop("资料未提及")),
            )
        )
    return aspects


def responsiveness_aspect(capability: CapabilityFeatures) -> Aspect | None:
    """Why a vendor that leaves leads unanswered ranks a little lower (nothing without a record)."""
    answered, overdue = capability.leads_answered, capability.leads_overdue
    if overdue:
        status = AspectStatus.MISSING if overdue > answered else AspectStatus.PARTIAL
        evidence = Phrase.of(
            gettext_noop(
                "有 %(overdue)s 条线索超期未回复（已回复 %(answered)s 条），排名因此略有下降；"
                "回复或婉拒后即恢复"
            ),
            overdue=overdue,
            answered=answered,
        )
    elif answered:
        status = AspectStatus.MET
        evidence = Phrase.of(
            gettext_noop("已回复 %(answered)s 条线索，没有超期未回复的"), answered=answered
        )
    else:
        return None
    return Aspect(
        "responsiveness",
        Phrase(gettext_noop("响应情况")),
        status,
        Phrase(gettext_noop("按时回复线索")),
        evidence,
    )


def soft_aspects(
    need: NeedFeatures, capability: CapabilityFeatures, vocabulary: Vocabulary
) -> tuple[Aspect, ...]:
    aspects: list[Aspect] = [domain_aspect(need, capability, vocabulary)]
    aspects.extend(category_aspects(need, capability, vocabulary))
    aspects.extend(site_aspects(need, capability))
    aspects.extend(clause_aspects(need, capability))
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
    AspectStatus.CONTRADICTED: "✗",
}


# The verdict words of the ``matching_rank --format json`` reasons.
VERDICTS = {
    AspectStatus.MET: "met",
    AspectStatus.PARTIAL: "partly",
    AspectStatus.UNKNOWN: "unknown",
    AspectStatus.MISSING: "missing",
    AspectStatus.CONTRADICTED: "contradicted",
}


def _line(aspect: Aspect) -> str:
    """``✓ 服务地区（青岛市）：…`` in the active language."""
    mark, label, wanted = STATUS_MARK[aspect.status], aspect.label, aspect.wanted
    evidence = aspect.evidence
    if not evidence:
        return gettext("%(mark)s %(label)s（%(wanted)s）") % {
            "mark": mark,
            "label": label,
            "wanted": wanted,
        }
    return gettext("%(mark)s %(label)s（%(wanted)s）：%(evidence)s") % {
        "mark": mark,
        "label": label,
        "wanted": wanted,
        "evidence": evidence,
    }


def _hard_first(aspects: tuple[Aspect, ...]) -> list[Aspect]:
    return sorted(aspects, key=lambda aspect: not aspect.is_hard)


def reason_lines(aspects: tuple[Aspect, ...]) -> list[str]:
    """One readable line per aspect, hard requirements first."""
    return [_line(aspect) for aspect in _hard_first(aspects)]


def reason_objects(aspects: tuple[Aspect, ...]) -> list[dict[str, str]]:
    """The same reasons as data: ``{aspect, verdict, text, evidence}``, hard requirements
    first, then the need's own order."""
    return [
        {
            "aspect": aspect.key,
            "verdict": VERDICTS[aspect.status],
            "text": _line(aspect),
            "evidence": aspect.evidence,
        }
        for aspect in _hard_first(aspects)
    ]


def wording_revision() -> str:
    """A digest of the code that words a match's reasons (phrases, aspects, these lines): it
    changes when a deploy changes what the same match reads as, so that renderings kept
    across processes (marketplace.matches.fragments) are not served from before it."""
    return _wording_revision()


@lru_cache(maxsize=1)
def _wording_revision() -> str:
    digest = hashlib.blake2b(digest_size=12)
    for name in ("matching.ranking.phrases", "matching.ranking.types", __name__):
        digest.update(inspect.getsource(sys.modules[name]).encode())
    return digest.hexdigest()
