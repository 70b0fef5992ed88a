"""Template context for every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from marketplace.models import Notification


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's unread notification count for the site nav: one COUNT query, made
    only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notification_count": SimpleLazyObject(
            lambda: Notification.objects.filter(user=user, read_at__isnull=True).count()
        )
    }
