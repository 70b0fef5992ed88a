"""Reason texts as data: a message id (Simplified Chinese, the source language) with its
parameters, rendered in the active language when it is read, not when it is ranked.

The ranking runs in the worker, whose language is not the reader's; a stored match therefore
keeps the message id and parameters, and a page or the API renders them under the request's
language. A vendor's own sentence is a parameter quoted as written, never translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

from django.utils.translation import get_language, gettext, override


def is_english() -> bool:
    return (get_language() or "zh-hans").lower().startswith("en")


def source_text(text: object) -> str:
    """The message id of a lazily translated text (a choice's label): its Chinese source."""
    with override("zh-hans"):
        return str(text)


def yuan(amount: int) -> str:
    """An amount of money as the reader writes it: "8 万元" or "CNY 80,000"."""
    if is_english():
        return f"CNY {amount:,}"
    return f"{amount / 10000:g} 万元" if amount >= 10000 else f"{amount} 元"


@dataclass(frozen=True, slots=True)
class Named:
    """A taxonomy name in both languages (the English one may be missing)."""

    zh: str
    en: str = ""

    def __str__(self) -> str:
        return self.en if self.en and is_english() else self.zh


@dataclass(frozen=True, slots=True)
class Yuan:
    amount: int

    def __str__(self) -> str:
        return yuan(self.amount)


@dataclass(frozen=True, slots=True)
class Listed:
    """Several names, joined as the language joins a list ("、" or ", ")."""

    items: tuple[Param, ...]

    def __str__(self) -> str:
        return gettext("、").join(str(item) for item in self.items)


Param = Union[str, int, Named, Yuan, Listed, "Phrase"]


@dataclass(frozen=True, slots=True)
class Phrase:
    """A message id with named parameters (``%(name)s``). An empty template is a verbatim text:
    the single parameter ``text``, shown as written (a vendor's sentence, a need's clause)."""

    template: str
    params: tuple[tuple[str, Param], ...] = ()

    @classmethod
    def verbatim(cls, text: str) -> Phrase:
        return cls("", (("text", text),))

    @classmethod
    def of(cls, template: str, **params: Param) -> Phrase:
        return cls(template, tuple(params.items()))

    def __str__(self) -> str:
        if not self.template:
            return str(dict(self.params).get("text", ""))
        text = gettext(self.template)
        if not self.params:
            return text
        return text % {name: _rendered(value) for name, value in self.params}


NO_PHRASE = Phrase("")


def _rendered(value: Param) -> str | int:
    return value if isinstance(value, int) else str(value)


def param_to_data(value: Param) -> Any:
    if isinstance(value, Phrase):
        return phrase_to_data(value)
    if isinstance(value, Named):
        return {"zh": value.zh, "en": value.en}
    if isinstance(value, Yuan):
        return {"cny": value.amount}
    if isinstance(value, Listed):
        return [param_to_data(item) for item in value.items]
    return value


def param_from_data(data: Any) -> Param:
    if isinstance(data, list):
        return Listed(tuple(param_from_data(item) for item in data))
    if isinstance(data, dict):
        if "t" in data:
            return phrase_from_data(data)
        if "cny" in data:
            return Yuan(int(data["cny"]))
        return Named(str(data.get("zh", "")), str(data.get("en", "")))
    if isinstance(data, int):
        return data
    return str(data)


def phrase_to_data(phrase: Phrase) -> Any:
    """A verbatim text as a plain string; a message as ``{"t": id, "p": {name: value}}``."""
    if not phrase.template:
        return str(dict(phrase.params).get("text", ""))
    return {"t": phrase.template, "p": {n: param_to_data(v) for n, v in phrase.params}}


def phrase_from_data(data: Any, *, translatable: bool = False) -> Phrase:
    """The phrase ``phrase_to_data`` stored. A plain string (also the form matches stored before
    reasons were structured) is verbatim, unless ``translatable`` says it is a message id."""
    if isinstance(data, dict):
        params = data.get("p") or {}
        return Phrase(
            str(data.get("t", "")), tuple((n, param_from_data(v)) for n, v in params.items())
        )
    text = "" if data is None else str(data)
    return Phrase(text) if translatable else Phrase.verbatim(text)
