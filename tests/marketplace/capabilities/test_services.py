from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from marketplace.capabilities.services import (
    capability_create,
    capability_set_status,
    capability_update,
)
from marketplace.models import Capability


def _create(user: User, taxonomy: Any, **overrides: Any) -> Capability:
    fields = {
        "title": "下肢康复外骨骼",
        "description": "帮助中风后老人做步行训练。",
        "robot_type": taxonomy["exoskeleton"],
        "maturity": Capability.Maturity.PILOT,
        "price_min_cny": 100000,
        "price_max_cny": 200000,
    }
    fields.update(overrides)
    return capability_create(
        organization=user.organization,
        created_by=user,
        fields=fields,
        domains=[taxonomy["civil"]],
        categories=[taxonomy["rehab"]],
        service_regions=[taxonomy["regions"]["山东省"]],
        publish=True,
    )


def test_vendor_publishes_a_profile_visible_to_everyone(
    bob: User, alice: User, taxonomy: Any
) -> None:
    capability = _create(bob, taxonomy)
    assert capability.status == Capability.Status.PUBLISHED
    assert list(Capability.objects.visible_to(alice)) == [capability]
    assert [r.name for r in capability.service_regions.all()] == ["山东省"]


def test_demand_organisation_cannot_publish_a_profile(alice: User, taxonomy: Any) -> None:
    with pytest.raises(ValidationError):
        _create(alice, taxonomy)
    assert Capability.objects.count() == 0


def test_price_minimum_above_maximum_is_refused(bob: User, taxonomy: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(bob, taxonomy, price_min_cny=300000, price_max_cny=1)
    assert "price_max_cny" in caught.value.message_dict
    assert Capability.objects.count() == 0


def test_other_vendor_cannot_edit_or_archive(bob: User, victor: User, taxonomy: Any) -> None:
    capability = _create(bob, taxonomy)
    with pytest.raises(PermissionDenied):
        capability_update(capability=capability, user=victor, fields={"title": "抢过来"})
    with pytest.raises(PermissionDenied):
        capability_set_status(capability=capability, user=victor, status="archived")
    capability.refresh_from_db()
    assert (capability.title, capability.status) == ("下肢康复外骨骼", "published")


def test_archived_profile_is_hidden_from_others(bob: User, alice: User, taxonomy: Any) -> None:
    capability = _create(bob, taxonomy)
    capability_set_status(capability=capability, user=bob, status="archived")
    assert list(Capability.objects.visible_to(alice)) == []
    assert list(Capability.objects.visible_to(bob)) == [capability]


def test_an_edit_that_changes_nothing_writes_nothing(bob: User, taxonomy: Any) -> None:
    capability = _create(bob, taxonomy)
    Capability.objects.filter(pk=capability.pk).update(embedding_dirty=False)
    capability.refresh_from_db()
    updated_at = capability.updated_at

    capability_update(
        capability=capability,
        user=bob,
        fields={"title": "下肢康复外骨骼", "price_min_cny": 100000},
        domains=[taxonomy["civil"]],
        categories=[taxonomy["rehab"]],
    )

    capability.refresh_from_db()
    assert (capability.updated_at, capability.embedding_dirty) == (updated_at, False)


def test_only_a_change_of_the_words_marks_a_profile_for_a_new_vector(
    bob: User, taxonomy: Any
) -> None:
    capability = _create(bob, taxonomy)
    Capability.objects.filter(pk=capability.pk).update(embedding_dirty=False)
    capability.refresh_from_db()

    capability_update(capability=capability, user=bob, fields={"price_min_cny": 90000})
    capability.refresh_from_db()
    assert (capability.price_min_cny, capability.embedding_dirty) == (90000, False)

    capability_update(capability=capability, user=bob, fields={"key_specs": "续航 4 小时"})
    capability.refresh_from_db()
    assert capability.embedding_dirty is True
