"""Check each imported row and turn it into typed values, naming the row and field of errors."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import Organization
from marketplace.imports.parsing import ImportPayload, SourceRow
from marketplace.models import (
    Capability,
    Domain,
    Need,
    ProductClass,
    Region,
    RobotType,
    ServiceCategory,
)

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
MAX_REF = 64  # the ref columns of Organization, Need, Capability and Event
MAX_TEXT = {"title": 200, "name": 200, "description": 5000, "introduction": 2000}


@dataclass(frozen=True)
class RowError:
    section: str
    row: int
    ref: str | None
    field: str
    message: str

    def __str__(self) -> str:
        ref = f" ref={self.ref}" if self.ref else ""
        return f"{self.section} 第{self.row}行{ref} [{self.field}]: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "row": self.row,
            "ref": self.ref,
            "field": self.field,
            "message": self.message,
        }


class ImportValidationError(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class CleanRow:
    source: SourceRow
    ref: str
    values: dict[str, Any] = field(default_factory=dict)
    relations: dict[str, list[Any]] = field(default_factory=dict)


class Taxonomy:
    """Code and name look-ups, loaded once per import."""

    def __init__(self) -> None:
        self.domains = self._index(Domain.objects.all())
        self.categories = self._index(ServiceCategory.objects.all())
        self.product_classes = self._index(ProductClass.objects.all())
        self.robot_types = self._index(RobotType.objects.all())
        self.regions = {region.name: region for region in Region.objects.all()}

    @staticmethod
    def _index(queryset: Any) -> dict[str, Any]:
        index: dict[str, Any] = {}
        for item in queryset:
            for key in (item.code, item.name_zh, item.name_en):
                if key:
                    index.setdefault(key.strip().lower(), item)
        return index

    def region(self, raw: str) -> Region | None:
        name = raw.strip()
        if name in {"全国", "中国", "nationwide", "china"}:
            name = "全国"
        for candidate in (name, f"{name}市", f"{name}省"):
            if candidate in self.regions:
                return self.regions[candidate]
        # "山东省青岛市" or "青岛市崂山区": the most specific known region named inside it.
        inside = [region for key, region in self.regions.items() if key != "全国" and key in name]
        if inside:
            return max(inside, key=lambda region: len(region.lineage()))
        return None


class RowChecker:
    def __init__(self, row: SourceRow, errors: list[RowError]):
        self.row = row
        self.errors = errors
        raw_ref = row.data.get("ref")
        self.ref = self._normalise(raw_ref) if raw_ref is not None else ""

    @staticmethod
    def _normalise(value: Any) -> str:
        text = unicodedata.normalize("NFKC", str(value)).replace("\x00", "")
        return text.strip()

    def error(self, field_name: str, message: str) -> None:
        self.errors.append(
            RowError(self.row.section, self.row.number, self.ref or None, field_name, message)
        )

    def reference(self) -> None:
        """The row's own ref: required, and short enough for the ref columns (64)."""
        if not self.ref:
            self.error("ref", _("必填字段，不能为空。"))
        elif len(self.ref) > MAX_REF:
            self.error(
                "ref",
                _("过长：最多 %(limit)s 个字符，现有 %(count)s 个。")
                % {"limit": MAX_REF, "count": len(self.ref)},
            )

    def present(self, name: str) -> bool:
        value = self.row.data.get(name)
        return value is not None and not (isinstance(value, str) and not value.strip())

    def text(self, name: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.row.data.get(name)
        if isinstance(value, (dict, list)):
            self.error(name, _("应为文本。"))
            return ""
        raw = "" if value is None else str(value)
        if "\x00" in raw:
            self.error(name, _("含有空字符（NUL）。"))
            return ""
        text = raw.strip()
        if required and not text:
            self.error(name, _("必填字段，不能为空。"))
        limit = max_length or MAX_TEXT.get(name)
        if limit and len(text) > limit:
            self.error(
                name,
                _("过长：最多 %(limit)s 个字符，现有 %(count)s 个。")
                % {"limit": limit, "count": len(text)},
            )
        return text

    def integer(self, name: str, *, minimum: int = 0) -> int | None:
        value = self.row.data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            self.error(name, _("应为整数。"))
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int):
            number = value
        else:
            text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
            try:
                if text.endswith("万") and re.fullmatch(r"\d+(\.\d+)?万", text):
                    number = round(float(text[:-1]) * 10000)
                elif re.fullmatch(r"[+-]?\d+", text):
                    number = int(text)
                else:
                    self.error(name, _("应为整数，收到“%(value)s”。") % {"value": str(value)[:40]})
                    return None
            except (OverflowError, ValueError):
                # Hundreds of digits: float() gives inf, int() refuses past 4,300 digits.
                self.error(name, _("数值过大。"))
                return None
        if number < minimum:
            self.error(name, _("不能小于 %(minimum)s。") % {"minimum": minimum})
            return None
        if number > 10**13:
            self.error(name, _("数值过大。"))
            return None
        return number

    def boolean(self, name: str) -> bool | None:
        value = self.row.data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            return value
        word = unicodedata.normalize("NFKC", str(value)).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        self.error(name, _("应为 是/否（true/false）。"))
        return None

    def date(self, name: str) -> datetime.date | None:
        value = self.row.data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = unicodedata.normalize("NFKC", str(value)).strip().replace("/", "-")
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            self.error(name, _("日期格式应为 YYYY-MM-DD，收到“%(value)s”。") % {"value": text[:40]})
            return None

    def items(self, name: str) -> list[str]:
        value = self.row.data.get(name)
        if value is None:
            return []
        if isinstance(value, list):
            parts = [self._normalise(item) for item in value if item is not None]
        else:
            parts = LIST_SEPARATORS.split(self._normalise(value))
        return [part for part in (p.strip() for p in parts) if part]

    def choice(self, name: str, index: dict[str, Any], *, required: bool, label: str) -> Any:
        raw = self.text(name, required=required)
        if not raw:
            return None
        found = index.get(raw.lower())
        if found is None:
            self.error(name, _("未知的%(label)s“%(value)s”。") % {"label": label, "value": raw})
        return found

    def choices(self, name: str, index: dict[str, Any], *, label: str) -> list[Any]:
        found = []
        for raw in self.items(name):
            item = index.get(raw.lower())
            if item is None:
                self.error(name, _("未知的%(label)s“%(value)s”。") % {"label": label, "value": raw})
            elif item not in found:
                found.append(item)
        return found

    def enum(
        self,
        name: str,
        choices: Any,
        *,
        required: bool,
        default: str | None = None,
        synonyms: dict[str, str] | None = None,
    ) -> str:
        raw = self.text(name, required=required and default is None)
        if not raw:
            return default or ""
        by_key = {value: value for value in choices.values}
        by_key.update({str(label).lower(): value for value, label in choices.choices})
        by_key.update(synonyms or {})
        value = by_key.get(raw) or by_key.get(raw.lower())
        if value is None:
            self.error(
                name,
                _("“%(value)s”不是允许的值，可选：%(allowed)s。")
                % {"value": raw, "allowed": " / ".join(choices.values)},
            )
            return ""
        return str(value)


def _check_range(checker: RowChecker, low: int | None, high: int | None, high_name: str) -> None:
    if low is not None and high is not None and low > high:
        checker.error(high_name, _("上限 %(high)s 低于下限 %(low)s。") % {"high": high, "low": low})


DEFAULT_SUB_TYPE = {
    Organization.Kind.DEMAND: Organization.SubType.ENTERPRISE,
    Organization.Kind.VENDOR: Organization.SubType.ROBOT_MAKER,
    Organization.Kind.ORGANIZER: Organization.SubType.EVENT_ORGANIZER,
}


def clean_organization(row: SourceRow, errors: list[RowError]) -> CleanRow:
    check = RowChecker(row, errors)
    check.reference()
    kind = check.enum("kind", Organization.Kind, required=True)
    sub_type = check.enum("sub_type", Organization.SubType, required=False)
    if kind and not sub_type:
        sub_type = DEFAULT_SUB_TYPE[Organization.Kind(kind)]
    if kind and sub_type and sub_type not in Organization.SUB_TYPES_BY_KIND[kind]:
        check.error(
            "sub_type",
            _("细分类型“%(sub)s”与机构类型“%(kind)s”不符。") % {"sub": sub_type, "kind": kind},
        )
    values: dict[str, Any] = {"name": check.text("name", required=True), "kind": kind}
    values["sub_type"] = sub_type
    for name in ("district", "city", "contact_person", "phone", "email", "website", "introduction"):
        if check.present(name):
            # The model's own limits (district 64, phone 32...), so the row is refused here.
            limit = getattr(Organization._meta.get_field(name), "max_length", None) or 200
            values[name] = check.text(name, max_length=limit)
    if check.present("is_demo"):
        values["is_demo"] = bool(check.boolean("is_demo"))
    return CleanRow(source=row, ref=check.ref, values=values)


def clean_need(row: SourceRow, errors: list[RowError], taxonomy: Taxonomy) -> CleanRow:
    check = RowChecker(row, errors)
    check.reference()
    domain = check.choice("domain", taxonomy.domains, required=True, label=_("领域"))
    categories = check.choices("categories", taxonomy.categories, label=_("服务类别"))
    if domain is not None:
        for category in categories:
            if category.domain_id != domain.pk:
                check.error(
                    "categories",
                    _("服务类别“%(name)s”不属于领域“%(domain)s”。")
                    % {"name": category.code, "domain": domain.code},
                )
    region = None
    region_name = check.text("region", required=True)
    if region_name:
        region = taxonomy.region(region_name)
        if region is None:
            check.error(
                "region",
                _("未知地区“%(value)s”：应为城市、省份或“全国”。") % {"value": region_name},
            )
    values = {
        "title": check.text("title", required=True),
        "description": check.text("description", required=True),
        "domain": domain,
        "region": region,
        "site_environment": check.enum(
            "site_environment", Need.SiteEnvironment, required=False, default=""
        ),
        "site_floors": check.integer("site_floors"),
        "site_has_elevator": check.boolean("site_has_elevator"),
        "site_area_m2": check.integer("site_area_m2"),
        "quantity": check.integer("quantity", minimum=1),
        "budget_min_cny": check.integer("budget_min_cny"),
        "budget_max_cny": check.integer("budget_max_cny"),
        "budget_basis": check.enum(
            "budget_basis",
            Need.BudgetBasis,
            required=False,
            default=Need.BudgetBasis.PER_UNIT,
            synonyms=BUDGET_BASIS_WORDS,
        ),
        "wanted_by": check.date("wanted_by"),
    }
    _check_range(check, values["budget_min_cny"], values["budget_max_cny"], "budget_max_cny")
    return CleanRow(
        source=row,
        ref=check.ref,
        values=values,
        relations={
            "organization": [check.text("organization", required=True)],
            "categories": categories,
            "product_classes": check.choices(
                "product_classes", taxonomy.product_classes, label=_("产品类别")
            ),
            "required_certifications": check.items("required_certifications"),
        },
    )


def clean_capability(row: SourceRow, errors: list[RowError], taxonomy: Taxonomy) -> CleanRow:
    check = RowChecker(row, errors)
    check.reference()
    domains = check.choices("domains", taxonomy.domains, label=_("领域"))
    if not domains and not check.items("domains"):
        check.error("domains", _("必填字段：至少一个领域代码。"))
    categories = check.choices("categories", taxonomy.categories, label=_("服务类别"))
    domain_ids = {domain.pk for domain in domains}
    for category in categories:
        if domains and category.domain_id not in domain_ids:
            check.error(
                "categories", _("服务类别“%(name)s”不属于所列领域。") % {"name": category.code}
            )
    regions = []
    for name in check.items("service_regions"):
        region = taxonomy.region(name)
        if region is None:
            check.error(
                "service_regions",
                _("未知地区“%(value)s”：应为城市、省份或“全国”。") % {"value": name},
            )
        elif region not in regions:
            regions.append(region)
    if not check.items("service_regions"):
        check.error("service_regions", _("必填字段：至少一个服务地区（可填“全国”）。"))
    values = {
        "title": check.text("title", required=True),
        "description": check.text("description", required=True),
        "robot_type": check.choice(
            "robot_type", taxonomy.robot_types, required=True, label=_("机器人类型")
        ),
        "key_specs": check.text("key_specs", max_length=3000),
        "price_min_cny": check.integer("price_min_cny"),
        "price_max_cny": check.integer("price_max_cny"),
        "maturity": check.enum("maturity", Capability.Maturity, required=True),
        "reference_deployments": check.text("reference_deployments", max_length=3000),
        "pilot_capacity_per_quarter": check.integer("pilot_capacity_per_quarter"),
    }
    _check_range(check, values["price_min_cny"], values["price_max_cny"], "price_max_cny")
    return CleanRow(
        source=row,
        ref=check.ref,
        values=values,
        relations={
            "organization": [check.text("organization", required=True)],
            "domains": domains,
            "categories": categories,
            "product_classes": check.choices(
                "product_classes", taxonomy.product_classes, label=_("产品类别")
            ),
            "service_regions": regions,
            "certifications": check.items("certifications"),
        },
    )


def clean_event(row: SourceRow, errors: list[RowError], taxonomy: Taxonomy) -> CleanRow:
    check = RowChecker(row, errors)
    check.reference()
    event_date = check.date("date")
    if event_date is None and not check.present("date"):
        check.error("date", _("必填字段，不能为空。"))
    values = {
        "name": check.text("name", required=True),
        "date": event_date,
        "venue": check.text("venue", max_length=200),
        "district": check.text("district", max_length=64),
        "city": check.text("city", max_length=64) or "青岛市",
        "description": check.text("description"),
    }
    return CleanRow(
        source=row,
        ref=check.ref,
        values=values,
        relations={
            "organizer": [check.text("organizer", required=True)],
            "domains": check.choices("domains", taxonomy.domains, label=_("领域")),
        },
    )


def clean_payload(payload: ImportPayload) -> tuple[dict[str, list[CleanRow]], list[RowError]]:
    """Check every row; duplicate refs within a section are errors too."""
    errors: list[RowError] = []
    taxonomy = Taxonomy()
    cleaned: dict[str, list[CleanRow]] = {
        "organizations": [clean_organization(row, errors) for row in payload.rows["organizations"]],
        "needs": [clean_need(row, errors, taxonomy) for row in payload.rows["needs"]],
        "capabilities": [
            clean_capability(row, errors, taxonomy) for row in payload.rows["capabilities"]
        ],
        "events": [clean_event(row, errors, taxonomy) for row in payload.rows["events"]],
    }
    for section, rows in cleaned.items():
        seen: dict[str, int] = {}
        for row in rows:
            if row.ref and row.ref in seen:
                errors.append(
                    RowError(
                        section,
                        row.source.number,
                        row.ref,
                        "ref",
                        _("编号重复：与第 %(first)s 行相同。") % {"first": seen[row.ref]},
                    )
                )
            seen.setdefault(row.ref, row.source.number)
    return cleaned, errors
