"""Write a checked import in one transaction: all rows or none."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from marketplace.capabilities.services import capability_create, capability_update
from marketplace.common.changes import assign_changed
from marketplace.imports.parsing import ImportPayload
from marketplace.imports.rows import (
    CleanRow,
    ImportValidationError,
    RowError,
    clean_payload,
)
from marketplace.models import Capability, Certification, Event, Need
from marketplace.needs.services import mark_published, need_create, need_update

ProgressCallback = Callable[[int, int], None]


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, section: str, *, created: bool) -> None:
        bucket = self.created if created else self.updated
        bucket[section] = bucket.get(section, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated}


def _errors_from(error: ValidationError, row: CleanRow) -> list[RowError]:
    if hasattr(error, "error_dict"):
        return [
            RowError(row.source.section, row.source.number, row.ref, name, " ".join(messages))
            for name, messages in error.message_dict.items()
        ]
    return [
        RowError(
            row.source.section, row.source.number, row.ref, "__all__", " ".join(error.messages)
        )
    ]


def _check_owner_refs(cleaned: dict[str, list[CleanRow]], errors: list[RowError]) -> dict[str, Any]:
    """Each need, profile and event must name an organisation of the right kind, in file or DB."""
    kinds: dict[str, Any] = {
        row.ref: row.values.get("kind") for row in cleaned["organizations"] if row.ref
    }
    wanted = {
        row.relations[key][0]
        for section, key in (
            ("needs", "organization"),
            ("capabilities", "organization"),
            ("events", "organizer"),
        )
        for row in cleaned[section]
        if row.relations[key][0]
    }
    for ref, kind in Organization.objects.filter(ref__in=wanted - set(kinds)).values_list(
        "ref", "kind"
    ):
        kinds[str(ref)] = kind
    expected = {
        ("needs", "organization"): Organization.Kind.DEMAND,
        ("capabilities", "organization"): Organization.Kind.VENDOR,
        ("events", "organizer"): Organization.Kind.ORGANIZER,
    }
    for (section, key), kind in expected.items():
        for row in cleaned[section]:
            ref = row.relations[key][0]
            if not ref:
                continue
            if ref not in kinds:
                errors.append(
                    RowError(
                        section,
                        row.source.number,
                        row.ref,
                        key,
                        _("找不到编号为“%(ref)s”的机构。") % {"ref": ref},
                    )
                )
            elif kinds[ref] and kinds[ref] != kind:
                errors.append(
                    RowError(
                        section,
                        row.source.number,
                        row.ref,
                        key,
                        _("机构“%(ref)s”的类型是 %(actual)s，这里需要 %(expected)s。")
                        % {"ref": ref, "actual": kinds[ref], "expected": kind},
                    )
                )
    return kinds


def _certifications(names: list[str]) -> list[Certification]:
    return [Certification.objects.get_or_create(name=name[:100])[0] for name in names]


def _owner(row: CleanRow, key: str) -> Organization:
    """The organisation a row names; it was checked to exist, but its own row in this file may
    have failed to write (that row's error is reported too)."""
    ref = row.relations[key][0]
    organization = Organization.objects.filter(ref=ref).first()
    if organization is None:
        raise ValidationError({key: _("找不到编号为“%(ref)s”的机构。") % {"ref": ref}})
    return organization


def _write_organization(row: CleanRow, result: ImportResult) -> None:
    organization = Organization.objects.filter(ref=row.ref).first()
    created = organization is None
    if organization is None:
        organization = Organization(ref=row.ref)
    # Rows from an import are approved and published.
    changed = assign_changed(
        organization, {**row.values, "review_status": Organization.ReviewStatus.APPROVED}
    )
    if organization.reviewed_at is None:
        organization.reviewed_at = timezone.now()
        changed.append("reviewed_at")
    if created or changed:  # an unchanged row is not saved again
        organization.full_clean()
        organization.save()
    result.count("organizations", created=created)


def _write_need(row: CleanRow, result: ImportResult) -> None:
    organization = _owner(row, "organization")
    relations: dict[str, Any] = {
        "categories": row.relations["categories"],
        "product_classes": row.relations["product_classes"],
        "required_certifications": _certifications(row.relations["required_certifications"]),
    }
    need = Need.objects.filter(ref=row.ref).first()
    if need is None:
        need = need_create(
            organization=organization, created_by=None, fields=row.values, **relations
        )
        need.ref = row.ref
        created = True
    else:
        if need.organization_id != organization.pk:
            raise ValidationError({"organization": _("已有需求属于另一家机构，不能改挂。")})
        # Changes only what differs: an unchanged row is neither saved nor re-embedded.
        need_update(need=need, user=None, fields=row.values, **relations)
        created = False
    if need.status not in Need.PUBLIC_STATUSES:  # always so for a new need: a draft
        mark_published(need, timezone.now())
        need.save()
    result.count("needs", created=created)


def _write_capability(row: CleanRow, result: ImportResult) -> None:
    organization = _owner(row, "organization")
    relations: dict[str, Any] = {
        "domains": row.relations["domains"],
        "categories": row.relations["categories"],
        "product_classes": row.relations["product_classes"],
        "service_regions": row.relations["service_regions"],
        "certifications": _certifications(row.relations["certifications"]),
    }
    capability = Capability.objects.filter(ref=row.ref).first()
    if capability is None:
        capability = capability_create(
            organization=organization, created_by=None, fields=row.values, publish=True, **relations
        )
        capability.ref = row.ref
        capability.save(update_fields=["ref"])
        result.count("capabilities", created=True)
        return
    if capability.organization_id != organization.pk:
        raise ValidationError({"organization": _("已有能力属于另一家机构，不能改挂。")})
    # Changes only what differs: an unchanged row is neither saved nor re-embedded.
    capability_update(capability=capability, user=None, fields=row.values, **relations)
    if capability.status != Capability.Status.PUBLISHED:
        capability.status = Capability.Status.PUBLISHED
        capability.embedding_dirty = True
        capability.save(update_fields=["status", "embedding_dirty", "updated_at"])
    result.count("capabilities", created=False)


def _write_event(row: CleanRow, result: ImportResult) -> None:
    organizer = _owner(row, "organizer")
    event = Event.objects.filter(ref=row.ref).first()
    created = event is None
    if event is None:
        event = Event(ref=row.ref)
    changed = assign_changed(event, {**row.values, "organizer": organizer})
    if created or changed:  # an unchanged row is not saved again
        event.full_clean()
        event.save()
    event.domains.set(row.relations["domains"])  # writes only the difference
    result.count("events", created=created)


WRITERS: dict[str, Callable[[CleanRow, ImportResult], None]] = {
    "organizations": _write_organization,
    "needs": _write_need,
    "capabilities": _write_capability,
    "events": _write_event,
}


def catalog_import(
    *, payload: ImportPayload, progress: ProgressCallback | None = None
) -> ImportResult:
    """Check every row, then write them all in one transaction.

    Raises ``ImportValidationError`` listing every bad row (section, row, ref, field, reason);
    when it does, nothing has been written.
    """
    cleaned, errors = clean_payload(payload)
    _check_owner_refs(cleaned, errors)
    if errors:
        raise ImportValidationError(errors)
    total = payload.total
    done = 0
    result = ImportResult()
    with transaction.atomic():
        for section, writer in WRITERS.items():
            for row in cleaned[section]:
                try:
                    with transaction.atomic():
                        writer(row, result)
                except ValidationError as error:
                    errors.extend(_errors_from(error, row))
                done += 1
                if progress is not None:
                    progress(done, total)
        if errors:
            raise ImportValidationError(errors)
    return result
