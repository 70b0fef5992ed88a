"""CSV and XLSX exports that re-import cleanly: the same columns as the import template."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import Organization, User
from marketplace.audit.services import Action, audit_record
from marketplace.common.spreadsheets import safe_cell, xlsx_append
from marketplace.imports.template import COLUMNS
from marketplace.models import Capability, Need


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


def _csv(entity: str, columns: list[str], rows: list[list[Any]]) -> tuple[bytes, str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["record_type", *columns])
    record_type = entity.rstrip("s") if entity != "capabilities" else "capability"
    for row in rows:
        writer.writerow(
            [record_type, *("" if value is None else safe_cell(value) for value in row)]
        )
    return buffer.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8"


def _xlsx(entity: str, columns: list[str], rows: list[list[Any]]) -> tuple[bytes, str]:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = entity
    xlsx_append(sheet, columns)
    for row in rows:
        xlsx_append(sheet, row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_file(
    *, entity: str, queryset: QuerySet[Any], fmt: str, actor: User | None = None
) -> tuple[bytes, str, str]:
    """Return (content, content type, file name) for a CSV (UTF-8 with BOM) or XLSX export;
    the export is recorded in the audit log under ``actor`` once the file is built."""
    if entity not in EXPORTERS or fmt not in ("csv", "xlsx"):
        raise ValueError(f"Cannot export {entity!r} as {fmt!r}")
    to_row, columns, prefetch = EXPORTERS[entity]
    if prefetch:
        queryset = queryset.prefetch_related(*prefetch)
    rows = [[to_row(item).get(column) for column in columns] for item in queryset]
    content, content_type = (_csv if fmt == "csv" else _xlsx)(entity, columns, rows)
    details = {"format": fmt, "rows": len(rows)}
    audit_record(actor=actor, action=Action.EXPORT, target=queryset.model, details=details)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return content, content_type, f"robomatch-{entity}-{stamp}.{fmt}"
