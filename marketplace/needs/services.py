"""Writes to needs: create, edit with history, submit, publish, renew, close and expire."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from marketplace.audit.services import Action, audit_record, changed_fields
from marketplace.matches.features import NEED_TEXT_FIELDS
from marketplace.matches.indexing import embedding_refresh_request
from marketplace.models import (
    Certification,
    Need,
    NeedRevision,
    ProductClass,
    ServiceCategory,
)

NEED_SCALAR_FIELDS = (
    "title",
    "description",
    "domain",
    "site_environment",
    "site_floors",
    "site_has_elevator",
    "site_area_m2",
    "quantity",
    "budget_min_cny",
    "budget_max_cny",
    "budget_basis",
    "region",
    "wanted_by",
)


def _check_categories(need: Need, categories: Iterable[ServiceCategory]) -> None:
    wrong = [category for category in categories if category.domain_id != need.domain_id]
    if wrong:
        raise ValidationError(
            {
                "categories": _("服务类别“%(names)s”不属于所选领域。")
                % {"names": _("、").join(category.display_name for category in wrong)}
            }
        )


def need_snapshot(need: Need) -> dict[str, Any]:
    """A JSON-safe copy of what a person can edit, for the revision history."""
    return {
        "title": need.title,
        "description": need.description,
        "domain": need.domain.code,
        "categories": sorted(need.categories.values_list("code", flat=True)),
        "product_classes": sorted(need.product_classes.values_list("code", flat=True)),
        "site_environment": need.site_environment,
        "site_floors": need.site_floors,
        "site_has_elevator": need.site_has_elevator,
        "site_area_m2": need.site_area_m2,
        "quantity": need.quantity,
        "budget_min_cny": need.budget_min_cny,
        "budget_max_cny": need.budget_max_cny,
        "budget_basis": need.budget_basis,
        "region": need.region.name,
        "required_certifications": sorted(
            need.required_certifications.values_list("name", flat=True)
        ),
        "wanted_by": need.wanted_by.isoformat() if need.wanted_by else None,
        "status": need.status,
    }


def _apply(
    need: Need,
    fields: dict[str, Any],
    categories: Iterable[ServiceCategory] | None,
    product_classes: Iterable[ProductClass] | None,
    required_certifications: Iterable[Certification] | None,
    *,
    text_changed: bool,
) -> None:
    unknown = set(fields) - set(NEED_SCALAR_FIELDS)
    if unknown:
        raise ValueError(f"Unknown need fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(need, name, value)
    # Only a change of what the encoder reads needs a new vector; any change re-ranks the need
    # (its stored lists follow updated_at).
    if text_changed:
        need.embedding_dirty = True
    need.full_clean(exclude=["organization"] if need.organization_id is None else None)
    category_list = list(categories) if categories is not None else None
    if category_list is not None:
        _check_categories(need, category_list)
    elif need.pk is not None and "domain" in fields:
        # A partial edit of the domain alone: the stored categories must still belong to it.
        _check_categories(need, need.categories.all())
    need.save()
    if category_list is not None:
        need.categories.set(category_list)
    if product_classes is not None:
        need.product_classes.set(list(product_classes))
    if required_certifications is not None:
        need.required_certifications.set(list(required_certifications))
    embedding_refresh_request()


@transaction.atomic
def need_create(
    *,
    organization: Organization,
    created_by: User | None,
    fields: dict[str, Any],
    categories: Iterable[ServiceCategory] = (),
    product_classes: Iterable[ProductClass] = (),
    required_certifications: Iterable[Certification] = (),
    submit: bool = False,
) -> Need:
    if organization.kind != Organization.Kind.DEMAND:
        raise ValidationError({"organization": _("只有需求方机构可以发布需求。")})
    need = Need(organization=organization, created_by=created_by, status=Need.Status.DRAFT)
    _apply(need, fields, categories, product_classes, required_certifications, text_changed=True)
    audit_record(actor=created_by, action=Action.CREATE, target=need)
    if submit:
        need_submit(need=need, user=created_by)
    return need


@transaction.atomic
def need_update(
    *,
    need: Need,
    user: User | None,
    fields: dict[str, Any],
    categories: Iterable[ServiceCategory] | None = None,
    product_classes: Iterable[ProductClass] | None = None,
    required_certifications: Iterable[Certification] | None = None,
) -> Need:
    """Edit a need; a need others can already see keeps a snapshot of what it said before.

    An edit that changes nothing writes nothing (no save, revision or audit entry), and only a
    change of what the encoder reads marks the need for a new vector."""
    if user is not None and not Need.objects.editable_by(user).filter(pk=need.pk).exists():
        raise PermissionDenied
    relations = {
        "categories": categories,
        "product_classes": product_classes,
        "required_certifications": required_certifications,
    }
    changed = changed_fields(need, fields, relations)
    if not changed:
        return need
    if need.status in Need.PUBLIC_STATUSES:
        NeedRevision.objects.create(need=need, snapshot=need_snapshot(need), edited_by=user)
    _apply(
        need,
        fields,
        categories,
        product_classes,
        required_certifications,
        text_changed=bool(NEED_TEXT_FIELDS.intersection(changed)),
    )
    audit_record(actor=user, action=Action.EDIT, target=need, details={"fields": changed})
    return need


def _moved(before: str, need: Need) -> dict[str, str]:
    return {"from": before, "to": need.status}


def mark_published(need: Need, now: datetime) -> None:
    """Set the published state and a fresh expiry date; the caller saves."""
    need.status = Need.Status.PUBLISHED
    need.published_at = need.published_at or now
    need.expires_at = now + timedelta(days=settings.MARKETPLACE_NEED_EXPIRY_DAYS)
    need.embedding_dirty = True


@transaction.atomic
def need_submit(*, need: Need, user: User | None) -> Need:
    """Draft → published when the organisation is approved, otherwise → pending review."""
    if need.status not in (Need.Status.DRAFT, Need.Status.PENDING_REVIEW):
        raise ValidationError({"status": _("只有草稿可以提交。")})
    before = need.status
    if need.organization.is_approved:
        mark_published(need, timezone.now())
    else:
        need.status = Need.Status.PENDING_REVIEW
    need.save()
    audit_record(actor=user, action=Action.STATUS_CHANGE, target=need, details=_moved(before, need))
    return need


@transaction.atomic
def need_publish(*, need: Need, reviewer: User) -> Need:
    if not reviewer.is_organizer:
        raise PermissionDenied
    if need.status not in (Need.Status.DRAFT, Need.Status.PENDING_REVIEW, Need.Status.EXPIRED):
        raise ValidationError({"status": _("该需求当前状态不能发布。")})
    before = need.status
    mark_published(need, timezone.now())
    need.save()
    audit_record(actor=reviewer, action=Action.PUBLISH, target=need, details=_moved(before, need))
    return need


@transaction.atomic
def need_renew(*, need: Need, user: User) -> Need:
    """Push the expiry date out again; an expired need comes back as published."""
    if not Need.objects.editable_by(user).filter(pk=need.pk).exists():
        raise PermissionDenied
    if need.status not in (Need.Status.PUBLISHED, Need.Status.EXPIRED):
        raise ValidationError({"status": _("只有已发布或已过期的需求可以续期。")})
    mark_published(need, timezone.now())
    need.save()
    return need


@transaction.atomic
def need_set_status(*, need: Need, user: User, status: str) -> Need:
    """Close, mark in talks or fulfilled: moves a person may make on their own need."""
    allowed: dict[str, set[str]] = {
        Need.Status.PUBLISHED: {Need.Status.IN_TALKS, Need.Status.FULFILLED, Need.Status.CLOSED},
        Need.Status.IN_TALKS: {Need.Status.PUBLISHED, Need.Status.FULFILLED, Need.Status.CLOSED},
        Need.Status.DRAFT: {Need.Status.CLOSED},
        Need.Status.PENDING_REVIEW: {Need.Status.CLOSED},
        Need.Status.EXPIRED: {Need.Status.CLOSED},
    }
    if not Need.objects.editable_by(user).filter(pk=need.pk).exists():
        raise PermissionDenied
    if status not in allowed.get(need.status, set()):
        raise ValidationError(
            {
                "status": _("不能从“%(current)s”改为该状态。")
                % {"current": need.get_status_display()}
            }
        )
    before = need.status
    need.status = status
    need.save(update_fields=["status", "updated_at"])
    audit_record(actor=user, action=Action.STATUS_CHANGE, target=need, details=_moved(before, need))
    return need


@transaction.atomic
def need_expire_due(*, now: datetime | None = None) -> int:
    """Mark published needs past their expiry date as expired; returns how many."""
    return Need.objects.due_to_expire(now).update(status=Need.Status.EXPIRED)


@transaction.atomic
def need_reading_confirm(
    *,
    need: Need,
    user: User,
    categories: Iterable[ServiceCategory],
    product_classes: Iterable[ProductClass],
) -> Need:
    """Add the suggested categories and product classes the institution confirmed to the
    need: an edit like any other (history, audit entry, a new vector and ranking)."""
    return need_update(
        need=need,
        user=user,
        fields={},
        categories=[*need.categories.all(), *categories],
        product_classes=[*need.product_classes.all(), *product_classes],
    )


@transaction.atomic
def need_clarify(
    *,
    need: Need,
    user: User,
    fields: dict[str, Any],
    required_certifications: Iterable[Certification] = (),
) -> Need:
    """The answer to the clarifying question: the stated requirement is written onto the need
    (certifications are added to those it asks for already)."""
    certifications = list(required_certifications)
    return need_update(
        need=need,
        user=user,
        fields=fields,
        required_certifications=(
            [*need.required_certifications.all(), *certifications] if certifications else None
        ),
    )
