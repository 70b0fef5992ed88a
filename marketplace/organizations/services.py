"""Editing an organisation's own details, recorded in the audit log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.services import organization_name_taken
from marketplace.audit.services import Action, audit_record

EDITABLE_FIELDS = (
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
# Who the organisation says it is and where it is reached: the audit entry keeps their old and
# new values, so an organiser can tell who an organisation used to be.
IDENTITY_FIELDS = ("name", "email", "website")


@transaction.atomic
def organization_update(
    *, organization: Organization, user: User | None, fields: dict[str, Any]
) -> Organization:
    """Edit an organisation's details (``fields``: some of ``EDITABLE_FIELDS``).

    A change is recorded in the audit log with the names of the fields it changed, and the old
    and new values of ``IDENTITY_FIELDS``; an edit that changes nothing is not recorded, and a
    refused one (a name another organisation goes by, a sub-type of another kind) changes
    nothing."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    # Compared with the stored row, not the instance: a ModelForm has already written its
    # cleaned values onto the instance it was given.
    stored = Organization.objects.select_for_update().get(pk=organization.pk)
    before = {name: getattr(stored, name) for name in EDITABLE_FIELDS}
    for name, value in fields.items():
        setattr(organization, name, value.strip() if isinstance(value, str) else value)
    if "name" in fields and organization_name_taken(organization.name, exclude=organization):
        raise ValidationError({"name": _("已有机构使用这个名称，请换一个。")})
    if organization.sub_type not in Organization.SUB_TYPES_BY_KIND.get(organization.kind, ()):
        raise ValidationError({"sub_type": _("所选细分类型与机构类型不符。")})
    organization.full_clean()
    changed = [name for name in EDITABLE_FIELDS if getattr(organization, name) != before[name]]
    if not changed:
        return organization
    organization.save()
    audit_record(
        actor=user,
        action=Action.EDIT,
        target=organization,
        details={
            "fields": changed,
            "changes": {
                name: [before[name], getattr(organization, name)]
                for name in IDENTITY_FIELDS
                if name in changed
            },
        },
    )
    return organization
