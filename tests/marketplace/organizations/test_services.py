"""Editing an organisation through its service."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from marketplace.models import AuditEntry
from marketplace.organizations.services import organization_update


def test_organisation_update_refuses_a_sub_type_of_another_kind(alice: User) -> None:
    organization = alice.organization
    assert organization is not None
    with pytest.raises(ValidationError):
        organization_update(
            organization=organization, user=alice, fields={"sub_type": "robot_maker"}
        )
    organization.refresh_from_db()
    assert organization.sub_type == "elder_care"
    assert not AuditEntry.objects.exists()


def test_organisation_update_refuses_a_field_that_is_not_editable(alice: User) -> None:
    organization = alice.organization
    assert organization is not None
    with pytest.raises(ValueError, match="review_status"):
        organization_update(
            organization=organization, user=alice, fields={"review_status": "approved"}
        )
    assert not AuditEntry.objects.exists()
