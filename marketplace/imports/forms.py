"""The import upload form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("导入文件"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.csv,.json,application/json,text/csv"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("XLSX 模板、CSV 或 JSON，不超过 %(limit)s。") % {
            "limit": filesizeformat(settings.MARKETPLACE_IMPORT_MAX_BYTES)
        }
