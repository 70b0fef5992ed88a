"""Plain text helpers shared by lexical retrieval and explanations (Chinese-aware, no models).

The same profile texts, sentences and keyword lists come back on every match read, so the pure
steps keep their recent answers (bounded caches, immutable results): a page of twenty
explanations then normalises and splits each profile once per process, not once per aspect.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

SENTENCE_SPLIT = re.compile(r"(?<=[。！？；;!?\n])|(?<=\.)\s+")
WORD = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")
HAN = re.compile(r"[\u3400-\u9fff]+")


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


@lru_cache(maxsize=1024)
def sentences(text: str) -> tuple[str, ...]:
    parts = (part.strip() for part in SENTENCE_SPLIT.split(text or ""))
    return tuple(part for part in parts if len(part) >= 2)


def char_ngrams(text: str, *, sizes: tuple[int, ...] = (1, 2)) -> list[str]:
    """Chinese runs become character n-grams; Latin runs become lower-case words."""
    clean = normalise(text)
    tokens: list[str] = WORD.findall(clean)
    for run in HAN.findall(clean):
        for size in sizes:
            if size == 1:
                tokens.extend(run)
            else:
                tokens.extend([run[i : i + size] for i in range(len(run) - size + 1)])
    return tokens


@lru_cache(maxsize=4096)
def bigrams(text: str) -> frozenset[str]:
    return frozenset(char_ngrams(text, sizes=(2,)))


def overlap(a: str, b: str | frozenset[str]) -> float:
    """Share of b's character bigrams that also occur in a (0..1); b may be given as its
    bigrams, when one text is compared with many."""
    grams_b = bigrams(b) if isinstance(b, str) else b
    if not grams_b:
        return 0.0
    return len(grams_b & bigrams(a)) / len(grams_b)


def mentions(text: str, terms: tuple[str, ...]) -> str | None:
    """The first term found in the text, for an explanation to quote."""
    clean = normalise(text)
    for term, needle in _needles(terms):
        if needle in clean:
            return term
    return None


@lru_cache(maxsize=256)
def _needles(terms: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Each non-empty term with its normalised form, once per keyword list."""
    return tuple((term, normalise(term)) for term in terms if term)
