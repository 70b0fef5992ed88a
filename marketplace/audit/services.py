"""The audit log: one entry per approval, edit, status change, deletion, export or import.

Services call ``audit_record`` inside their own transaction, so a change that rolls back leaves
no entry behind. Entries are only ever added.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.db.models import Model, QuerySet

from accounts.models import User
from config.addresses import current_client_address
from marketplace.models import AuditEntry

Action = AuditEntry.Action
LABEL_LENGTH = AuditEntry._meta.get_field("target_label").max_length or 200


def audit_record(
    *,
    actor: User | None,
    action: AuditEntry.Action,
    target: Model | type[Model],
    details: dict[str, Any] | None = None,
) -> AuditEntry | None:
    """Record that ``actor`` did ``action`` to ``target`` (a row, or a model for a whole export).

    Made during a request, the entry keeps the client's address (``config.addresses``).

    Changes made without a person are not recorded: import rows (the import job's own entries
    cover them) and background jobs.

    The entry is not validated with ``full_clean``, which would cost a query for the actor: every
    value is already sound (a saved user, an ``Action``, a model's label, a label cut to length).
    """
    if actor is None:
        return None
    if isinstance(target, Model):
        target_id = target.pk
        label = str(target)
    else:
        target_id = None
        label = str(target._meta.verbose_name_plural)
    return AuditEntry.objects.create(
        actor=actor,
        actor_email=actor.email,
        action=action,
        target_type=target._meta.label_lower,
        target_id=target_id,
        target_label=label[:LABEL_LENGTH],
        details=details or {},
        ip_address=current_client_address(),
    )


def _related_ids(values: Any) -> set[Any] | None:
    """Primary keys of a relation's new values, or None when they cannot be read twice."""
    if isinstance(values, list | tuple | set | frozenset | QuerySet):
        return {getattr(value, "pk", value) for value in values}
    return None


def changed_fields(
    instance: Model,
    values: Mapping[str, Any],
    relations: Mapping[str, Iterable[Any] | None] | None = None,
) -> list[str]:
    """Names among ``values`` (model fields) and ``relations`` (many-to-many) that would change.

    Call it before the change is applied. Names that are not fields of the model are ignored.
    """
    names = {field.name for field in instance._meta.get_fields()}
    changed = {
        name
        for name, value in values.items()
        if name in names and getattr(instance, name, None) != value
    }
    for name, related in (relations or {}).items():
        if related is None or name not in names:
            continue
        new_ids = _related_ids(related)
        manager: models.Manager[Any] = getattr(instance, name)
        if new_ids is None or set(manager.values_list("pk", flat=True)) != new_ids:
            changed.add(name)
    return sorted(changed)
