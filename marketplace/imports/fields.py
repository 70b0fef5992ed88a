"""Form fields for the cells of an imported row, read the ways people write them in Chinese
spreadsheets and JSON files: amounts in 万 and full-width digits, 是/否 for yes and no, lists
separated by ；、， , dates with slashes, choice labels and synonyms, and regions and taxonomy
entries by code, Chinese name or English name.

Every field takes a cell as it came (text, number, bool, list, or ``None``) and raises a
``ValidationError`` whose message says what is wrong in Chinese, or English when chosen.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from marketplace.models import Need, Region

LIST_SEPARATORS = re.compile(r"[;；,，、\n]+")
TRUE_WORDS = {"1", "true", "yes", "y", "是", "有", "t"}
FALSE_WORDS = {"0", "false", "no", "n", "否", "无", "没有", "f"}
# What people write in a budget_basis column, besides per_unit / total and the choice labels.
BUDGET_BASIS_WORDS = {
    **dict.fromkeys(
        ("单价", "按单价", "每台", "每套", "每台/套", "单台", "per unit", "per-unit", "unit"),
        "per_unit",
    ),
    **dict.fromkeys(("总价", "按总价", "总额", "总预算", "合计", "整体", "in total"), "total"),
}
MAX_NUMBER = 10**13
NATIONWIDE = "全国"


def normalise(value: Any) -> str:
    """A cell as plain text: full-width forms folded (NFKC), NUL characters dropped, stripped."""
    return unicodedata.normalize("NFKC", str(value)).replace("\x00", "").strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class CellField(forms.Field):
    """A cell: blank (``None`` or spaces) is empty, and a required one says so plainly."""

    default_error_messages = {"required": _("必填字段，不能为空。")}

    def __init__(self, *, required: bool = False, **kwargs: Any) -> None:
        super().__init__(required=required, **kwargs)


class RowTextField(CellField):
    """Text, stripped; refused when it is a list or object, holds a NUL or is too long."""

    def __init__(self, *, max_length: int | None = None, **kwargs: Any) -> None:
        for ignored in ("min_length", "strip", "empty_value"):  # what model fields offer
            kwargs.pop(ignored, None)
        self.max_length = max_length
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, (dict, list)):
            raise ValidationError(_("应为文本。"), code="invalid")
        raw = "" if value is None else str(value)
        if "\x00" in raw:
            raise ValidationError(_("含有空字符（NUL）。"), code="null_characters_not_allowed")
        return raw.strip()

    def validate(self, value: Any) -> None:
        super().validate(value)
        if self.max_length is not None and isinstance(value, str) and len(value) > self.max_length:
            raise ValidationError(
                _("过长：最多 %(limit)s 个字符，现有 %(count)s 个。"),
                code="max_length",
                params={"limit": self.max_length, "count": len(value)},
            )


class RefField(RowTextField):
    """A row's own ref: any cell read as text (full-width folded, NUL dropped)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", True)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return "" if value is None else normalise(value)


class ChineseIntegerField(CellField):
    """A whole number: 80000, "８０，０００", "8万" (80000), "1.2万"; at least ``min_value``."""

    def __init__(self, *, min_value: int = 0, **kwargs: Any) -> None:
        for ignored in ("max_value", "step_size"):  # the model's validators check the maximum
            kwargs.pop(ignored, None)
        self.min_value = min_value
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValidationError(_("应为整数。"), code="invalid")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int):
            return value
        text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
        try:
            if re.fullmatch(r"\d+(\.\d+)?万", text):
                return round(float(text[:-1]) * 10000)
            if re.fullmatch(r"[+-]?\d+", text):
                return int(text)
        except (OverflowError, ValueError):
            # Hundreds of digits: float() gives inf, int() refuses past 4,300 digits.
            raise ValidationError(_("数值过大。"), code="max_value") from None
        raise ValidationError(
            _("应为整数，收到“%(value)s”。"), code="invalid", params={"value": str(value)[:40]}
        )

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if value < self.min_value:
            raise ValidationError(
                _("不能小于 %(minimum)s。"), code="min_value", params={"minimum": self.min_value}
            )
        if value > MAX_NUMBER:
            raise ValidationError(_("数值过大。"), code="max_value")


class ChineseBooleanField(CellField):
    """Yes or no: 是/否, 有/无/没有, true/false, yes/no, 1/0; blank is "not said" (``None``)."""

    def to_python(self, value: Any) -> bool | None:
        if is_blank(value):
            return None
        if isinstance(value, bool):
            return value
        word = unicodedata.normalize("NFKC", str(value)).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValidationError(_("应为 是/否（true/false）。"), code="invalid")


class ChineseDateField(CellField):
    """A date as YYYY-MM-DD or YYYY/MM/DD (full-width digits too), or a spreadsheet date."""

    def to_python(self, value: Any) -> datetime.date | None:
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = unicodedata.normalize("NFKC", str(value)).strip().replace("/", "-")
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                _("日期格式应为 YYYY-MM-DD，收到“%(value)s”。"),
                code="invalid",
                params={"value": text[:40]},
            ) from None


class ChineseChoiceField(RowTextField):
    """One of ``choices``, written as its value, its label (any case) or one of ``synonyms``;
    blank is ``""``."""

    def __init__(
        self,
        *,
        choices: Any,
        synonyms: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        for ignored in ("coerce", "widget"):
            kwargs.pop(ignored, None)
        self.choices = [(str(value), label) for value, label in choices if value != ""]
        self.synonyms = synonyms or {}
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        raw = super().to_python(value)
        if not raw:
            return ""
        by_key = {value: value for value, _label in self.choices}
        by_key.update({str(label).lower(): value for value, label in self.choices})
        by_key.update(self.synonyms)
        found = by_key.get(raw) or by_key.get(raw.lower())
        if found is None:
            raise ValidationError(
                _("“%(value)s”不是允许的值，可选：%(allowed)s。"),
                code="invalid_choice",
                params={
                    "value": raw,
                    "allowed": " / ".join(value for value, _label in self.choices),
                },
            )
        return str(found)


class BudgetBasisField(ChineseChoiceField):
    """A need's budget basis: per_unit / total, their labels, or 单价/总价 and the like."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.update(choices=Need.BudgetBasis.choices, synonyms=BUDGET_BASIS_WORDS)
        super().__init__(**kwargs)


class ListField(CellField):
    """A list: a JSON list, or text split on ; ； , ， 、 and new lines; blank items dropped."""

    def to_python(self, value: Any) -> list[str]:
        if value is None:
            return []
        if isinstance(value, list):
            parts = [normalise(item) for item in value if item is not None]
        else:
            parts = LIST_SEPARATORS.split(normalise(value))
        return [part for part in (p.strip() for p in parts) if part]


class Taxonomy:
    """Look-ups by code, Chinese or English name (any case), and of regions by name: each read
    from the database once, when first asked for. One per import, shared by its rows."""

    def __init__(self) -> None:
        self._indexes: dict[type[Model], dict[str, Any]] = {}
        self._regions: dict[str, Region] | None = None

    def find(self, model: type[Model], raw: str) -> Any:
        if model not in self._indexes:
            index: dict[str, Any] = {}
            for item in model._default_manager.all():
                for key in (item.code, item.name_zh, item.name_en):  # type: ignore[attr-defined]
                    if key:
                        index.setdefault(key.strip().lower(), item)
            self._indexes[model] = index
        return self._indexes[model].get(raw.strip().lower())

    def region(self, raw: str) -> Region | None:
        if self._regions is None:
            self._regions = {region.name: region for region in Region.objects.all()}
        regions = self._regions
        name = raw.strip()
        if name in {NATIONWIDE, "中国", "nationwide", "china"}:
            name = NATIONWIDE
        for candidate in (name, f"{name}市", f"{name}省"):
            if candidate in regions:
                return regions[candidate]
        # "山东省青岛市" or "青岛市崂山区": the most specific known region named inside it.
        inside = [region for key, region in regions.items() if key != NATIONWIDE and key in name]
        if inside:
            return max(inside, key=lambda region: len(region.lineage()))
        return None


class LookupMixin:
    """Finds a name in ``taxonomy``: the import's, shared by its rows, or else one of its own."""

    taxonomy: Taxonomy | None = None

    def lookups(self) -> Taxonomy:
        if self.taxonomy is None:
            self.taxonomy = Taxonomy()
        return self.taxonomy

    def find(self, raw: str) -> Any:
        raise NotImplementedError

    def unknown(self, raw: str) -> ValidationError:
        raise NotImplementedError


class TaxonomyLookupMixin(LookupMixin):
    def __init__(self, model: type[Model], **kwargs: Any) -> None:
        self.model = model
        super().__init__(**kwargs)

    def find(self, raw: str) -> Any:
        return self.lookups().find(self.model, raw)

    def unknown(self, raw: str) -> ValidationError:
        return ValidationError(
            _("未知的%(label)s“%(value)s”。"),
            code="invalid_choice",
            params={"label": self.model._meta.verbose_name, "value": raw},
        )


class RegionLookupMixin(LookupMixin):
    def find(self, raw: str) -> Any:
        return self.lookups().region(raw)

    def unknown(self, raw: str) -> ValidationError:
        return ValidationError(
            _("未知地区“%(value)s”：应为城市、省份或“全国”。"),
            code="invalid_choice",
            params={"value": raw},
        )


class LookupField(LookupMixin, RowTextField):
    """One entry, named in a text cell; blank is ``None``."""

    def to_python(self, value: Any) -> Any:
        raw = super().to_python(value)
        if not raw:
            return None
        found = self.find(raw)
        if found is None:
            raise self.unknown(raw)
        return found


class LookupListField(LookupMixin, ListField):
    """Several entries, each named once; every unknown name is an error of its own."""

    def to_python(self, value: Any) -> list[Any]:
        found: list[Any] = []
        unknown: list[ValidationError] = []
        for raw in super().to_python(value):
            item = self.find(raw)
            if item is None:
                unknown.append(self.unknown(raw))
            elif item not in found:
                found.append(item)
        if unknown:
            raise ValidationError(unknown)
        return found


class TaxonomyChoiceField(TaxonomyLookupMixin, LookupField):
    """A domain, service category, product class or robot type by code or name."""


class TaxonomyMultipleChoiceField(TaxonomyLookupMixin, LookupListField):
    """Several of ``TaxonomyChoiceField``'s entries, as a list."""


class RegionField(RegionLookupMixin, LookupField):
    """A region: "青岛", "青岛市", "山东省青岛市" (the most specific region named), "全国"."""


class RegionListField(RegionLookupMixin, LookupListField):
    """Several regions, as a list."""
