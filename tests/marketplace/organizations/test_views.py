"""The page where an organisation's members edit it, and the audit entry an edit leaves."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from accounts.models import Organization, User
from marketplace.models import AuditEntry

EDIT = reverse("organizations:edit")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(organization: Organization, **overrides: str) -> dict[str, Any]:
    """The edit form as the page fills it in, with ``overrides`` typed over it."""
    fields = (
        "name",
        "sub_type",
        "district",
        "city",
        "contact_person",
        "phone",
        "email",
        "website",
        "introduction",
    )
    return {name: getattr(organization, name) for name in fields} | overrides


def test_the_edit_page_keeps_its_public_path() -> None:
    assert EDIT == "/accounts/organization/edit/"


def test_a_member_edits_the_organisation_through_the_service(alice: User) -> None:
    # when
    response = _client(alice).post(
        EDIT,
        {
            "name": "颐和苑康养中心",
            "sub_type": "elder_care",
            "district": "崂山区",
            "city": "青岛市",
            "contact_person": "李院长",
            "phone": "0532-88888888",
            "email": "office@yihe.example.com",
            "website": "",
            "introduction": "",
            "kind": "vendor",  # not a field of the form: ignored
        },
    )

    # then
    assert alice.organization_id is not None
    organization = Organization.objects.get(pk=alice.organization_id)
    assert response["Location"] == organization.get_absolute_url()
    assert organization.name == "颐和苑康养中心"
    assert organization.contact_person == "李院长"
    assert organization.kind == Organization.Kind.DEMAND


def test_an_edit_on_the_page_writes_one_audit_entry_naming_the_changes(
    alice: User, yihe: Organization
) -> None:
    # when
    response = _client(alice).post(EDIT, _form(yihe, name="颐和苑康养中心", phone="0532-88888888"))

    # then
    assert response.status_code == 302
    entry = AuditEntry.objects.get()
    assert entry.actor == alice
    assert entry.action == AuditEntry.Action.EDIT
    assert (entry.target_type, entry.target_id) == ("accounts.organization", yihe.pk)
    assert entry.details == {
        "fields": ["name", "phone"],
        "changes": {"name": ["颐和苑养老中心", "颐和苑康养中心"]},
    }


def test_saving_the_page_unchanged_writes_no_audit_entry(alice: User, yihe: Organization) -> None:
    response = _client(alice).post(EDIT, _form(yihe, name=" 颐和苑养老中心 "))

    assert response.status_code == 302
    assert not AuditEntry.objects.exists()


def test_a_sub_type_of_another_kind_is_refused_on_edit(alice: User) -> None:
    response = _client(alice).post(
        EDIT,
        {"name": "颐和苑", "sub_type": "robot_maker", "city": "青岛市"},
    )

    alice.organization.refresh_from_db()
    assert "sub_type" in response.context["form"].errors
    assert alice.organization.sub_type == "elder_care"
    assert not AuditEntry.objects.exists()


def test_renaming_to_another_organisations_name_is_refused_next_to_the_field(
    alice: User, yihe: Organization, kangning: Organization
) -> None:
    response = _client(alice).post(EDIT, _form(yihe, name=" 康宁 护理院", phone="1"))

    alice.organization.refresh_from_db()
    assert response.context["form"].errors["name"] == ["已有机构使用这个名称，请换一个。"]
    assert alice.organization.name == "颐和苑养老中心"
    assert alice.organization.phone == "0532-80000000"
    assert not AuditEntry.objects.exists()


def test_the_audit_log_shows_the_old_and_new_name(
    alice: User, olga: User, yihe: Organization
) -> None:
    # given
    _client(alice).post(EDIT, _form(yihe, name="颐和苑康养中心"))

    # when
    page = _client(olga).get(reverse("audit:audit_log")).content.decode()

    # then
    assert "颐和苑养老中心 → 颐和苑康养中心" in page
