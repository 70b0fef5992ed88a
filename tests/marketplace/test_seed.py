"""The seed data loads, loads again without duplicating, and the statistics report it."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from accounts.models import Organization, User
from marketplace.models import Capability, Domain, Need, ServiceCategory


@pytest.fixture
def seeded(db: None) -> dict[str, Any]:
    call_command("marketplace_seed", stdout=io.StringIO())
    out = io.StringIO()
    call_command("marketplace_stats", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_seed_meets_the_facts_from_the_articles(seeded: dict[str, Any]) -> None:
    by_kind = seeded["organizations_by_kind"]
    assert isinstance(by_kind, dict)
    assert by_kind["demand"] >= 23
    assert by_kind["vendor"] >= 10
    assert seeded["needs"] >= 28
    assert seeded["capabilities"] >= 15
    assert seeded["domains"] == 8
    assert seeded["events"] >= 1
    assert list(Domain.objects.values_list("code", flat=True)) == [
        "civil_affairs",
        "smart_home",
        "manufacturing",
        "smart_city",
        "rail_transit",
        "smart_port",
        "ocean_survey",
        "healthcare",
        "other",
    ]


def test_the_elder_care_needs_cover_six_service_areas_and_four_product_classes(
    seeded: dict[str, object],
) -> None:
    elder_care = Need.objects.filter(organization__sub_type="elder_care")
    assert elder_care.values("organization").distinct().count() == 22
    civil_codes = set(
        ServiceCategory.objects.filter(domain__code="civil_affairs").values_list("code", flat=True)
    )
    covered = set(elder_care.values_list("categories__code", flat=True))
    assert civil_codes <= covered
    assert len(civil_codes) == 6
    classes = set(elder_care.values_list("product_classes__code", flat=True)) - {None}
    assert len(classes) == 4


def test_seeding_twice_changes_no_counts(seeded: dict[str, object]) -> None:
    before = (
        Organization.objects.count(),
        Need.objects.count(),
        Capability.objects.count(),
        User.objects.count(),
    )
    call_command("marketplace_seed", stdout=io.StringIO())
    after = (
        Organization.objects.count(),
        Need.objects.count(),
        Capability.objects.count(),
        User.objects.count(),
    )
    assert after == before


def test_one_demo_login_per_role(seeded: dict[str, object]) -> None:
    kinds = sorted(
        user.kind or "" for user in User.objects.filter(email__endswith="@demo.robomatch.cn")
    )
    assert kinds == ["demand", "organizer", "vendor"]
    assert all(user.organization and user.organization.is_approved for user in User.objects.all())


def test_every_seeded_need_is_published_and_every_domain_has_needs(
    seeded: dict[str, object],
) -> None:
    assert Need.objects.published().count() == Need.objects.count()
    by_domain = seeded["needs_by_domain"]
    assert isinstance(by_domain, dict)
    assert all(
        by_domain[code] >= 2
        for code in Domain.objects.exclude(code="other").values_list("code", flat=True)
    )


def test_the_demo_event_is_ready_to_run(seeded: dict[str, object]) -> None:
    from marketplace.models import Event, EventParticipant

    event = Event.objects.get(ref="ev-01")
    # 09:00–11:40 in 20-minute meetings around the 10:20–10:40 break: four before, three after.
    assert [slot.label for slot in event.slots] == [
        "09:00–09:20",
        "09:20–09:40",
        "09:40–10:00",
        "10:00–10:20",
        "10:40–11:00",
        "11:00–11:20",
        "11:20–11:40",
    ]
    assert sum(table.capacity for table in event.tables.all()) == 8
    demand = EventParticipant.objects.filter(event=event, role="demand")
    vendors = EventParticipant.objects.filter(event=event, role="vendor")
    assert demand.count() == 10 and vendors.count() == 8
    # The demo institution and vendor are there, bringing their published needs and profiles.
    institution = demand.get(organization__ref="inst-01")
    assert institution.needs.count() == Need.objects.filter(organization__ref="inst-01").count()
    assert vendors.get(organization__ref="v-01").capabilities.exists()
    assert all(p.on_behalf for p in EventParticipant.objects.filter(event=event))

    call_command("marketplace_seed", stdout=io.StringIO())
    assert EventParticipant.objects.filter(event=event).count() == 18
    assert event.tables.count() == 7


def test_seeding_an_unchanged_catalogue_writes_nothing(seeded: dict[str, object]) -> None:
    """A second `make run` seeds again: no row is rewritten, nothing is marked for embedding."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from marketplace.models import AuditEntry, NeedRevision
    from marketplace.taxonomy.version import taxonomy_version

    Need.objects.update(embedding_dirty=False)
    Capability.objects.update(embedding_dirty=False)
    stamps = (
        sorted(Need.objects.values_list("pk", "updated_at")),
        sorted(Capability.objects.values_list("pk", "updated_at")),
        sorted(Organization.objects.values_list("pk", "updated_at")),
    )
    audit_entries = AuditEntry.objects.count()
    revisions = NeedRevision.objects.count()
    version = taxonomy_version()

    with CaptureQueriesContext(connection) as queries:
        call_command("marketplace_seed", stdout=io.StringIO())

    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))
    ]
    assert writes == []
    assert Need.objects.filter(embedding_dirty=True).count() == 0
    assert Capability.objects.filter(embedding_dirty=True).count() == 0
    assert stamps == (
        sorted(Need.objects.values_list("pk", "updated_at")),
        sorted(Capability.objects.values_list("pk", "updated_at")),
        sorted(Organization.objects.values_list("pk", "updated_at")),
    )
    assert AuditEntry.objects.count() == audit_entries
    assert NeedRevision.objects.count() == revisions
    assert taxonomy_version() == version
