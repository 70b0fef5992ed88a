"""The organisers' review queue: approving or rejecting organisations and pending needs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, User
from marketplace.audit.services import Action, audit_record
from marketplace.models import Need
from marketplace.needs.services import need_publish


def _require_organizer(user: User) -> None:
    if not user.is_organizer:
        raise PermissionDenied


@transaction.atomic
def organization_approve(*, organization: Organization, reviewer: User) -> Organization:
    """Approve an organisation; its needs waiting for that approval are published with it."""
    _require_organizer(reviewer)
    organization.review_status = Organization.ReviewStatus.APPROVED
    organization.reviewed_by = reviewer
    organization.reviewed_at = timezone.now()
    organization.review_note = ""
    organization.save()
    audit_record(actor=reviewer, action=Action.APPROVE, target=organization)
    for need in organization.needs.filter(status=Need.Status.PENDING_REVIEW):
        need_publish(need=need, reviewer=reviewer)
    return organization


@transaction.atomic
def organization_reject(*, organization: Organization, reviewer: User, note: str) -> Organization:
    _require_organizer(reviewer)
    organization.review_status = Organization.ReviewStatus.REJECTED
    organization.reviewed_by = reviewer
    organization.reviewed_at = timezone.now()
    organization.review_note = note.strip()[:500]
    organization.save()
    audit_record(actor=reviewer, action=Action.REJECT, target=organization)
    return organization
