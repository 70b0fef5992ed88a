"""Requirement reading: a need's free text as demand clauses, and a verdict for each clause
against the profile's own sentences.

A profile sentence that limits or negates what it says ("不能", "不支持", "仅", "单层",
"需人工", "cannot", "only") is never read as meeting a requirement: a negation makes the verdict
*contradicted*, a limit *partly met*. Phrases that look negative but praise ("无需人工",
"不间断", "not only") are taken out before the check, and so are specification bounds
("不超过 45 分贝"). All of it is plain text work, with no model: the same clause gets the same
verdict on every read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from matching.ranking.text import char_ngrams, normalise, sentences
from matching.ranking.types import AspectStatus

CLAUSE_SPLIT = re.compile(r"[，,；;：:]\s*|(?<=[。！？!?\n])|(?<=\.)\s+")

# Looks negative, means well: removed before the negation and limit checks.
PRAISE = (
    "无需",
    "不需",
    "不用",
    "不仅",
    "不间断",
    "不停",
    "不受",
    "不怕",
    "不限",
    "无论",
    "不超过",
    "不高于",
    "不低于",
    "不少于",
    "not only",
    "no need",
    "not require",
    "not need",
    "without the need",
)
NEGATIONS = (
    "不能",
    "不可",
    "无法",
    "不支持",
    "暂不",
    "不具备",
    "不适用",
    "不适合",
    "不含",
    "不会",
    "未配备",
)
NEGATIONS_EN = re.compile(
    r"\b(cannot|can't|can not|not|unable|doesn't|does not|isn't|is not|won't|unsupported)\b"
)
LIMITS = (
    "仅",
    "只能",
    "只可",
    "只在",
    "限于",
    "单层",
    "需人工",
    "需要人工",
    "人工辅助",
    "人工干预",
)
LIMITS_EN = re.compile(r"\b(only|single[- ]floor|manual(ly)?|limited to|requires an operator)\b")

# What a need's sentence says when it states a requirement.
DEMAND_MARKERS = (
    "需要",
    "要求",
    "必须",
    "希望",
    "须",
    "需",
    "要能",
    "能够",
    "最好",
    "need",
    "must",
    "should",
    "require",
    "has to",
    "have to",
    "able to",
    "want",
)
# Taken out of a demand clause before its wording is compared with the profile's.
MARKER_WORDS = re.compile(
    r"需要|要求|必须|希望|最好|能够|要能|须|需|我们|机构|"
    r"\b(the|a|robots?|it|we|our|need(s|ed)?|to|must|should|requires?|has|have|be|able|wants?)\b"
)
# Characters too common to say what a clause is about.
STOP_CHARACTERS = frozenset("的了和与及并在是有能可会要把被将对为以或等也都就而且之其")
MAX_CLAUSES = 4
CLAUSE_MIN_CHARS = 4
MET_OVERLAP = 0.5
RELATED_OVERLAP = 0.25


def _without_praise(text: str) -> str:
    clean = normalise(text)
    for phrase in PRAISE:
        clean = clean.replace(phrase, " ")
    return clean


def limiting_verdict(clause: str) -> AspectStatus:
    """MET for a plain statement; CONTRADICTED if it negates, PARTIAL if it limits."""
    clean = _without_praise(clause)
    if any(term in clean for term in NEGATIONS) or NEGATIONS_EN.search(clean):
        return AspectStatus.CONTRADICTED
    if any(term in clean for term in LIMITS) or LIMITS_EN.search(clean):
        return AspectStatus.PARTIAL
    return AspectStatus.MET


# From the verdict that says most against the profile to the one that says most for it.
SEVERITY = (
    AspectStatus.CONTRADICTED,
    AspectStatus.MISSING,
    AspectStatus.PARTIAL,
    AspectStatus.UNKNOWN,
    AspectStatus.MET,
)


def worst(statuses: Iterable[AspectStatus]) -> AspectStatus:
    return min(statuses, key=SEVERITY.index, default=AspectStatus.UNKNOWN)


def capped(status: AspectStatus, cap: AspectStatus) -> AspectStatus:
    """``status``, unless ``cap`` says less for the profile (a limit caps a match at PARTIAL)."""
    return worst((status, cap)) if cap != AspectStatus.MET else status


@lru_cache(maxsize=4096)
def clauses(text: str) -> tuple[str, ...]:
    parts = (part.strip(" 。.!！?？") for part in CLAUSE_SPLIT.split(text or ""))
    return tuple(part for part in parts if len(part) >= 2)


@lru_cache(maxsize=1024)
def evidence_clauses(text: str, title: str) -> tuple[tuple[str, str], ...]:
    """Each clause of the profile with the sentence it sits in (the quotable evidence); the
    profile's title is a name, not evidence, and is left out."""
    title_clean = normalise(title).strip()
    found: list[tuple[str, str]] = []
    for sentence in sentences(text):
        if normalise(sentence).strip() == title_clean:
            continue
        found.extend((clause, sentence) for clause in clauses(sentence))
    return tuple(found)


@lru_cache(maxsize=512)
def demand_clauses(description: str) -> tuple[str, ...]:
    """The clauses of a need's description that state a requirement, in the need's order."""
    found: list[str] = []
    for clause in clauses(description):
        clean = normalise(clause)
        if len(clean) < CLAUSE_MIN_CHARS or not any(m in clean for m in DEMAND_MARKERS):
            continue
        if _content(clause) and clause not in found:
            found.append(clause)
        if len(found) == MAX_CLAUSES:
            break
    return tuple(found)


@lru_cache(maxsize=1024)
def _content(clause: str) -> frozenset[str]:
    """The clause's wording without the words that only mark it as a demand: its Chinese
    characters and character pairs, and its Latin words (pairs alone miss 乘电梯 against
    乘坐电梯)."""
    return _grams(MARKER_WORDS.sub(" ", normalise(clause)))


@lru_cache(maxsize=4096)
def _grams(text: str) -> frozenset[str]:
    return frozenset(char_ngrams(text, sizes=(1, 2))) - STOP_CHARACTERS


def _share(wanted: frozenset[str], text: str) -> float:
    return len(wanted & _grams(text)) / len(wanted)


def judge_clause(clause: str, evidence: tuple[tuple[str, str], ...]) -> tuple[AspectStatus, str]:
    """One demand clause against the profile: the verdict and the sentence quoted.

    The profile sentence sharing most of the demand's wording answers it; within it, the
    clauses that share any of that wording are judged, and the one that says most against the
    profile gives the verdict. Close wording is MET unless that clause negates (CONTRADICTED)
    or limits (PARTIAL); related wording is at best PARTIAL; nothing related is UNKNOWN (the
    profile does not say)."""
    wanted = _content(clause)
    if not wanted:
        return AspectStatus.UNKNOWN, ""
    by_sentence: dict[str, list[str]] = {}
    for profile_clause, sentence in evidence:
        by_sentence.setdefault(sentence, []).append(profile_clause)
    best_share, best_sentence = 0.0, ""
    for sentence in by_sentence:
        share = _share(wanted, sentence)
        if share > best_share:
            best_share, best_sentence = share, sentence
    if best_share < RELATED_OVERLAP:
        return AspectStatus.UNKNOWN, ""
    verdict = worst(
        limiting_verdict(profile_clause)
        for profile_clause in by_sentence[best_sentence]
        if _share(wanted, profile_clause) > 0
    )
    if best_share < MET_OVERLAP:
        verdict = capped(verdict, AspectStatus.PARTIAL)
    return verdict, best_sentence
