"""Lookups shared by the API views: visibility first (404), then the right to change (403)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

ModelT = TypeVar("ModelT", bound=Model)


def get_visible(queryset: QuerySet[ModelT], pk: Any) -> ModelT:
    """A row the user may see, else 404: existence of what one may not see is not revealed."""
    return get_object_or_404(queryset, pk=pk)


def get_editable(visible: QuerySet[ModelT], editable: QuerySet[ModelT], pk: Any) -> ModelT:
    """A row the user may change: 404 if they may not see it, 403 if they may only see it."""
    instance = get_visible(visible, pk)
    if not editable.filter(pk=instance.pk).exists():
        raise PermissionDenied
    return instance
