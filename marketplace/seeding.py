"""Load the seed data in seeds/: taxonomy, catalog and demo logins. Safe to run again: an
unchanged row is not saved again, so a second run marks nothing for embedding or ranking."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from accounts.models import Organization, User
from marketplace.common.changes import assign_changed
from marketplace.events.services import (
    event_update,
    parse_breaks,
    parse_tables,
    participant_register,
)
from marketplace.imports.loading import catalog_import
from marketplace.imports.parsing import parse_import_file
from marketplace.models import (
    Capability,
    Certification,
    Domain,
    Event,
    Need,
    ProductClass,
    Region,
    RobotType,
    ServiceCategory,
)

SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"


@dataclass(frozen=True)
class SeedReport:
    taxonomy: dict[str, int]
    catalog: dict[str, Any]
    users: list[str]
    events: dict[str, int]


def _upsert(model: Any, lookup: dict[str, Any], values: dict[str, Any]) -> None:
    """Create the row, or save only the fields that differ: a taxonomy save moves the taxonomy
    version (every stored match list then counts as out of date), so an unchanged row is not
    saved at all."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        model.objects.create(**lookup, **values)
        return
    changed = assign_changed(row, values)
    if changed:
        row.save(update_fields=changed)


def _upsert_named(model: Any, rows: list[dict[str, Any]], **extra: Any) -> int:
    for row in rows:
        values = {"name_zh": row["name_zh"], "name_en": row.get("name_en", "")}
        values.update({key: value(row) for key, value in extra.items()})
        _upsert(model, {"code": row["code"]}, values)
    return len(rows)


@transaction.atomic
def taxonomy_load(*, data: dict[str, Any]) -> dict[str, int]:
    counts = {
        "domains": _upsert_named(Domain, data["domains"], order=lambda row: row.get("order", 0)),
        "product_classes": _upsert_named(ProductClass, data["product_classes"]),
        "robot_types": _upsert_named(RobotType, data["robot_types"]),
    }
    domains = {domain.code: domain for domain in Domain.objects.all()}
    counts["service_categories"] = _upsert_named(
        ServiceCategory,
        data["service_categories"],
        domain=lambda row: domains[row["domain"]],
        keywords=lambda row: row.get("keywords", []),
    )
    # Parents before children: 全国, then provinces, then cities.
    order = {Region.Level.COUNTRY: 0, Region.Level.PROVINCE: 1, Region.Level.CITY: 2}
    for row in sorted(data["regions"], key=lambda row: order[row["level"]]):
        parent = Region.objects.get(name=row["parent"]) if row.get("parent") else None
        _upsert(Region, {"name": row["name"]}, {"level": row["level"], "parent": parent})
    counts["regions"] = len(data["regions"])
    for row in data.get("certifications", []):
        _upsert(Certification, {"name": row["name"]}, {"name_en": row.get("name_en", "")})
    counts["certifications"] = len(data.get("certifications", []))
    return counts


def taxonomy_ensure(*, seeds_dir: Path = SEEDS_DIR) -> bool:
    """Load the seeded taxonomy into a database that has none, so a fresh database can import."""
    if Domain.objects.exists():
        return False
    taxonomy_load(data=json.loads((seeds_dir / "taxonomy.json").read_text("utf-8")))
    return True


@transaction.atomic
def demo_users_load(*, data: dict[str, Any]) -> list[str]:
    emails = []
    for row in data["users"]:
        organization = Organization.objects.get(ref=row["organization"])
        user = User.objects.filter(email=row["email"]).first() or User(email=row["email"])
        changed = assign_changed(
            user,
            {
                "full_name": row.get("full_name", ""),
                "organization": organization,
                "is_staff": bool(row.get("is_staff", False)),
            },
        )
        if user.pk is None or not user.check_password(row["password"]):
            user.set_password(row["password"])
            changed.append("password")
        if user.pk is None:
            user.save()
        elif changed:
            user.save(update_fields=changed)
        emails.append(user.email)
    return emails


def marketplace_seed(*, seeds_dir: Path = SEEDS_DIR) -> SeedReport:
    """Taxonomy, then the catalog through the importer, then the demo logins."""
    taxonomy = taxonomy_load(data=json.loads((seeds_dir / "taxonomy.json").read_text("utf-8")))
    catalog_path = seeds_dir / "catalog.json"
    payload = parse_import_file(content=catalog_path.read_bytes(), filename=catalog_path.name)
    result = catalog_import(payload=payload)
    users = demo_users_load(data=json.loads((seeds_dir / "demo_users.json").read_text("utf-8")))
    events = demo_events_setup(data=json.loads((seeds_dir / "demo_events.json").read_text("utf-8")))
    return SeedReport(taxonomy=taxonomy, catalog=result.as_dict(), users=users, events=events)


@transaction.atomic
def demo_events_setup(*, data: dict[str, Any]) -> dict[str, int]:
    """Slots, tables and participants of the demo events; an event with participants already
    (a second run, or an organiser's own changes) is left as it is."""
    participants = 0
    for row in data["events"]:
        event = Event.objects.filter(ref=row["ref"]).first()
        if event is None or event.participants.exists():
            continue
        organizer = User.objects.filter(organization=event.organizer).first()
        if organizer is None:
            continue
        fields = {
            "starts_at": datetime.time.fromisoformat(row["starts_at"]),
            "ends_at": datetime.time.fromisoformat(row["ends_at"]),
            "meeting_minutes": row["meeting_minutes"],
            "min_vendors_per_demand": row["min_vendors_per_demand"],
            "vendor_meeting_cap": row["vendor_meeting_cap"],
        }
        event_update(
            event,
            user=organizer,
            fields=fields,
            breaks=parse_breaks(row["breaks"]),
            tables=parse_tables("\n".join(row["tables"])),
        )
        for ref in row["demand"]:
            organization = Organization.objects.get(ref=ref)
            needs = Need.objects.published().filter(organization=organization)
            participant_register(event, user=organizer, organization=organization, needs=needs)
            participants += 1
        for ref in row["vendors"]:
            organization = Organization.objects.get(ref=ref)
            capabilities = Capability.objects.published().filter(organization=organization)
            participant_register(
                event, user=organizer, organization=organization, capabilities=capabilities
            )
            participants += 1
    return {"participants": participants}
