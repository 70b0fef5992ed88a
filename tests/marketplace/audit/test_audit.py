"""The audit log: each recorded action writes exactly one entry, inside the change's transaction;
organisers read it on /audit/ and through the API; nobody edits it."""

from __future__ import annotations

import json
from datetime import date, time, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Organization, User
from marketplace.audit.services import audit_record
from marketplace.capabilities.services import (
    capability_create,
    capability_set_status,
    capability_update,
)
from marketplace.dashboard.exports import export_file
from marketplace.events.exports import schedule_xlsx, shortlist_csv
from marketplace.events.scheduling import event_schedule_publish, event_schedule_unpublish
from marketplace.events.services import (
    event_create,
    event_update,
    participant_register,
    participant_remove,
)
from marketplace.imports.jobs import import_job_create, import_job_run
from marketplace.models import AuditEntry, Capability, Event, Need
from marketplace.needs.services import need_create, need_publish, need_set_status, need_update
from marketplace.reviews.services import organization_approve, organization_reject
from tests.accounts.factories import UserFactory
from tests.marketplace.catalogs import CATALOG
from tests.marketplace.factories import NeedFactory

Action = AuditEntry.Action


def _only_entry() -> AuditEntry:
    entries = list(AuditEntry.objects.all())
    assert len(entries) == 1, entries
    return entries[0]


def _need_fields(taxonomy: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return {
        "title": "夜间巡查机器人",
        "description": "夜里走廊需要巡查，发现老人跌倒及时通知护工。",
        "domain": taxonomy["civil"],
        "region": taxonomy["regions"]["青岛市"],
        "budget_min_cny": 10000,
        "budget_max_cny": 60000,
    } | overrides


def _event(olga: User, **fields: Any) -> Event:
    return event_create(
        user=olga,
        fields={
            "name": "青岛养老机器人供需对接会",
            "date": date.today() + timedelta(days=30),
            "venue": "青岛国际会议中心",
            "starts_at": time(9, 0),
            "ends_at": time(10, 0),
            "meeting_minutes": 20,
        }
        | fields,
        breaks=[],
        tables=[("1号桌", 1)],
    )


# --- Each recorded action: exactly one entry --------------------------------------------------


def test_approving_an_organisation_records_who_approved_it(olga: User, newcomer: Organization):
    organization_approve(organization=newcomer, reviewer=olga)

    entry = _only_entry()
    assert entry.action == Action.APPROVE
    assert (entry.actor, entry.actor_email) == (olga, olga.email)
    assert (entry.target_type, entry.target_id) == ("accounts.organization", newcomer.pk)
    assert entry.target_label == newcomer.name
    assert entry.details == {}


def test_rejecting_an_organisation_records_a_rejection(olga: User, newcomer: Organization):
    organization_reject(organization=newcomer, reviewer=olga, note="资料不全")

    entry = _only_entry()
    assert (entry.action, entry.actor, entry.target_id) == (Action.REJECT, olga, newcomer.pk)


def test_creating_a_need_records_its_creator(alice: User, taxonomy: dict[str, Any]):
    need = need_create(
        organization=alice.organization, created_by=alice, fields=_need_fields(taxonomy)
    )

    entry = _only_entry()
    assert (entry.action, entry.actor) == (Action.CREATE, alice)
    assert (entry.target_type, entry.target_id, entry.target_label) == (
        "marketplace.need",
        need.pk,
        "夜间巡查机器人",
    )


def test_editing_a_need_records_only_the_fields_that_changed(alice: User, taxonomy: dict[str, Any]):
    need = NeedFactory.create(
        organization=alice.organization,
        domain=taxonomy["civil"],
        region=taxonomy["regions"]["青岛市"],
        title="旧标题",
        budget_min_cny=10000,
    )

    need_update(
        need=need,
        user=alice,
        fields={"title": "新标题", "budget_min_cny": 10000},
        categories=[taxonomy["delivery"]],
    )

    entry = _only_entry()
    assert (entry.action, entry.actor, entry.target_id) == (Action.EDIT, alice, need.pk)
    assert entry.details == {"fields": ["categories", "title"]}


def test_changing_a_need_status_records_from_and_to(alice: User, taxonomy: dict[str, Any]):
    need = NeedFactory.create(
        organization=alice.organization,
        domain=taxonomy["civil"],
        region=taxonomy["regions"]["青岛市"],
        status=Need.Status.PUBLISHED,
    )

    need_set_status(need=need, user=alice, status=Need.Status.CLOSED)

    entry = _only_entry()
    assert entry.action == Action.STATUS_CHANGE
    assert entry.details == {"from": "published", "to": "closed"}


def test_an_organiser_publishing_a_need_records_a_publication(
    olga: User, nina: User, taxonomy: dict[str, Any]
):
    need = NeedFactory.create(
        organization=nina.organization,
        domain=taxonomy["civil"],
        region=taxonomy["regions"]["青岛市"],
        status=Need.Status.PENDING_REVIEW,
    )

    need_publish(need=need, reviewer=olga)

    entry = _only_entry()
    assert (entry.action, entry.actor, entry.target_id) == (Action.PUBLISH, olga, need.pk)
    assert entry.details == {"from": "pending_review", "to": "published"}


def test_capability_create_edit_and_status_change_each_record_one_entry(
    bob: User, taxonomy: dict[str, Any]
):
    capability = capability_create(
        organization=bob.organization,
        created_by=bob,
        fields={
            "title": "护理机器人 X1",
            "description": "协助翻身与夜间巡视。",
            "robot_type": taxonomy["care_robot"],
            "maturity": Capability.Maturity.PILOT,
        },
        domains=[taxonomy["civil"]],
        service_regions=[taxonomy["regions"]["青岛市"]],
    )
    capability_update(capability=capability, user=bob, fields={"title": "护理机器人 X2"})
    capability_set_status(capability=capability, user=bob, status=Capability.Status.PUBLISHED)

    entries = list(AuditEntry.objects.order_by("pk"))
    assert [(e.action, e.actor, e.target_id) for e in entries] == [
        (Action.CREATE, bob, capability.pk),
        (Action.EDIT, bob, capability.pk),
        (Action.STATUS_CHANGE, bob, capability.pk),
    ]
    assert entries[1].details == {"fields": ["title"]}
    assert entries[2].details == {"from": "draft", "to": "published"}
    assert {e.target_type for e in entries} == {"marketplace.capability"}


def test_an_export_records_the_model_format_and_row_count(olga: User, taxonomy: dict[str, Any]):
    NeedFactory.create_batch(2, domain=taxonomy["civil"], region=taxonomy["regions"]["青岛市"])

    export_file(entity="needs", queryset=Need.objects.all(), fmt="csv", actor=olga)

    entry = _only_entry()
    assert (entry.action, entry.actor) == (Action.EXPORT, olga)
    assert (entry.target_type, entry.target_id) == ("marketplace.need", None)
    assert entry.details == {"format": "csv", "rows": 2}


def test_exporting_from_the_web_page_records_the_user(alice: User, client: Client):
    client.force_login(alice)

    response = client.get(reverse("dashboard:export", args=["needs", "xlsx"]))

    assert response.status_code == 200
    entry = _only_entry()
    assert (entry.action, entry.actor, entry.details) == (
        Action.EXPORT,
        alice,
        {"format": "xlsx", "rows": 0},
    )


def test_an_entry_made_during_a_request_keeps_the_client_address(
    alice: User, client: Client, settings: Any
):
    # given: no proxy is trusted, so X-Forwarded-For is whatever the client sent
    settings.TRUSTED_PROXY_COUNT = 0
    client.force_login(alice)

    # when
    client.get(
        reverse("dashboard:export", args=["needs", "csv"]),
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )

    # then: the connection's address, never the forgeable header
    assert _only_entry().ip_address == "203.0.113.7"


def test_an_entry_behind_a_trusted_proxy_keeps_the_address_the_proxy_saw(
    alice: User, client: Client, settings: Any
):
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(alice)

    client.get(
        reverse("dashboard:export", args=["needs", "csv"]),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7",
    )

    assert _only_entry().ip_address == "203.0.113.7"


def test_an_entry_made_outside_a_request_has_no_address(olga: User, taxonomy: dict[str, Any]):
    export_file(entity="needs", queryset=Need.objects.all(), fmt="csv", actor=olga)

    assert _only_entry().ip_address is None


def test_event_schedule_and_shortlist_exports_are_recorded(olga: User):
    event = _event(olga)
    AuditEntry.objects.all().delete()  # the creation's entry; only the exports are under test

    schedule_xlsx(event, actor=olga)
    shortlist_csv(event, actor=olga)

    assert list(
        AuditEntry.objects.order_by("pk").values_list("action", "target_id", "details")
    ) == [
        (Action.EXPORT, event.pk, {"file": "schedule"}),
        (Action.EXPORT, event.pk, {"file": "shortlist"}),
    ]


@pytest.mark.usefixtures("taxonomy")
def test_an_import_records_its_upload_and_its_end_but_not_each_row(olga: User):
    upload = SimpleUploadedFile(
        "catalog.json", json.dumps(CATALOG, ensure_ascii=False).encode(), "application/json"
    )

    job = import_job_create(uploaded_file=upload, user=olga)
    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == "succeeded"
    entries = list(AuditEntry.objects.order_by("pk"))
    assert [(e.action, e.actor, e.target_id) for e in entries] == [
        (Action.IMPORT, olga, job.pk),
        (Action.IMPORT_FINISH, olga, job.pk),
    ]
    assert entries[0].details == {"file": "catalog.json"}
    assert entries[1].details == {"status": "succeeded", "summary": job.summary, "errors": 0}


def test_event_create_and_edit_are_recorded(olga: User):
    event = _event(olga)
    event_update(
        event,
        user=olga,
        fields={"venue": "青岛国际博览中心", "name": event.name},
        breaks=[],
        tables=[("1号桌", 1)],
    )

    entries = list(AuditEntry.objects.order_by("pk"))
    assert [(e.action, e.actor, e.target_type, e.target_id) for e in entries] == [
        (Action.CREATE, olga, "marketplace.event", event.pk),
        (Action.EDIT, olga, "marketplace.event", event.pk),
    ]
    assert entries[1].details == {"fields": ["venue"]}


def test_schedule_publish_and_unpublish_are_recorded(olga: User):
    event = _event(olga)
    Event.objects.filter(pk=event.pk).update(schedule_status=Event.ScheduleStatus.DRAFT)
    AuditEntry.objects.all().delete()

    event_schedule_publish(event, olga)
    event.refresh_from_db()
    event_schedule_unpublish(event, olga)

    assert list(AuditEntry.objects.order_by("pk").values_list("action", "actor", "target_id")) == [
        (Action.SCHEDULE_PUBLISH, olga.pk, event.pk),
        (Action.SCHEDULE_UNPUBLISH, olga.pk, event.pk),
    ]


def test_a_deleted_participant_keeps_its_name_in_the_log(
    olga: User, alice: User, taxonomy: dict[str, Any]
):
    need = NeedFactory.create(
        organization=alice.organization,
        domain=taxonomy["civil"],
        region=taxonomy["regions"]["青岛市"],
        status=Need.Status.PUBLISHED,
        expires_at=timezone.now() + timedelta(days=30),
    )
    event = _event(olga, name="对接会")
    participant = participant_register(
        event, user=olga, organization=alice.organization, needs=[need]
    )
    participant_pk = participant.pk
    AuditEntry.objects.all().delete()

    participant_remove(participant, user=olga)

    entry = _only_entry()
    assert (entry.action, entry.actor) == (Action.DELETE, olga)
    assert (entry.target_type, entry.target_id) == ("marketplace.eventparticipant", participant_pk)
    assert entry.target_label.startswith(alice.organization.name)
    assert entry.details == {"event": "对接会", "organization": alice.organization.name}


def test_changes_without_a_person_are_not_recorded(alice: User, taxonomy: dict[str, Any]):
    need_create(organization=alice.organization, created_by=None, fields=_need_fields(taxonomy))

    assert audit_record(actor=None, action=Action.EDIT, target=Need) is None
    assert AuditEntry.objects.count() == 0


def test_the_entry_survives_the_deletion_of_its_actor(olga: User, newcomer: Organization):
    organization_approve(organization=newcomer, reviewer=olga)

    olga.delete()

    entry = _only_entry()
    assert (entry.actor, entry.actor_email) == (None, "olga@office.example.com")


# --- Same transaction ---------------------------------------------------------------------------


def test_a_rolled_back_change_leaves_no_entry(olga: User, newcomer: Organization):
    with pytest.raises(RuntimeError), transaction.atomic():
        organization_approve(organization=newcomer, reviewer=olga)
        raise RuntimeError("a later step fails")

    newcomer.refresh_from_db()
    assert newcomer.review_status == Organization.ReviewStatus.PENDING
    assert AuditEntry.objects.count() == 0


def test_a_refused_change_leaves_no_entry(bob: User, newcomer: Organization):
    with pytest.raises(Exception):  # noqa: B017  # PermissionDenied; what matters is no entry
        organization_approve(organization=newcomer, reviewer=bob)

    assert AuditEntry.objects.count() == 0


# --- The organisers' page -----------------------------------------------------------------------


@pytest.fixture
def logged(olga: User, alice: User, bob: User, newcomer: Organization) -> dict[str, AuditEntry]:
    """Three entries: olga approved 新来机构 yesterday; alice and bob exported today."""
    approval = audit_record(actor=olga, action=Action.APPROVE, target=newcomer)
    need_export = audit_record(actor=alice, action=Action.EXPORT, target=Need, details={"rows": 3})
    capability_export = audit_record(actor=bob, action=Action.EXPORT, target=Capability)
    assert approval and need_export and capability_export
    AuditEntry.objects.filter(pk=approval.pk).update(created_at=timezone.now() - timedelta(days=1))
    return {
        "approval": approval,
        "need_export": need_export,
        "capability_export": capability_export,
    }


def _listed(client: Client, **query: str) -> list[int]:
    response = client.get(reverse("audit:audit_log"), query)
    assert response.status_code == 200
    return [entry.pk for entry in response.context["page"]]


def test_the_page_lists_entries_newest_first(olga: User, client: Client, logged: dict[str, Any]):
    client.force_login(olga)

    response = client.get(reverse("audit:audit_log"))

    assert [entry.pk for entry in response.context["page"]] == [
        logged["capability_export"].pk,
        logged["need_export"].pk,
        logged["approval"].pk,
    ]
    text = response.content.decode()
    assert "审核通过" in text
    assert "alice@yihe.example.com" in text
    assert "行数：3" in text
    assert reverse("audit:audit_log") in text  # the nav links to it


def test_the_page_filters_by_action_actor_target_type_and_date(
    olga: User, client: Client, logged: dict[str, Any]
):
    client.force_login(olga)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()

    assert _listed(client, action="approve") == [logged["approval"].pk]
    assert _listed(client, actor="ALICE@") == [logged["need_export"].pk]
    assert _listed(client, target_type="marketplace.capability") == [logged["capability_export"].pk]
    assert _listed(client, date_to=yesterday) == [logged["approval"].pk]
    assert _listed(client, date_from=timezone.localdate().isoformat(), action="export") == [
        logged["capability_export"].pk,
        logged["need_export"].pk,
    ]


def test_the_page_is_paginated(olga: User, client: Client, settings: Any, newcomer: Organization):
    settings.MARKETPLACE_PAGE_SIZE = 2
    for _ in range(3):
        audit_record(actor=olga, action=Action.EDIT, target=newcomer)
    client.force_login(olga)

    response = client.get(reverse("audit:audit_log"), {"page": 2})

    assert len(response.context["page"]) == 1
    assert response.context["page"].paginator.num_pages == 2


@pytest.mark.parametrize("name", ["alice", "bob", "nina"])
def test_others_are_answered_404(name: str, request: pytest.FixtureRequest, client: Client):
    client.force_login(request.getfixturevalue(name))

    assert client.get(reverse("audit:audit_log")).status_code == 404


# --- The API --------------------------------------------------------------------------------------


def test_the_api_lists_and_filters_for_organisers(olga: User, alice: User, logged: dict[str, Any]):
    client = APIClient()
    client.force_authenticate(olga)

    response = client.get("/api/v1/audit/", {"action": "export", "actor": "bob"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0] | {"created_at": None} == {
        "id": logged["capability_export"].pk,
        "action": "export",
        "actor": logged["capability_export"].actor_id,
        "actor_email": "bob@kangtu.example.com",
        "target_type": "marketplace.capability",
        "target_id": None,
        "target_label": "能力/产品",
        "details": {},
        "ip_address": None,
        "created_at": None,
    }
    client.force_authenticate(alice)
    assert client.get("/api/v1/audit/").status_code == 403


# --- Nobody edits the log -------------------------------------------------------------------------


def test_the_admin_shows_entries_but_cannot_add_change_or_delete_them(
    client: Client, logged: dict[str, Any]
):
    admin = UserFactory.create(email="root@example.com", is_staff=True, is_superuser=True)
    client.force_login(admin)
    entry = logged["approval"]
    changelist = reverse("admin:marketplace_auditentry_changelist")
    change = reverse("admin:marketplace_auditentry_change", args=[entry.pk])

    assert client.get(changelist).status_code == 200
    assert client.get(change).status_code == 200  # a read-only view
    assert client.post(change, {"actor_email": "x@example.com"}).status_code == 403
    assert client.get(reverse("admin:marketplace_auditentry_add")).status_code == 403
    delete = reverse("admin:marketplace_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302)
    entry.refresh_from_db()
    assert entry.actor_email == "olga@office.example.com"
    assert AuditEntry.objects.count() == 3
