"""The organisers' review forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import PlainMessagesMixin


class RejectForm(PlainMessagesMixin, forms.Form):
    note = forms.CharField(
        label=_("驳回理由"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("可选，会展示给该机构")}),
    )
