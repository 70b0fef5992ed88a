"""An organisation exports all its data; a user deletes their account (the last one, the
organisation with it).

The world: 颐和苑 (alice) has a need with a revision, talks with 康途 (bob, in talks: contacts
shown) and has a new lead from 另一家供应商 (victor, not in talks: contacts hidden), whom it
meets at a fair. 海景养老院 has a need and a lead of its own that no export of 颐和苑 may show.
康途 uploaded an image, a spec sheet and a proposal.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Organization, User
from marketplace.models import (
    AuditEntry,
    Capability,
    Event,
    EventParticipant,
    EventTable,
    Lead,
    Meeting,
    Need,
    NeedRevision,
    Notification,
)
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.conftest import PASSWORD
from tests.marketplace.factories import CapabilityFactory, LeadFactory, NeedFactory

IMAGE = b"\x89PNG\r\n\x1a\n kangtu image"
SPEC_SHEET = b"%PDF-1.4 kangtu spec sheet"
PROPOSAL = b"%PDF-1.4 kangtu proposal"


@dataclass
class DataWorld:
    need: Need
    kangtu_capability: Capability
    rival_capability: Capability
    talks_lead: Lead
    new_lead: Lead
    haijing: Organization
    haijing_need: Need
    haijing_lead: Lead
    event: Event
    meeting: Meeting


@pytest.fixture
def data_world(
    alice: User,
    bob: User,
    victor: User,
    olga: User,
    yihe: Organization,
    kangtu: Organization,
    rival: Organization,
    office: Organization,
) -> DataWorld:
    Organization.objects.filter(pk=kangtu.pk).update(phone="0532-11110000")
    Organization.objects.filter(pk=rival.pk).update(
        contact_person="王经理", phone="0532-99990000", email="secret@rival.example.com"
    )
    need = NeedFactory.create(organization=alice.organization, title="送餐机器人")
    NeedRevision.objects.create(need=need, snapshot={"title": "旧标题：送餐"}, edited_by=alice)
    kangtu_capability = CapabilityFactory.create(organization=bob.organization, title="配送")
    kangtu_capability.image.save("photo.png", ContentFile(IMAGE))
    kangtu_capability.spec_sheet.save("spec.pdf", ContentFile(SPEC_SHEET))
    rival_capability = CapabilityFactory.create(organization=victor.organization, title="巡检")
    talks_lead = LeadFactory.create(
        need=need,
        capability=kangtu_capability,
        status=Lead.Status.IN_TALKS,
        demand_decision=Lead.DemandDecision.ACCEPTED,
        message="可以试点",
    )
    talks_lead.proposal.save("proposal.pdf", ContentFile(PROPOSAL))
    new_lead = LeadFactory.create(need=need, capability=rival_capability)
    haijing = OrganizationFactory.create(name="海景养老院", kind="demand", sub_type="elder_care")
    haijing_need = NeedFactory.create(organization=haijing, title="海景的夜间巡查")
    haijing_lead = LeadFactory.create(need=haijing_need, capability=rival_capability)
    Notification.objects.create(user=alice, kind="response", key="a", title="康途回复了")
    Notification.objects.create(user=bob, kind="new_lead", key="b", title="康途的新线索")
    event = Event.objects.create(
        organizer=office, name="对接会", date=date.today(), schedule_status="published"
    )
    table = EventTable.objects.create(event=event, name="1号桌")
    yihe_at_fair = EventParticipant.objects.create(event=event, organization=yihe, role="demand")
    rival_at_fair = EventParticipant.objects.create(event=event, organization=rival, role="vendor")
    meeting = Meeting.objects.create(
        event=event,
        demand=yihe_at_fair,
        vendor=rival_at_fair,
        slot=0,
        table=table,
        attendance="met",
        outcome="pilot",
    )
    return DataWorld(
        need=need,
        kangtu_capability=kangtu_capability,
        rival_capability=rival_capability,
        talks_lead=talks_lead,
        new_lead=new_lead,
        haijing=haijing,
        haijing_need=haijing_need,
        haijing_lead=haijing_lead,
        event=event,
        meeting=meeting,
    )


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _api_client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _archive(response: Any) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _export_url(organization: Organization) -> str:
    return reverse("privacy:organization_export", args=[organization.pk])


# --- Export ---------------------------------------------------------------------------------------


def test_a_member_downloads_a_zip_named_after_the_organisation_and_date(
    alice: User, data_world: DataWorld
) -> None:
    # when
    response = _client(alice).get(_export_url(alice.organization))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    stamp = f"{timezone.localdate():%Y%m%d}"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert f"robomatch-{alice.organization_id}-" in disposition
    assert f"-{stamp}.zip" in disposition
    assert _archive(response).namelist() == ["data.json"]


def test_the_export_holds_the_organisations_data_and_no_one_elses(
    alice: User, data_world: DataWorld
) -> None:
    # when
    archive = _archive(_client(alice).get(_export_url(alice.organization)))

    # then
    text = archive.read("data.json").decode()
    data = json.loads(text)
    assert data["organization"]["name"] == "颐和苑养老中心"
    assert data["members"] == [
        {
            "id": alice.pk,
            "email": "alice@yihe.example.com",
            "full_name": "Alice",
            "first_name": "",
            "last_name": "",
            "is_active": True,
            "date_joined": data["members"][0]["date_joined"],
            "last_login": data["members"][0]["last_login"],
        }
    ]
    assert [need["title"] for need in data["needs"]] == ["送餐机器人"]
    assert [rev["snapshot"] for rev in data["needs"][0]["revisions"]] == [{"title": "旧标题：送餐"}]
    assert data["capabilities"] == []
    leads = {lead["id"]: lead for lead in data["leads"]}
    assert set(leads) == {data_world.talks_lead.pk, data_world.new_lead.pk}
    assert leads[data_world.talks_lead.pk]["message"] == "可以试点"
    assert leads[data_world.talks_lead.pk]["proposal_attached"] is True
    assert leads[data_world.talks_lead.pk]["proposal"] is None
    assert [n["title"] for n in data["notifications"]] == ["康途回复了"]
    [participation] = data["event_participations"]
    assert participation["event"]["name"] == "对接会"
    [meeting] = participation["meetings"]
    assert (meeting["outcome"], meeting["table"]) == ("pilot", "1号桌")
    # Not another organisation's rows, no password hash.
    assert "海景的夜间巡查" not in text
    assert "康途的新线索" not in text
    assert "password" not in text
    assert "pbkdf2" not in text


def test_the_other_sides_contacts_only_where_both_sides_agreed(
    alice: User, data_world: DataWorld
) -> None:
    # when
    data = json.loads(
        _archive(_client(alice).get(_export_url(alice.organization))).read("data.json")
    )

    # then
    leads = {lead["id"]: lead for lead in data["leads"]}
    assert leads[data_world.talks_lead.pk]["counterpart"] == {
        "id": data_world.kangtu_capability.organization_id,
        "name": "康途机器人",
        "kind": "vendor",
        "contact_person": "张老师",
        "phone": "0532-11110000",
        "email": data_world.kangtu_capability.organization.email,
    }
    hidden = {"contact_person": None, "phone": None, "email": None}
    assert leads[data_world.new_lead.pk]["counterpart"] == {
        "id": data_world.rival_capability.organization_id,
        "name": "另一家供应商",
        "kind": "vendor",
        **hidden,
    }
    meeting_counterpart = data["event_participations"][0]["meetings"][0]["counterpart"]
    assert {name: meeting_counterpart[name] for name in hidden} == hidden
    text = json.dumps(data, ensure_ascii=False)
    assert "0532-99990000" not in text
    assert "secret@rival.example.com" not in text


def test_a_vendors_export_carries_the_files_it_uploaded(bob: User, data_world: DataWorld) -> None:
    # when
    archive = _archive(_client(bob).get(_export_url(bob.organization)))

    # then
    data = json.loads(archive.read("data.json"))
    [capability] = data["capabilities"]
    [lead] = data["leads"]
    assert archive.read(capability["image"]) == IMAGE
    assert archive.read(capability["spec_sheet"]) == SPEC_SHEET
    assert archive.read(lead["proposal"]) == PROPOSAL
    assert lead["proposal"].startswith("files/private/proposals/")
    assert lead["counterpart"]["phone"] == "0532-80000000"
    assert data["missing_files"] == []


@pytest.mark.parametrize(("viewer", "expected"), [("victor", 404), ("nina", 404), ("olga", 200)])
def test_only_members_and_organisers_export(
    viewer: str, expected: int, request: pytest.FixtureRequest, data_world: DataWorld
) -> None:
    # given
    user = request.getfixturevalue(viewer)
    yihe = Organization.objects.get(name="颐和苑养老中心")

    # when
    response = _client(user).get(_export_url(yihe))

    # then
    assert response.status_code == expected


def test_anonymous_visitors_are_sent_to_log_in_before_exporting(yihe: Organization) -> None:
    response = _client(None).get(_export_url(yihe))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_organisation_page_links_members_to_export_and_account_deletion(
    alice: User, bob: User
) -> None:
    own = _client(alice).get(alice.organization.get_absolute_url()).content.decode()
    other = _client(bob).get(alice.organization.get_absolute_url()).content.decode()

    assert _export_url(alice.organization) in own
    assert reverse("privacy:account_delete") in own
    assert _export_url(alice.organization) not in other
    assert reverse("privacy:account_delete") not in other


# --- Deletion -------------------------------------------------------------------------------------


def test_deletion_requires_the_right_password(alice: User, yihe: Organization) -> None:
    # when
    response = _client(alice).post(reverse("privacy:account_delete"), {"password": "wrong"})

    # then
    assert response.status_code == 200
    assert "密码不正确。" in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()
    assert Organization.objects.filter(pk=yihe.pk).exists()


def test_the_deletion_page_warns_the_last_member(alice: User) -> None:
    response = _client(alice).get(reverse("privacy:account_delete"))

    assert response.status_code == 200
    assert "最后一位成员" in response.content.decode()


def test_deleting_the_last_member_removes_the_organisation_its_rows_and_files(
    bob: User,
    data_world: DataWorld,
    file_roots: dict[str, Path],
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    kangtu = bob.organization
    capability = data_world.kangtu_capability
    files = [
        Path(capability.image.path),
        Path(capability.spec_sheet.path),
        Path(data_world.talks_lead.proposal.path),
    ]
    assert all(path.exists() for path in files)
    client = _client(bob)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:account_delete"), {"password": PASSWORD})

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert not User.objects.filter(pk=bob.pk).exists()
    assert not Organization.objects.filter(pk=kangtu.pk).exists()
    assert not Capability.objects.filter(pk=capability.pk).exists()
    assert not Lead.objects.filter(pk=data_world.talks_lead.pk).exists()
    assert not Notification.objects.filter(title="康途的新线索").exists()
    assert [path.exists() for path in files] == [False, False, False]
    # Everyone else's rows stay.
    assert Need.objects.filter(pk=data_world.need.pk).exists()
    assert Capability.objects.filter(pk=data_world.rival_capability.pk).exists()
    assert set(Lead.objects.values_list("pk", flat=True)) == {
        data_world.new_lead.pk,
        data_world.haijing_lead.pk,
    }
    assert Meeting.objects.filter(pk=data_world.meeting.pk).exists()
    assert NeedRevision.objects.filter(need=data_world.need).count() == 1
    # Logged out, told in Chinese.
    home = client.get(reverse("home"))
    assert "_auth_user_id" not in client.session
    assert (
        "账号 bob@kangtu.example.com 及机构“康途机器人”的全部数据已删除。" in home.content.decode()
    )


def test_deleting_one_of_two_members_keeps_the_organisation(
    alice: User, data_world: DataWorld
) -> None:
    # given
    colleague = UserFactory.create(email="carol@yihe.example.com", organization=alice.organization)
    client = _client(alice)

    # when
    response = client.post(reverse("privacy:account_delete"), {"password": PASSWORD})

    # then
    assert response.status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()
    assert list(alice.organization.members.all()) == [colleague]
    assert Need.objects.get(pk=data_world.need.pk).organization_id == alice.organization_id
    assert Lead.objects.filter(need=data_world.need).count() == 2
    assert not Notification.objects.filter(user_id=alice.pk).exists()
    assert NeedRevision.objects.get(need=data_world.need).edited_by is None
    assert "账号 alice@yihe.example.com 已删除。" in client.get(reverse("home")).content.decode()


def test_the_last_member_of_an_organiser_cannot_delete_itself(
    olga: User, data_world: DataWorld
) -> None:
    response = _client(olga).post(reverse("privacy:account_delete"), {"password": PASSWORD})

    assert response.status_code == 200
    assert "组织方的最后一个账号不能自行注销" in response.content.decode()
    assert User.objects.filter(pk=olga.pk).exists()
    assert Event.objects.filter(pk=data_world.event.pk).exists()


# --- API ------------------------------------------------------------------------------------------


def test_the_api_exports_ones_own_organisation(alice: User, data_world: DataWorld) -> None:
    # when
    response = _api_client(alice).get("/api/v1/organizations/me/export/")

    # then
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; ")
    data = json.loads(_archive(response).read("data.json"))
    assert data["organization"]["id"] == alice.organization_id


def test_the_api_export_of_another_organisation_is_404(victor: User, yihe: Organization) -> None:
    response = _api_client(victor).get(f"/api/v1/organizations/{yihe.pk}/export/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_api_deletes_the_account_with_the_right_password_only(
    alice: User, data_world: DataWorld
) -> None:
    # given
    client = _api_client(alice)

    # when
    refused = client.delete("/api/v1/account/", {"password": "wrong"}, format="json")
    deleted = client.delete("/api/v1/account/", {"password": PASSWORD}, format="json")

    # then
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"password": ["密码不正确。"]}
    assert deleted.status_code == 204
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not Organization.objects.filter(pk=data_world.need.organization_id).exists()
    assert Lead.objects.filter(pk=data_world.haijing_lead.pk).exists()


def test_the_deletion_page_speaks_english_when_asked(alice: User) -> None:
    client = _client(alice)

    response = client.get(reverse("privacy:account_delete"), HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert "Delete account" in page
    assert "You are the last member of “颐和苑养老中心”" in page


def test_meetings_of_an_unpublished_schedule_stay_out_of_the_export(
    alice: User, data_world: DataWorld
) -> None:
    # given
    Event.objects.filter(pk=data_world.event.pk).update(schedule_status="draft")

    # when
    data = json.loads(
        _archive(_client(alice).get(_export_url(alice.organization))).read("data.json")
    )

    # then
    [participation] = data["event_participations"]
    assert participation["event"]["schedule_status"] == "draft"
    assert participation["meetings"] == []


# --- Audit log ------------------------------------------------------------------------------------


def _audit_rows() -> list[tuple[str, str, str, str | None, dict[str, Any]]]:
    return [
        (entry.actor_email, entry.action, entry.target_type, entry.target_label, entry.details)
        for entry in AuditEntry.objects.order_by("pk")
    ]


def test_an_organisers_export_of_an_organisation_is_in_the_audit_log(
    olga: User, data_world: DataWorld
) -> None:
    # given
    yihe = Organization.objects.get(name="颐和苑养老中心")

    # when
    response = _client(olga).get(_export_url(yihe))
    log = _client(olga).get(reverse("audit:audit_log")).content.decode()

    # then
    assert response.status_code == 200
    filename = f"robomatch-{yihe.pk}-颐和苑养老中心-{timezone.localdate():%Y%m%d}.zip"
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id) == (olga, AuditEntry.Action.EXPORT, yihe.pk)
    assert (entry.target_type, entry.details) == ("accounts.organization", {"file": filename})
    assert "颐和苑养老中心" in log
    assert filename in log


def test_a_members_api_export_is_in_the_audit_log(alice: User, data_world: DataWorld) -> None:
    _api_client(alice).get("/api/v1/organizations/me/export/")

    assert [row[:4] for row in _audit_rows()] == [
        ("alice@yihe.example.com", "export", "accounts.organization", "颐和苑养老中心")
    ]


def test_a_refused_export_leaves_no_entry(victor: User, yihe: Organization) -> None:
    _api_client(victor).get(f"/api/v1/organizations/{yihe.pk}/export/")

    assert _audit_rows() == []


def test_deleting_the_last_member_records_the_account_and_the_organisation(
    bob: User, olga: User, data_world: DataWorld
) -> None:
    # when
    _client(bob).post(reverse("privacy:account_delete"), {"password": PASSWORD})

    # then: the entries outlive the account and keep who it was
    assert _audit_rows() == [
        (
            "bob@kangtu.example.com",
            "delete",
            "accounts.user",
            "bob@kangtu.example.com",
            {"organization": "康途机器人"},
        ),
        ("bob@kangtu.example.com", "delete", "accounts.organization", "康途机器人", {}),
    ]
    assert set(AuditEntry.objects.values_list("actor", flat=True)) == {None}
    log = _client(olga).get(reverse("audit:audit_log"), {"action": "delete"}).content.decode()
    assert log.count("bob@kangtu.example.com") >= 2


def test_deleting_one_of_two_members_records_the_account_only(alice: User) -> None:
    UserFactory.create(email="carol@yihe.example.com", organization=alice.organization)

    _api_client(alice).delete("/api/v1/account/", {"password": PASSWORD}, format="json")

    assert [row[2] for row in _audit_rows()] == ["accounts.user"]


def test_a_refused_deletion_leaves_no_entry(alice: User, olga: User) -> None:
    _client(alice).post(reverse("privacy:account_delete"), {"password": "wrong"})
    _client(olga).post(reverse("privacy:account_delete"), {"password": PASSWORD})

    assert User.objects.filter(pk__in=[alice.pk, olga.pk]).count() == 2
    assert _audit_rows() == []
