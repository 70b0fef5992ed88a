"""CSV and XLSX exports of organisations, needs and capabilities, in two layouts.

- ``readable`` (the default): what people read, in the reader's language: the fields' names as
  headers, and choices, taxonomy terms, yes/no and regions by their labels, not their codes;
- ``import``: the import template's code columns, so the file re-imports cleanly (edit in Excel,
  upload again: rows are matched by ``ref``).

Either way every text cell goes through ``safe_cell`` / ``xlsx_append``: no formula runs.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from accounts.models import Organization, User
from marketplace.audit.services import Action, audit_record
from marketplace.common.spreadsheets import safe_cell, xlsx_append
from marketplace.imports.template import COLUMNS
from marketplace.models import Capability, Need


class Layout(StrEnum):
    READABLE = "readable"
    IMPORT = "import"


def _join(values: Iterable[str]) -> str:
    return "；".join(sorted(values))


def _organization_row(organization: Organization) -> dict[str, Any]:
    row = {name: getattr(organization, name) for name in COLUMNS["organizations"]}
    row["review_status"] = organization.review_status
    return row


def _need_row(need: Need) -> dict[str, Any]:
    return {
        "ref": need.ref or f"need-{need.pk}",
        "organization": need.organization.ref or f"org-{need.organization_id}",
        "title": need.title,
        "description": need.description,
        "domain": need.domain.code,
        "categories": _join(c.code for c in need.categories.all()),
        "product_classes": _join(p.code for p in need.product_classes.all()),
        "site_environment": need.site_environment,
        "site_floors": need.site_floors,
        "site_has_elevator": need.site_has_elevator,
        "site_area_m2": need.site_area_m2,
        "quantity": need.quantity,
        "budget_min_cny": need.budget_min_cny,
        "budget_max_cny": need.budget_max_cny,
        "budget_basis": need.budget_basis,
        "region": need.region.name,
        "required_certifications": _join(c.name for c in need.required_certifications.all()),
        "wanted_by": need.wanted_by.isoformat() if need.wanted_by else None,
        "status": need.status,
        "organization_name": need.organization.name,
    }


def _capability_row(capability: Capability) -> dict[str, Any]:
    return {
        "ref": capability.ref or f"capability-{capability.pk}",
        "organization": capability.organization.ref or f"org-{capability.organization_id}",
        "title": capability.title,
        "description": capability.description,
        "robot_type": capability.robot_type.code,
        "domains": _join(d.code for d in capability.domains.all()),
        "categories": _join(c.code for c in capability.categories.all()),
        "product_classes": _join(p.code for p in capability.product_classes.all()),
        "key_specs": capability.key_specs,
        "price_min_cny": capability.price_min_cny,
        "price_max_cny": capability.price_max_cny,
        "service_regions": _join(r.name for r in capability.service_regions.all()),
        "certifications": _join(c.name for c in capability.certifications.all()),
        "maturity": capability.maturity,
        "reference_deployments": capability.reference_deployments,
        "pilot_capacity_per_quarter": capability.pilot_capacity_per_quarter,
        "status": capability.status,
        "organization_name": capability.organization.name,
    }


EXPORTERS: dict[str, tuple[Callable[[Any], dict[str, Any]], list[str], tuple[str, ...]]] = {
    "organizations": (_organization_row, COLUMNS["organizations"] + ["review_status"], ()),
    "needs": (
        _need_row,
        COLUMNS["needs"] + ["status", "organization_name"],
        ("categories", "product_classes", "required_certifications"),
    ),
    "capabilities": (
        _capability_row,
        COLUMNS["capabilities"] + ["status", "organization_name"],
        ("domains", "categories", "product_classes", "service_regions", "certifications"),
    ),
}


# The readable layout: the import columns (and the status) minus the import-only ones.
READABLE_COLUMNS: dict[str, tuple[type[models.Model], list[str]]] = {
    "organizations": (Organization, COLUMNS["organizations"] + ["review_status"]),
    "needs": (Need, COLUMNS["needs"] + ["status"]),
    "capabilities": (Capability, COLUMNS["capabilities"] + ["status"]),
}


def _label(value: Any) -> str:
    """A related row by its name in the reader's language (taxonomy terms, certifications)."""
    return str(getattr(value, "display_name", value))


def _readable_value(item: models.Model, name: str) -> Any:
    field = item._meta.get_field(name)
    if name == "ref":
        return getattr(item, "ref", "") or f"{item._meta.model_name}-{item.pk}"
    if field.many_to_many:
        return _join(_label(related) for related in getattr(item, name).all())
    value = getattr(item, name)
    if value is None:
        return None
    if field.is_relation:
        return _label(value)
    if getattr(field, "choices", None):
        return getattr(item, f"get_{name}_display")()
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _verbose_name(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(field.verbose_name)


def _readable_table(entity: str, items: Iterable[Any]) -> tuple[list[str], list[list[Any]]]:
    model, names = READABLE_COLUMNS[entity]
    header = [_verbose_name(model, name) for name in names]
    return header, [[_readable_value(item, name) for name in names] for item in items]


def _sheet_title(entity: str) -> str:
    """The entity's name in the reader's language, without the characters a sheet name cannot
    hold (能力/产品)."""
    model, _names = READABLE_COLUMNS[entity]
    return re.sub(r"[\\/*?:\[\]]", "、", str(model._meta.verbose_name_plural))[:31]


def _csv(header: list[str], rows: list[list[Any]], record_type: str | None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["record_type", *header] if record_type else header)
    for row in rows:
        cells = ["" if value is None else safe_cell(value) for value in row]
        writer.writerow([record_type, *cells] if record_type else cells)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(title: str, header: list[str], rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    xlsx_append(sheet, header)
    for row in rows:
        xlsx_append(sheet, row)
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_file(
    *,
    entity: str,
    queryset: QuerySet[Any],
    fmt: str,
    actor: User | None = None,
    layout: Layout = Layout.READABLE,
) -> tuple[bytes, str, str]:
    """Return (content, content type, file name) for a CSV (UTF-8 with BOM) or XLSX export, in
    the active language for the readable layout; the export is recorded in the audit log under
    ``actor`` once the file is built."""
    if entity not in EXPORTERS or fmt not in CONTENT_TYPES:
        raise ValueError(f"Cannot export {entity!r} as {fmt!r}")
    to_row, columns, prefetch = EXPORTERS[entity]
    if prefetch:
        queryset = queryset.prefetch_related(*prefetch)
    if layout == Layout.IMPORT:
        header = columns
        rows = [[to_row(item).get(column) for column in columns] for item in queryset]
        record_type = entity.rstrip("s") if entity != "capabilities" else "capability"
        title = entity
    else:
        header, rows = _readable_table(entity, queryset)
        record_type = None
        title = _sheet_title(entity)
    content = _csv(header, rows, record_type) if fmt == "csv" else _xlsx(title, header, rows)
    details: dict[str, Any] = {"format": fmt, "rows": len(rows)}
    if layout == Layout.IMPORT:
        details["layout"] = str(layout)
    audit_record(actor=actor, action=Action.EXPORT, target=queryset.model, details=details)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    suffix = "-import" if layout == Layout.IMPORT else ""
    return content, CONTENT_TYPES[fmt], f"robomatch-{entity}{suffix}-{stamp}.{fmt}"
