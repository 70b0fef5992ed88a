"""The audit log's entries for what accounts announces (accounts.signals): an organisation's
data export, and an account deleted (with its organisation, when it was the last member)."""

from __future__ import annotations

from typing import Any

from accounts.models import Organization, User
from marketplace.services.audit import Action, audit_record


def organization_exported(
    *, organization: Organization, actor: User, filename: str, **kwargs: Any
) -> None:
    audit_record(actor=actor, action=Action.EXPORT, target=organization, details={"file": filename})


def account_deleted(
    *, user: User, organization: Organization | None, organization_deleted: bool, **kwargs: Any
) -> None:
    """Recorded before the rows go, in the deletion's transaction: the entries keep the
    e-mail address and names, and the actor link is cleared by the deletion itself."""
    details = {"organization": organization.name} if organization else {}
    audit_record(actor=user, action=Action.DELETE, target=user, details=details)
    if organization is not None and organization_deleted:
        audit_record(actor=user, action=Action.DELETE, target=organization)
