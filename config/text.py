"""Text fields that never store control, bidi or zero-width characters (issue 19, finding 10).

Chosen behaviour: a silent strip, the same on the web, the API, imports and the admin, because
the cleaning happens where the value is saved (and in ``full_clean``, and in the form field a
ModelForm builds): such characters mostly arrive by copy and paste (a BOM, a zero-width space
from a chat app), and refusing the whole form for an invisible character would only puzzle.
Single-line fields turn line breaks and tabs into spaces and drop every other Cc/Cf character
(U+202E, U+200B, U+FEFF, …); multi-line fields keep "\\n" and "\\t" ("\\r\\n" becomes "\\n").

The fields deconstruct as Django's own, so swapping them in needs no migration.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.db import models

_LINE_BREAKS = re.compile(r"\r\n?|[\n\v\f\x85\u2028\u2029]")


def _drop_invisible(text: str, keep: str) -> str:
    return "".join(
        character
        for character in text
        if character in keep or unicodedata.category(character) not in ("Cc", "Cf")
    )


def clean_single_line(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return _drop_invisible(_LINE_BREAKS.sub(" ", value).replace("\t", " "), keep="")


def clean_multi_line(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return _drop_invisible(_LINE_BREAKS.sub("\n", value), keep="\n\t")


class _CleanFormField(forms.CharField):
    clean_text = staticmethod(clean_single_line)

    def to_python(self, value: Any) -> Any:
        return super().to_python(self.clean_text(value))


class SingleLineFormField(_CleanFormField):
    pass


class MultiLineFormField(_CleanFormField):
    clean_text = staticmethod(clean_multi_line)


class SingleLineCharField(models.CharField):  # type: ignore[type-arg]
    clean_text = staticmethod(clean_single_line)
    form_class: type[forms.CharField] = SingleLineFormField

    def to_python(self, value: Any) -> Any:
        return self.clean_text(super().to_python(value))

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = self.clean_text(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        if not self.choices:
            kwargs.setdefault("form_class", self.form_class)
        return super().formfield(**kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class MultiLineTextField(models.TextField):  # type: ignore[type-arg]
    def to_python(self, value: Any) -> Any:
        return clean_multi_line(super().to_python(value))

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = clean_multi_line(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs.setdefault("form_class", MultiLineFormField)
        return super().formfield(**kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs
