"""Validation messages in plain words for every form of the project.

Django's own say "确保该变量包含不超过 5000 字符 (目前字符数 5321)。" and "这个字段是必填项。";
``PlainMessagesMixin`` names the field instead: "需求描述最多 5000 字，当前 5321 字。". A message a
form or field set itself is kept.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import pretty_name
from django.utils.translation import gettext as _


def _defaults(field: forms.Field) -> dict[str, Any]:
    messages: dict[str, Any] = {}
    for klass in reversed(type(field).__mro__):
        messages.update(getattr(klass, "default_error_messages", {}))
    return messages


def _asks_to_choose(field: forms.Field) -> bool:
    return isinstance(field, forms.ChoiceField | forms.ModelChoiceField) or isinstance(
        field.widget, forms.Select | forms.RadioSelect | forms.CheckboxSelectMultiple
    )


def plain_error_messages(field: forms.Field, label: str) -> None:
    """Set the length and required messages of ``field``, unless it has its own."""
    label = label.rstrip(":：")
    # The length validators fill in limit_value and show_value when the message is shown.
    counts = {
        "label": label.replace("%", "%%"),
        "limit": "%(limit_value)d",
        "count": "%(show_value)d",
    }
    messages = field.error_messages
    messages.setdefault("max_length", _("%(label)s最多 %(limit)s 字，当前 %(count)s 字。") % counts)
    messages.setdefault("min_length", _("%(label)s至少 %(limit)s 字，当前 %(count)s 字。") % counts)
    if messages.get("required") is _defaults(field).get("required") and not isinstance(
        field, forms.BooleanField | forms.FileField
    ):
        messages["required"] = (
            _("请选择%(label)s。") if _asks_to_choose(field) else _("请填写%(label)s。")
        ) % {"label": label}


class PlainMessagesMixin:
    """Forms whose length and required errors name the field (see the module docstring).

    Applied as the form validates, so fields a form adds in its own ``__init__`` get them too."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        for name, field in self.fields.items():
            plain_error_messages(field, str(field.label or pretty_name(name)))
        super().full_clean()  # type: ignore[misc]
