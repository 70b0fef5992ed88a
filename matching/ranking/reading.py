"""What a free-text need is about: service categories, robot type and product class, read
zero-shot against the taxonomy's names, keywords and everyday words, and (when the worker has
them) the model's vectors of the need and of each taxonomy term.

Pure and typed: the caller hands in the terms (``taxonomy_terms``) and, optionally, vectors.
Web processes call it with keywords only; the worker adds the model and stores the reading."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

import numpy as np

from matching.ranking.reading_words import CATEGORY_ROBOT_TYPES, CATEGORY_WORDS, PRODUCT_CLASS_WORDS
from matching.ranking.text import normalise
from matching.ranking.vocabulary import ROBOT_TYPE_SYNONYMS


class TermKind(StrEnum):
    CATEGORY = "category"
    ROBOT_TYPE = "robot_type"
    PRODUCT_CLASS = "product_class"


class Source(StrEnum):
    KEYWORD = "keyword"
    MODEL = "model"
    BOTH = "keyword+model"


@dataclass(frozen=True, slots=True)
class TaxonomyTerm:
    """One category, robot type or product class, with the words that name it."""

    kind: TermKind
    code: str
    name_zh: str
    name_en: str = ""
    words: tuple[str, ...] = ()
    domain: str = ""  # a category's domain

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name in (self.name_zh, self.name_en) if name)

    @property
    def text(self) -> str:
        """What the model reads for the term (with the document prompt)."""
        label = f"{self.name_zh}（{self.name_en}）" if self.name_en else self.name_zh
        return f"{label}：{'、'.join(self.words)}" if self.words else label


@dataclass(frozen=True, slots=True)
class Guess:
    kind: TermKind
    code: str
    score: float
    source: Source
    words: tuple[str, ...] = ()  # the words of the text that point at it

    def to_data(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "score": round(self.score, 4),
            "source": str(self.source),
            "words": list(self.words),
        }

    @classmethod
    def from_data(cls, kind: TermKind, data: Mapping[str, Any]) -> Guess:
        return cls(
            kind=kind,
            code=str(data["code"]),
            score=float(data.get("score", 0.0)),
            source=Source(data.get("source", Source.KEYWORD)),
            words=tuple(data.get("words", ())),
        )


@dataclass(frozen=True, slots=True)
class NeedReading:
    categories: tuple[Guess, ...] = ()
    robot_type: Guess | None = None
    product_class: Guess | None = None

    @property
    def is_empty(self) -> bool:
        return not self.categories and self.robot_type is None and self.product_class is None

    @property
    def guesses(self) -> tuple[Guess, ...]:
        """In the order they are read out: categories, robot type, product class."""
        rest = tuple(g for g in (self.robot_type, self.product_class) if g is not None)
        return self.categories + rest

    def to_data(self) -> dict[str, Any]:
        return {
            "categories": [guess.to_data() for guess in self.categories],
            "robot_type": self.robot_type.to_data() if self.robot_type else None,
            "product_class": self.product_class.to_data() if self.product_class else None,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | None) -> NeedReading:
        data = data or {}
        robot_type, product_class = data.get("robot_type"), data.get("product_class")
        return cls(
            categories=tuple(
                Guess.from_data(TermKind.CATEGORY, item) for item in data.get("categories") or ()
            ),
            robot_type=Guess.from_data(TermKind.ROBOT_TYPE, robot_type) if robot_type else None,
            product_class=(
                Guess.from_data(TermKind.PRODUCT_CLASS, product_class) if product_class else None
            ),
        )


@dataclass(frozen=True, slots=True)
class ReadingWeights:
    """How keywords and the model combine. Set on the dev set (bench/reading.py --set dev)."""

    model: float = 0.5
    # The model's weight for the robot type (tuned apart: 0, 0.25 and 0.5 were tried).
    robot_model: float = 0.5
    threshold: float = 0.45
    # A second category is suggested when it scores this share of the first.
    second: float = 0.9
    # The robot type usually doing the best category's work, when the text names none.
    category_hint: float = 0.3


DEFAULT_READING_WEIGHTS = ReadingWeights()


@dataclass(frozen=True, slots=True)
class TermVectors:
    """The model's vectors of a need and of the taxonomy terms, keyed by (kind, code)."""

    need: np.ndarray
    terms: Mapping[tuple[str, str], np.ndarray] = field(default_factory=dict)


def taxonomy_terms(
    *,
    categories: Iterable[tuple[str, str, str, str, Sequence[str]]],
    robot_types: Iterable[tuple[str, str, str]],
    product_classes: Iterable[tuple[str, str, str]],
) -> tuple[TaxonomyTerm, ...]:
    """Terms from the taxonomy's rows: categories as (code, domain, name_zh, name_en, keywords),
    robot types and product classes as (code, name_zh, name_en); the everyday words are added."""
    terms: list[TaxonomyTerm] = []
    for code, domain, name_zh, name_en, keywords in categories:
        words = _unique((*keywords, *CATEGORY_WORDS.get(code, ())))
        terms.append(TaxonomyTerm(TermKind.CATEGORY, code, name_zh, name_en, words, domain))
    for code, name_zh, name_en in robot_types:
        words = _unique(ROBOT_TYPE_SYNONYMS.get(code, ()))
        terms.append(TaxonomyTerm(TermKind.ROBOT_TYPE, code, name_zh, name_en, words))
    for code, name_zh, name_en in product_classes:
        words = _unique(PRODUCT_CLASS_WORDS.get(code, ()))
        terms.append(TaxonomyTerm(TermKind.PRODUCT_CLASS, code, name_zh, name_en, words))
    return tuple(terms)


def _unique(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(word for word in words if word))


LATIN = re.compile(r"[a-z0-9]")


@lru_cache(maxsize=4096)
def _pattern(word: str) -> re.Pattern[str] | str:
    """A Latin word matches at word starts ("fall" in "falls", not in "waterfall"); Chinese
    matches anywhere."""
    needle = normalise(word)
    if LATIN.match(needle):
        return re.compile(r"(?<![a-z0-9])" + re.escape(needle))
    return needle


def found(text: str, word: str) -> bool:
    pattern = _pattern(word)
    if isinstance(pattern, str):
        return pattern in text
    return pattern.search(text) is not None


def keyword_hits(text: str, term: TaxonomyTerm) -> tuple[float, tuple[str, ...]]:
    """(0..1 score, the words found): a name counts twice, each other word once; one word gives
    0.5, two 0.75, and so on. Words inside a longer word found are counted once."""
    clean = normalise(text)
    hits: list[str] = []
    weight = 0
    for word in (*term.names, *term.words):
        if any(normalise(word) in normalise(other) for other in hits):
            continue
        if found(clean, word):
            hits.append(word)
            weight += 2 if word in term.names else 1
    return 1.0 - 0.5**weight, tuple(hits)


def model_scores(
    vectors: TermVectors, terms: Sequence[TaxonomyTerm]
) -> dict[tuple[str, str], float]:
    """Each term's cosine with the need, as 0..1 within its kind: how far above the kind's mean
    it stands, in standard deviations (2 sd and more give 1)."""
    scores: dict[tuple[str, str], float] = {}
    for kind in TermKind:
        keyed = [(t.kind.value, t.code) for t in terms if t.kind == kind]
        keyed = [key for key in keyed if key in vectors.terms]
        if len(keyed) < 2:
            continue
        cosines = np.array([float(vectors.terms[key] @ vectors.need) for key in keyed])
        spread = float(cosines.std()) or 1.0
        standard = (cosines - cosines.mean()) / spread
        for key, value in zip(keyed, standard, strict=True):
            scores[key] = float(np.clip((value - 0.5) / 1.5, 0.0, 1.0))
    return scores


def read_need(
    text: str,
    terms: Sequence[TaxonomyTerm],
    *,
    domain: str | None = None,
    vectors: TermVectors | None = None,
    weights: ReadingWeights = DEFAULT_READING_WEIGHTS,
) -> NeedReading:
    """The categories (at most two, of ``domain`` when given), robot type and product class the
    text is most likely about, each with its score and where the reading came from."""
    model = model_scores(vectors, terms) if vectors is not None else {}
    scored: dict[TermKind, list[Guess]] = {kind: [] for kind in TermKind}
    for term in terms:
        if term.kind == TermKind.CATEGORY and domain and term.domain != domain:
            continue
        keyword, words = keyword_hits(text, term)
        from_model = model.get((term.kind.value, term.code), 0.0)
        weight = weights.robot_model if term.kind == TermKind.ROBOT_TYPE else weights.model
        score = keyword + weight * from_model
        if score <= 0:
            continue
        source = (
            Source.BOTH if keyword and from_model else (Source.KEYWORD if keyword else Source.MODEL)
        )
        scored[term.kind].append(Guess(term.kind, term.code, score, source, words))
    for guesses in scored.values():
        guesses.sort(key=lambda guess: (-guess.score, guess.code))
    categories = _categories(scored[TermKind.CATEGORY], weights)
    robot_type = _robot_type(scored[TermKind.ROBOT_TYPE], categories, weights)
    product_class = _best(scored[TermKind.PRODUCT_CLASS], weights)
    return NeedReading(categories, robot_type, product_class)


def _best(guesses: Sequence[Guess], weights: ReadingWeights) -> Guess | None:
    return guesses[0] if guesses and guesses[0].score >= weights.threshold else None


def _categories(guesses: Sequence[Guess], weights: ReadingWeights) -> tuple[Guess, ...]:
    best = _best(guesses, weights)
    if best is None:
        return ()
    chosen = [best]
    if len(guesses) > 1:
        second = guesses[1]
        if second.score >= max(weights.threshold, weights.second * best.score):
            chosen.append(second)
    return tuple(chosen)


def _robot_type(
    guesses: Sequence[Guess], categories: Sequence[Guess], weights: ReadingWeights
) -> Guess | None:
    """The robot type the text names; failing that, the one usually doing the best category's
    work, added to what the model says of each type."""
    if any(guess.source != Source.MODEL for guess in guesses):
        return _best(guesses, weights)
    usual = CATEGORY_ROBOT_TYPES.get(categories[0].code) if categories else None
    if usual is None:
        return _best(guesses, weights)
    hinted = {guess.code: guess for guess in guesses}
    base = hinted.get(usual)
    hint = Guess(
        TermKind.ROBOT_TYPE,
        usual,
        (base.score if base else 0.0) + weights.category_hint + categories[0].score / 2,
        Source.MODEL if base else categories[0].source,
        categories[0].words,
    )
    ranked = sorted(
        [hint, *(g for g in guesses if g.code != usual)], key=lambda g: (-g.score, g.code)
    )
    return _best(ranked, weights)
