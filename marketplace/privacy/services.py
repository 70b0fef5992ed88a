"""An organisation's personal-data rights: export everything it holds, and delete an account.

Export: one ZIP with ``data.json`` (the organisation, its members without password hashes, its
needs with their revision snapshots, capability profiles, leads on either side, the vendor's
lead alert rule, its members' notifications, event participations with their meetings) and the
files it uploaded (capability images and spec sheets from MEDIA_ROOT, proposals from
PRIVATE_MEDIA_ROOT). The other side of a lead or meeting appears by name; its contact details
only where the two organisations are in talks, which is what the site shows
(``marketplace.leads.models.contact_visible``). Both are recorded in the audit log.

Deletion: a user deletes their own account after re-entering their password. When they are the
organisation's last member the organisation goes too, and with it, by the models' cascades,
everything that belongs to it: needs (and revisions), capability profiles, leads on either side,
event participations with their shortlist entries and meetings, the lead alert rule. Files of the
deleted rows are removed from storage once the transaction commits.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from marketplace.audit.services import Action, audit_record
from marketplace.models import (
    Capability,
    Event,
    EventParticipant,
    Lead,
    LeadAlertPreference,
    Meeting,
    Need,
    Notification,
)

EXPORT_FORMAT_VERSION = 1
MEMBER_FIELDS = (
    "id",
    "email",
    "full_name",
    "first_name",
    "last_name",
    "is_active",
    "date_joined",
    "last_login",
)


@dataclass(frozen=True)
class OrganizationExport:
    filename: str
    content: bytes


@dataclass(frozen=True)
class AccountDeletion:
    email: str
    organization_name: str | None
    organization_deleted: bool


def _row(obj: models.Model, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every column of a row (foreign keys as ids, files as stored names) and its many-to-many
    ids: a generic shape, so a new column reaches the export without an edit here."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        value = field.value_from_object(obj)
        if isinstance(field, models.FileField):
            value = value.name or None
        data[field.attname if field.is_relation else field.name] = value
    for m2m in obj._meta.many_to_many:
        if m2m.name not in exclude:
            data[m2m.name] = sorted(related.pk for related in getattr(obj, m2m.name).all())
    return data


class _Archive:
    """The ZIP being written; each stored file is added once, under ``files/<root>/<name>``."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w", compression=zipfile.ZIP_DEFLATED)
        self.names: set[str] = set()
        self.missing: list[str] = []

    def add_file(self, field_file: Any, root: str) -> str | None:
        if not field_file:
            return None
        name = PurePosixPath(field_file.name)
        if name.is_absolute() or ".." in name.parts:
            return None
        member = f"files/{root}/{name}"
        if member in self.names:
            return member
        try:
            with field_file.storage.open(field_file.name, "rb") as handle:
                self.zip.writestr(member, handle.read())
        except FileNotFoundError:
            self.missing.append(member)
            return None
        self.names.add(member)
        return member

    def close(self, data: dict[str, Any]) -> bytes:
        data["missing_files"] = self.missing
        text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        self.zip.writestr("data.json", text)
        self.zip.close()
        return self.buffer.getvalue()


def _counterpart(organization: Organization, *, contact_visible: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": organization.pk,
        "name": organization.name,
        "kind": organization.kind,
    }
    for name in ("contact_person", "phone", "email"):
        data[name] = getattr(organization, name) if contact_visible else None
    return data


def organization_export(*, organization: Organization, actor: User) -> OrganizationExport:
    """Everything the organisation holds, as its members see it on the site, in one ZIP;
    ``actor`` is the member or organiser who asked for it."""

    archive = _Archive()
    now = timezone.now()
    own_leads = Lead.objects.filter(models.Q(demand=organization) | models.Q(vendor=organization))
    in_talks_with = {
        lead.vendor_id if lead.demand_id == organization.pk else lead.demand_id
        for lead in own_leads.in_talks()
    }

    needs = []
    for need in Need.objects.filter(organization=organization).order_by("pk"):
        row = _row(need)
        row["revisions"] = [_row(revision) for revision in need.revisions.order_by("pk")]
        needs.append(row)

    capabilities = []
    for capability in Capability.objects.filter(organization=organization).order_by("pk"):
        row = _row(capability)
        row["image"] = archive.add_file(capability.image, "media")
        row["spec_sheet"] = archive.add_file(capability.spec_sheet, "media")
        capabilities.append(row)

    leads = []
    for lead in own_leads.select_related("need", "capability", "demand", "vendor").order_by("pk"):
        is_vendor = lead.vendor_id == organization.pk
        other = lead.demand if is_vendor else lead.vendor
        row = _row(lead, exclude=("vendor_notified_at", "reminded_at"))
        row["side"] = "vendor" if is_vendor else "demand"
        row["need_title"] = lead.need.title
        row["capability_title"] = lead.capability.title
        # Only the proposals this organisation uploaded; the institution's copy stays on the site.
        row["proposal_attached"] = bool(lead.proposal)
        row["proposal"] = archive.add_file(lead.proposal, "private") if is_vendor else None
        row["counterpart"] = _counterpart(other, contact_visible=other.pk in in_talks_with)
        leads.append(row)

    alert = LeadAlertPreference.objects.filter(organization=organization).first()

    notifications = [
        _row(notification)
        for notification in Notification.objects.filter(user__organization=organization).order_by(
            "pk"
        )
    ]

    participations = []
    for participant in (
        EventParticipant.objects.filter(organization=organization)
        .select_related("event", "event__organizer")
        .order_by("pk")
    ):
        row = _row(participant)
        event = participant.event
        row["event"] = {
            "id": event.pk,
            "name": event.name,
            "date": event.date,
            "schedule_status": event.schedule_status,
            "venue": event.venue,
            "city": event.city,
            "organizer": event.organizer.name,
        }
        # Participants see their meetings once the organiser publishes the schedule.
        meetings = (
            Meeting.objects.filter(
                models.Q(demand=participant) | models.Q(vendor=participant),
                event__schedule_status=Event.ScheduleStatus.PUBLISHED,
            )
            .select_related("table", "demand__organization", "vendor__organization")
            .order_by("slot", "pk")
        )
        row["meetings"] = []
        for meeting in meetings:
            other_participant = (
                meeting.vendor if meeting.demand_id == participant.pk else meeting.demand
            )
            other = other_participant.organization
            meeting_row = _row(meeting)
            meeting_row["table"] = meeting.table.name
            meeting_row["counterpart"] = _counterpart(
                other, contact_visible=other.pk in in_talks_with
            )
            row["meetings"].append(meeting_row)
        participations.append(row)

    data = {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": now,
        "organization": _row(organization),
        "members": [
            {name: getattr(member, name) for name in MEMBER_FIELDS}
            for member in organization.members.order_by("pk")
        ],
        "needs": needs,
        "capabilities": capabilities,
        "leads": leads,
        "lead_alert_preference": _row(alert) if alert else None,
        "notifications": notifications,
        "event_participations": participations,
    }
    content = archive.close(data)
    slug = slugify(organization.name, allow_unicode=True) or "organization"
    filename = f"robomatch-{organization.pk}-{slug}-{timezone.localdate(now):%Y%m%d}.zip"
    audit_record(actor=actor, action=Action.EXPORT, target=organization, details={"file": filename})
    return OrganizationExport(filename=filename, content=content)


def is_last_member(user: User) -> bool:
    """Whether the user is the only member of their organisation: deleting the account deletes
    the organisation too."""
    return (
        user.organization_id is not None
        and not User.objects.filter(organization_id=user.organization_id)
        .exclude(pk=user.pk)
        .exists()
    )


def _stored_files(collector: Collector) -> set[tuple[Storage, str]]:
    """The stored files of every row the collector is about to delete."""
    rows: list[models.Model] = [obj for objs in collector.data.values() for obj in objs]
    for queryset in collector.fast_deletes:
        rows.extend(queryset)
    files: set[tuple[Storage, str]] = set()
    for row in rows:
        for field in row._meta.concrete_fields:
            if isinstance(field, models.FileField):
                field_file = getattr(row, field.attname)
                if field_file:
                    files.add((field_file.storage, field_file.name))
    return files


def _delete_files(files: set[tuple[Storage, str]]) -> None:
    for storage, name in files:
        storage.delete(name)


@transaction.atomic
def account_delete(*, user: User, password: str) -> AccountDeletion:
    """Delete the user after checking their password; the last member takes the organisation
    (and everything that cascades from it, files included) with them."""
    if not user.check_password(password):
        raise ValidationError({"password": _("密码不正确。")})
    organization = (
        Organization.objects.select_for_update().filter(pk=user.organization_id).first()
        if user.organization_id
        else None
    )
    last_member = organization is not None and is_last_member(user)
    if last_member and organization and organization.kind == Organization.Kind.ORGANIZER:
        # Events are protected from deletion: their history belongs to every participant.
        raise ValidationError(_("组织方的最后一个账号不能自行注销，请联系平台管理员。"))
    result = AccountDeletion(
        email=user.email,
        organization_name=organization.name if organization else None,
        organization_deleted=last_member,
    )
    # Recorded before the rows go: the entries keep the e-mail address and names, and the
    # actor link is cleared by the deletion itself.
    details = {"organization": organization.name} if organization else {}
    audit_record(actor=user, action=Action.DELETE, target=user, details=details)
    if organization is not None and last_member:
        audit_record(actor=user, action=Action.DELETE, target=organization)
    user.delete()
    if organization is not None and last_member:
        # What Model.delete() does, with the cascade walked once: its rows name the files to go.
        collector = Collector(using=DEFAULT_DB_ALIAS, origin=organization)
        collector.collect([organization])
        files = _stored_files(collector)
        collector.delete()
        transaction.on_commit(lambda: _delete_files(files))
    return result
