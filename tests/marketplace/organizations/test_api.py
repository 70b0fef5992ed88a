"""Organisations through the API: contact details stay private, editing one's own, reviews."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Organization, User
from marketplace.models import AuditEntry, Need
from tests.accounts.factories import OrganizationFactory
from tests.conftest import ClientFor
from tests.marketplace.factories import NeedFactory

CONTACT = {"contact_person": "张老师", "phone": "0532-80000000"}


@pytest.mark.parametrize(
    ("viewer", "sees_contact"),
    [("anonymous", False), ("alice", True), ("bob", False), ("olga", True)],
)
def test_contact_details_only_for_members_and_organisers(
    viewer: str, sees_contact: bool, request: pytest.FixtureRequest, client_for: ClientFor
) -> None:
    # given
    yihe = request.getfixturevalue("yihe")
    user = None if viewer == "anonymous" else request.getfixturevalue(viewer)

    # when
    response = client_for(user).get(f"/api/v1/organizations/{yihe.pk}/")

    # then
    assert response.status_code == 200
    body = response.json()
    shown = {name: body[name] for name in ("contact_person", "phone", "email")}
    if sees_contact:
        assert shown == {**CONTACT, "email": yihe.email}
    else:
        assert shown == {"contact_person": None, "phone": None, "email": None}


def test_organization_detail_has_exactly_these_fields(
    alice: User, yihe: Organization, client_for: ClientFor
) -> None:
    # when
    body = client_for(alice).get("/api/v1/organizations/me/").json()

    # then
    assert body == {
        "id": alice.organization_id,
        "name": "颐和苑养老中心",
        "kind": "demand",
        "sub_type": "elder_care",
        "district": "崂山区",
        "city": "青岛市",
        "website": "",
        "introduction": "",
        "review_status": "approved",
        "review_note": "",
        "contact_person": "张老师",
        "phone": "0532-80000000",
        "email": yihe.email,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }


def test_list_shows_approved_organisations_and_ones_own(
    nina: User, yihe: Organization, kangtu: Organization, client_for: ClientFor
) -> None:
    # when
    anonymous = client_for(None).get("/api/v1/organizations/").json()
    own = client_for(nina).get("/api/v1/organizations/").json()

    # then
    assert {row["name"] for row in anonymous["results"]} == {"康途机器人", "颐和苑养老中心"}
    assert {row["name"] for row in own["results"]} == {"康途机器人", "新来养老院", "颐和苑养老中心"}


def test_organisers_filter_the_review_queue(
    olga: User, newcomer: Organization, yihe: Organization, client_for: ClientFor
) -> None:
    # when
    response = client_for(olga).get("/api/v1/organizations/", {"review_status": "pending"})

    # then
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [newcomer.pk]


def test_edit_own_organization_strips_and_saves(
    alice: User, yihe: Organization, client_for: ClientFor
) -> None:
    # when
    response = client_for(alice).patch(
        "/api/v1/organizations/me/",
        {"introduction": "  三百张床位  ", "phone": "0532-88886666"},
        format="json",
    )

    # then
    assert response.status_code == 200
    yihe.refresh_from_db()
    assert yihe.introduction == "三百张床位"
    assert yihe.phone == "0532-88886666"
    assert response.json()["introduction"] == "三百张床位"


def test_edit_own_organization_refuses_a_sub_type_of_another_kind(
    alice: User, yihe: Organization, client_for: ClientFor
) -> None:
    # when
    response = client_for(alice).patch(
        "/api/v1/organizations/me/", {"sub_type": "robot_maker", "phone": "1"}, format="json"
    )

    # then
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"sub_type": ["所选细分类型与机构类型不符。"]}
    yihe.refresh_from_db()
    assert (yihe.sub_type, yihe.phone) == (
        "elder_care",
        "0532-80000000",
    )


def test_review_status_cannot_be_edited_by_its_members(
    nina: User, newcomer: Organization, client_for: ClientFor
) -> None:
    # when
    response = client_for(nina).patch(
        "/api/v1/organizations/me/", {"review_status": "approved"}, format="json"
    )

    # then
    assert response.status_code == 200
    newcomer.refresh_from_db()
    assert newcomer.review_status == "pending"


def test_approving_publishes_the_needs_waiting_for_it(
    olga: User, nina: User, taxonomy: dict[str, Any], client_for: ClientFor
) -> None:
    # given
    waiting = NeedFactory.create(
        organization=nina.organization,
        domain=taxonomy["civil"],
        region=taxonomy["regions"]["青岛市"],
        status=Need.Status.PENDING_REVIEW,
    )

    # when
    response = client_for(olga).post(f"/api/v1/organizations/{nina.organization_id}/approve/")

    # then
    assert response.status_code == 200
    assert response.json()["review_status"] == "approved"
    waiting.refresh_from_db()
    assert waiting.status == Need.Status.PUBLISHED
    assert waiting.expires_at is not None
    assert client_for(None).get(f"/api/v1/needs/{waiting.pk}/").status_code == 200


def test_rejection_note_is_shown_to_the_organisation_not_to_others(
    olga: User, nina: User, newcomer: Organization, bob: User, client_for: ClientFor
) -> None:
    # given
    url = f"/api/v1/organizations/{nina.organization_id}/"

    # when
    response = client_for(olga).post(url + "reject/", {"note": " 资料不全 "}, format="json")

    # then
    assert response.status_code == 200
    newcomer.refresh_from_db()
    assert (newcomer.review_status, newcomer.review_note) == (
        "rejected",
        "资料不全",
    )
    assert newcomer.reviewed_by == olga
    assert client_for(nina).get(url).json()["review_note"] == "资料不全"
    assert client_for(bob).get(url).status_code == 404


def test_a_user_without_an_organisation_has_no_me(client_for: ClientFor) -> None:
    # given
    loner = User.objects.create_user(email="loner@example.com", password="x-y-z-123456")

    # when
    response = client_for(loner).get("/api/v1/organizations/me/")

    # then
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("name", ["另一家供应商", " 另一家 供应商 ", "另一家供应商\u3000"])
def test_an_organisation_cannot_rename_itself_to_another_ones_name(
    bob: User, kangtu: Organization, rival: Organization, client_for: ClientFor, name: str
) -> None:
    # when
    response = client_for(bob).patch("/api/v1/organizations/me/", {"name": name}, format="json")

    # then
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"name": ["已有机构使用这个名称，请换一个。"]}
    kangtu.refresh_from_db()
    assert kangtu.name == "康途机器人"


def test_a_latin_name_is_compared_without_case(
    bob: User, kangtu: Organization, client_for: ClientFor
) -> None:
    Organization.objects.filter(pk=kangtu.pk).update(name="KangTu Robotics")
    OrganizationFactory.create(name="Acme Robotics", kind="vendor", sub_type="integrator")

    refused = client_for(bob).patch(
        "/api/v1/organizations/me/", {"name": "acme  ROBOTICS"}, format="json"
    )
    kept = client_for(bob).patch(
        "/api/v1/organizations/me/", {"name": "kangtu robotics"}, format="json"
    )

    assert refused.status_code == 400
    assert kept.status_code == 200


def test_an_edit_through_the_api_writes_one_audit_entry_naming_the_changes(
    bob: User, kangtu: Organization, client_for: ClientFor
) -> None:
    # when
    response = client_for(bob).patch(
        "/api/v1/organizations/me/",
        {"name": "康途智能", "email": "hello@kangtu.example.com", "district": "崂山区 "},
        format="json",
    )

    # then
    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action) == (bob, AuditEntry.Action.EDIT)
    assert (entry.target_type, entry.target_id) == ("accounts.organization", kangtu.pk)
    assert entry.details == {
        "fields": ["name", "email"],  # the district was already 崂山区
        "changes": {
            "name": ["康途机器人", "康途智能"],
            "email": [kangtu.email, "hello@kangtu.example.com"],
        },
    }


def test_an_api_edit_that_changes_nothing_writes_no_audit_entry(
    bob: User, kangtu: Organization, client_for: ClientFor
) -> None:
    response = client_for(bob).patch(
        "/api/v1/organizations/me/", {"name": "康途机器人 ", "phone": kangtu.phone}, format="json"
    )

    assert response.status_code == 200
    assert not AuditEntry.objects.exists()


def test_a_refused_api_edit_writes_no_audit_entry(
    bob: User, kangtu: Organization, rival: Organization, client_for: ClientFor
) -> None:
    response = client_for(bob).patch(
        "/api/v1/organizations/me/", {"name": "另一家供应商", "phone": "1"}, format="json"
    )

    assert response.status_code == 400
    kangtu.refresh_from_db()
    assert kangtu.phone == "0532-80000000"
    assert not AuditEntry.objects.exists()
