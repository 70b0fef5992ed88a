from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Organization, User
from accounts.services import organization_register
from marketplace.leads.models import contact_visible


def _register(**overrides: str) -> User:
    fields = {
        "email": "Director@Qingdao-Care.example.com",
        "password": "a-long-passphrase-2026",
        "full_name": "王主任",
        "organization_name": "城阳区颐养院",
        "kind": "demand",
        "sub_type": "elder_care",
        "district": "城阳区",
    }
    fields.update(overrides)
    return organization_register(**fields)


def test_registration_creates_a_pending_organisation_and_its_first_user(db: None) -> None:
    user = _register()

    assert user.email == "director@qingdao-care.example.com"
    assert user.check_password("a-long-passphrase-2026")
    organization = user.organization
    assert organization is not None
    assert (organization.kind, organization.review_status) == ("demand", "pending")
    assert organization.contact_person == "王主任"
    assert user.is_demand and not user.is_organizer
    assert user.is_awaiting_confirmation


def test_nobody_registers_as_an_organiser(db: None) -> None:
    with pytest.raises(ValidationError) as caught:
        _register(kind="organizer", sub_type="city_office")
    assert "kind" in caught.value.message_dict
    assert Organization.objects.count() == 0


def test_sub_type_must_fit_the_kind(db: None) -> None:
    with pytest.raises(ValidationError) as caught:
        _register(kind="vendor", sub_type="elder_care")
    assert "sub_type" in caught.value.message_dict
    assert User.objects.count() == 0


def test_weak_password_is_refused_and_nothing_is_saved(db: None) -> None:
    with pytest.raises(ValidationError):
        _register(password="12345678")
    assert (User.objects.count(), Organization.objects.count()) == (0, 0)


def test_an_email_registers_once(db: None) -> None:
    _register()
    with pytest.raises(ValidationError) as caught:
        _register(email="director@qingdao-care.example.com", organization_name="另一家")
    assert "email" in caught.value.message_dict
    assert Organization.objects.count() == 1


def test_contact_details_are_private_to_members_and_organisers(
    alice: User, bob: User, olga: User
) -> None:
    from django.contrib.auth.models import AnonymousUser

    yihe = alice.organization
    assert yihe is not None
    assert contact_visible(yihe, alice)
    assert contact_visible(yihe, olga)
    assert not contact_visible(yihe, bob)
    assert not contact_visible(yihe, AnonymousUser())


def test_pending_organisations_are_visible_only_to_themselves_and_organisers(
    nina: User, bob: User, olga: User
) -> None:
    newcomer = nina.organization
    assert newcomer is not None
    assert newcomer in Organization.objects.visible_to(nina)
    assert newcomer in Organization.objects.visible_to(olga)
    assert newcomer not in Organization.objects.visible_to(bob)
