"""Need rules: visibility, submission, review, history, renewal and expiry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from accounts.models import Organization, User
from marketplace.models import Need, NeedRevision
from marketplace.needs.services import (
    need_create,
    need_expire_due,
    need_renew,
    need_set_status,
    need_submit,
    need_update,
)
from marketplace.reviews.services import organization_approve, organization_reject
from tests.marketplace.factories import NeedFactory


def _fields(taxonomy: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    fields = {
        "title": "夜间巡查机器人",
        "description": "夜里走廊需要巡查，发现老人跌倒及时通知护工。",
        "domain": taxonomy["civil"],
        "region": taxonomy["regions"]["青岛市"],
        "budget_min_cny": 10000,
        "budget_max_cny": 60000,
    }
    fields.update(overrides)
    return fields


def test_submitted_need_of_an_approved_institution_is_published(alice: User, taxonomy: Any) -> None:
    need = need_create(
        organization=alice.organization,
        created_by=alice,
        fields=_fields(taxonomy),
        categories=[taxonomy["delivery"]],
        submit=True,
    )
    assert need.status == Need.Status.PUBLISHED
    assert need.published_at is not None
    assert need.expires_at is not None
    assert (need.expires_at - need.published_at).days == 180
    assert need.embedding_dirty is True


def test_need_of_an_unapproved_institution_waits_and_is_invisible(
    nina: User, alice: User, bob: User, olga: User, taxonomy: Any
) -> None:
    need = need_create(
        organization=nina.organization, created_by=nina, fields=_fields(taxonomy), submit=True
    )
    assert need.status == Need.Status.PENDING_REVIEW
    assert list(Need.objects.visible_to(bob)) == []
    assert list(Need.objects.visible_to(alice)) == []
    assert list(Need.objects.visible_to(nina)) == [need]
    assert list(Need.objects.visible_to(olga)) == [need]

    organization_approve(organization=nina.organization, reviewer=olga)

    need.refresh_from_db()
    assert need.status == Need.Status.PUBLISHED
    assert list(Need.objects.visible_to(bob)) == [need]


def test_only_organisers_approve_organisations(nina: User, bob: User) -> None:
    with pytest.raises(PermissionDenied):
        organization_approve(organization=nina.organization, reviewer=bob)
    nina.organization.refresh_from_db()
    assert nina.organization.review_status == Organization.ReviewStatus.PENDING


def test_rejected_organisation_posts_stay_hidden(
    nina: User, olga: User, bob: User, taxonomy: Any
) -> None:
    need = NeedFactory.create(organization=nina.organization, status=Need.Status.PUBLISHED)
    organization_reject(organization=nina.organization, reviewer=olga, note="材料不全")
    assert nina.organization.review_note == "材料不全"
    assert need not in Need.objects.visible_to(bob)


def test_drafts_are_visible_only_to_their_own_organisation(
    alice: User, bob: User, victor: User, taxonomy: Any
) -> None:
    draft = NeedFactory.create(organization=alice.organization, status=Need.Status.DRAFT)
    assert draft in Need.objects.visible_to(alice)
    assert draft not in Need.objects.visible_to(bob)
    assert draft not in Need.objects.published()


def test_vendor_cannot_create_a_need(bob: User, taxonomy: Any) -> None:
    with pytest.raises(ValidationError):
        need_create(organization=bob.organization, created_by=bob, fields=_fields(taxonomy))
    assert Need.objects.count() == 0


def test_budget_minimum_above_maximum_is_refused(alice: User, taxonomy: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        need_create(
            organization=alice.organization,
            created_by=alice,
            fields=_fields(taxonomy, budget_min_cny=90000, budget_max_cny=10000),
        )
    assert "budget_max_cny" in caught.value.message_dict
    assert Need.objects.count() == 0


def test_database_refuses_a_budget_minimum_above_maximum(alice: User, taxonomy: Any) -> None:
    need = NeedFactory.create(organization=alice.organization)
    need.budget_min_cny, need.budget_max_cny = 9, 1
    with pytest.raises(IntegrityError):
        need.save()


def test_category_from_another_domain_is_refused(alice: User, taxonomy: Any) -> None:
    from marketplace.models import ServiceCategory

    port = ServiceCategory.objects.create(
        code="container_handling", domain=taxonomy["health"], name_zh="集装箱装卸"
    )
    with pytest.raises(ValidationError) as caught:
        need_create(
            organization=alice.organization,
            created_by=alice,
            fields=_fields(taxonomy),
            categories=[port],
        )
    assert "categories" in caught.value.message_dict
    assert Need.objects.count() == 0


def test_editing_a_published_need_keeps_its_history(alice: User, taxonomy: Any) -> None:
    need = need_create(
        organization=alice.organization, created_by=alice, fields=_fields(taxonomy), submit=True
    )
    need.embedding_dirty = False
    need.save()

    need_update(need=need, user=alice, fields={"title": "夜间巡查与跌倒报警机器人"})

    revision = NeedRevision.objects.get(need=need)
    assert revision.snapshot["title"] == "夜间巡查机器人"
    assert revision.edited_by == alice
    need.refresh_from_db()
    assert need.title == "夜间巡查与跌倒报警机器人"
    assert need.embedding_dirty is True


def test_editing_a_draft_keeps_no_history(alice: User, taxonomy: Any) -> None:
    need = need_create(organization=alice.organization, created_by=alice, fields=_fields(taxonomy))
    need_update(need=need, user=alice, fields={"title": "改个标题"})
    assert NeedRevision.objects.count() == 0


def test_another_institution_cannot_edit_a_need(
    alice: User, taxonomy: Any, newcomer: Organization
) -> None:
    from tests.accounts.factories import UserFactory

    other = UserFactory.create(
        organization=Organization.objects.create(
            name="别家", kind="demand", sub_type="elder_care", review_status="approved"
        )
    )
    need = NeedFactory.create(organization=alice.organization, title="原标题")
    with pytest.raises(PermissionDenied):
        need_update(need=need, user=other, fields={"title": "被改了"})
    need.refresh_from_db()
    assert need.title == "原标题"
    assert NeedRevision.objects.count() == 0


def test_expiry_marks_only_needs_past_their_date(alice: User, taxonomy: Any) -> None:
    now = timezone.now()
    due = NeedFactory.create(organization=alice.organization, expires_at=now - timedelta(days=1))
    fresh = NeedFactory.create(organization=alice.organization, expires_at=now + timedelta(days=1))
    draft = NeedFactory.create(
        organization=alice.organization,
        status=Need.Status.DRAFT,
        expires_at=now - timedelta(days=1),
    )

    assert need_expire_due() == 1
    assert need_expire_due() == 0  # running twice does nothing more

    statuses = {n.pk: n.status for n in Need.objects.all()}
    assert statuses == {due.pk: "expired", fresh.pk: "published", draft.pk: "draft"}


def test_renewing_an_expired_need_publishes_it_again(alice: User, taxonomy: Any) -> None:
    need = NeedFactory.create(organization=alice.organization, status=Need.Status.EXPIRED)
    need_renew(need=need, user=alice)
    need.refresh_from_db()
    assert need.status == Need.Status.PUBLISHED
    assert need.expires_at is not None and need.expires_at > timezone.now() + timedelta(days=179)


def test_status_moves_follow_the_allowed_path(alice: User, taxonomy: Any) -> None:
    need = NeedFactory.create(organization=alice.organization, status=Need.Status.PUBLISHED)
    need_set_status(need=need, user=alice, status=Need.Status.IN_TALKS)
    need_set_status(need=need, user=alice, status=Need.Status.FULFILLED)
    with pytest.raises(ValidationError):
        need_set_status(need=need, user=alice, status=Need.Status.DRAFT)
    need.refresh_from_db()
    assert need.status == Need.Status.FULFILLED


def test_submitting_twice_is_refused(alice: User, taxonomy: Any) -> None:
    need = NeedFactory.create(organization=alice.organization, status=Need.Status.DRAFT)
    need_submit(need=need, user=alice)
    with pytest.raises(ValidationError):
        need_submit(need=need, user=alice)


def test_an_edit_that_changes_nothing_writes_nothing(alice: User, taxonomy: Any) -> None:
    from marketplace.models import AuditEntry

    need = need_create(
        organization=alice.organization, created_by=alice, fields=_fields(taxonomy), submit=True
    )
    Need.objects.filter(pk=need.pk).update(embedding_dirty=False)
    need.refresh_from_db()
    updated_at, audit_entries = need.updated_at, AuditEntry.objects.count()

    need_update(need=need, user=alice, fields=_fields(taxonomy), categories=[])

    need.refresh_from_db()
    assert (need.updated_at, need.embedding_dirty) == (updated_at, False)
    assert NeedRevision.objects.count() == 0
    assert AuditEntry.objects.count() == audit_entries


def test_a_budget_edit_re_ranks_but_keeps_the_vector(alice: User, taxonomy: Any) -> None:
    need = need_create(
        organization=alice.organization, created_by=alice, fields=_fields(taxonomy), submit=True
    )
    Need.objects.filter(pk=need.pk).update(embedding_dirty=False)
    need.refresh_from_db()
    updated_at = need.updated_at

    need_update(need=need, user=alice, fields={"budget_max_cny": 80000})

    need.refresh_from_db()
    assert need.budget_max_cny == 80000
    assert need.updated_at > updated_at  # its stored match lists are out of date
    assert need.embedding_dirty is False  # the encoder reads no budget
    assert NeedRevision.objects.count() == 1
