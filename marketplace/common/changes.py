"""Assign only what differs, so that writing the same values again changes no row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import ForeignKey, Model


def assign_changed(instance: Model, values: Mapping[str, Any]) -> list[str]:
    """Set each of ``values`` on ``instance`` where it differs; return the names set, for
    ``save(update_fields=...)``. A foreign key is compared by id, without loading the row."""
    changed = []
    for name, value in values.items():
        field = instance._meta.get_field(name)
        if isinstance(field, ForeignKey):
            new_id = value.pk if isinstance(value, Model) else value
            if getattr(instance, field.attname) == new_id:
                continue
        elif getattr(instance, name) == value:
            continue
        setattr(instance, name, value)
        changed.append(name)
    return changed
