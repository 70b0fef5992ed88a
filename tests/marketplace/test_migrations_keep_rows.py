"""An existing database migrates to this code without losing a row.

A database at ``0005_capability_leads_refreshed_at`` (the schema before stored match lists,
private import files, phrased notifications and budget bases) is filled through that schema's
own models, migrated to the latest migration, and read back: every row is there with the values
it had, the new fields hold their defaults for old rows, and an import file moves from the
public media folder to private storage. Runs with django-test-migrations' ``migrator``, on
SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db.migrations.loader import MigrationLoader
from django_test_migrations.migrator import Migrator

BEFORE = ("marketplace", "0005_capability_leads_refreshed_at")


def _latest() -> tuple[str, str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    (leaf,) = loader.graph.leaf_nodes("marketplace")
    return leaf


def _fill(apps: Any, media_root: Path) -> dict[str, Any]:
    """A small world written through the old schema's models: two organisations, a need, a
    profile, their lead, a notification and an import job with its file in public media."""
    Organization = apps.get_model("accounts", "Organization")
    User = apps.get_model("accounts", "User")
    Domain = apps.get_model("marketplace", "Domain")
    Region = apps.get_model("marketplace", "Region")
    RobotType = apps.get_model("marketplace", "RobotType")
    Need = apps.get_model("marketplace", "Need")
    Capability = apps.get_model("marketplace", "Capability")
    Lead = apps.get_model("marketplace", "Lead")
    Notification = apps.get_model("marketplace", "Notification")
    ImportJob = apps.get_model("marketplace", "ImportJob")

    home = Organization.objects.create(name="颐和苑养老中心", kind="demand", sub_type="elder_care")
    maker = Organization.objects.create(name="康途机器人", kind="vendor", sub_type="manufacturer")
    user = User.objects.create(email="bob@kangtu.example.com", password="!", organization=maker)
    domain = Domain.objects.create(code="civil_affairs", name_zh="民政")
    region = Region.objects.create(name="青岛市", level="city")
    robot = RobotType.objects.create(code="wheeled", name_zh="轮式机器人")
    need = Need.objects.create(
        organization=home,
        title="三餐送到房间",
        description="六层楼，有电梯，每天三餐送到房间门口。",
        domain=domain,
        region=region,
        quantity=3,
        budget_max_cny=300_000,
    )
    capability = Capability.objects.create(
        organization=maker,
        title="送餐机器人",
        description="自主乘梯，按门牌号送达。",
        maturity="mass_production",
        robot_type=robot,
    )
    lead = Lead.objects.create(
        need=need, capability=capability, demand=home, vendor=maker, score=0.73
    )
    notification = Notification.objects.create(
        user=user, kind="new_lead", key=f"lead:{lead.pk}:new", title="新线索：三餐送到房间"
    )
    name = "imports/keep-rows.json"
    (media_root / "imports").mkdir(parents=True, exist_ok=True)
    (media_root / name).write_text('{"needs": []}', encoding="utf-8")
    job = ImportJob.objects.create(file=name, original_name="keep-rows.json")
    return {
        "organizations": {home.pk: home.name, maker.pk: maker.name},
        "need": need.pk,
        "capability": capability.pk,
        "lead": lead.pk,
        "notification": notification.pk,
        "job": job.pk,
        "file": name,
    }


@pytest.mark.django_db(transaction=True)
def test_a_database_at_an_older_schema_migrates_without_losing_a_row(
    migrator: Migrator, tmp_path: Path, settings: Any
) -> None:
    # given a database at the older schema, with rows written through its models
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    old = migrator.apply_initial_migration(BEFORE)
    world = _fill(old.apps, Path(settings.MEDIA_ROOT))

    # when it is migrated to this code's schema
    new = migrator.apply_tested_migration(_latest())

    # then every row is there, as it was, with the new fields at their defaults
    Organization = new.apps.get_model("accounts", "Organization")
    Need = new.apps.get_model("marketplace", "Need")
    Capability = new.apps.get_model("marketplace", "Capability")
    Lead = new.apps.get_model("marketplace", "Lead")
    Notification = new.apps.get_model("marketplace", "Notification")
    ImportJob = new.apps.get_model("marketplace", "ImportJob")
    assert dict(Organization.objects.values_list("pk", "name")) == world["organizations"]
    need = Need.objects.get(pk=world["need"])
    assert (need.title, need.quantity, need.budget_max_cny, need.budget_basis) == (
        "三餐送到房间",
        3,
        300_000,
        "per_unit",
    )
    capability = Capability.objects.get(pk=world["capability"])
    assert (capability.title, capability.maturity) == ("送餐机器人", "mass_production")
    lead = Lead.objects.get(pk=world["lead"])
    assert (lead.need_id, lead.capability_id, lead.score) == (
        world["need"],
        world["capability"],
        0.73,
    )
    notification = Notification.objects.get(pk=world["notification"])
    assert notification.title == "新线索：三餐送到房间"
    job = ImportJob.objects.get(pk=world["job"])
    assert job.file.name == world["file"]
    # and the import file left the public media folder for private storage
    assert not (Path(settings.MEDIA_ROOT) / world["file"]).exists()
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / world["file"]).read_text(encoding="utf-8") == (
        '{"needs": []}'
    )


def test_the_checked_history_starts_before_the_latest_changes() -> None:
    """The test above is only worth something while BEFORE is older than the newest migration."""
    assert _latest() != BEFORE
    assert int(_latest()[1][:4]) > int(BEFORE[1][:4])
