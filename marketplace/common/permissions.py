"""Role checks for whole endpoints. Whether one row may be seen or changed is decided by the
``visible_to``/``editable_by`` QuerySet methods, never here."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request


class IsOrganizer(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user.is_authenticated and request.user.is_organizer)


class PostsNeedsOrReadOnly(BasePermission):
    """Anyone may read; demand organisations and organisers may post needs."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return bool(user.is_authenticated and (user.is_demand or user.is_organizer))


class PostsCapabilitiesOrReadOnly(BasePermission):
    """Anyone may read; vendors and organisers may post capability profiles."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return bool(user.is_authenticated and (user.is_vendor or user.is_organizer))


class IsVendor(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user.is_authenticated and request.user.is_vendor)


class OrganizesOrReadOnly(BasePermission):
    """Anyone may read; organisers may create (which event they may change is the row's rule)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return bool(request.user.is_authenticated and request.user.is_organizer)
