"""Notifications: written in the caller's transaction, emailed by a Celery task after commit.

A notification's title and body are phrases (message id and parameters): the inbox and the API
render them in the reader's language. Users have no language preference, so the e-mail is
written in the platform's language (``LANGUAGE_CODE``, Simplified Chinese).

The row is the durable record (the in-site inbox shows it at once). The task is sent only when
the transaction commits, so a rolled-back change notifies nobody; it emails each row at most
once (``emailed_at`` under a row lock), so a retried or redelivered task sends nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from accounts.models import Organization, User
from marketplace.models import Notification
from matching.engine import Phrase, phrase_to_data

logger = logging.getLogger(__name__)

DELIVER_TASK = "marketplace.tasks.notification_deliver_task"


def _send_delivery(ids: list[int]) -> None:
    if current_app.conf.task_always_eager:
        for pk in ids:
            notification_deliver(pk)
        return
    try:
        current_app.send_task(DELIVER_TASK, args=[ids])
    except Exception:  # the rows stay un-emailed; the beat sweep sends them later
        logger.warning("Could not enqueue %s for %s; the sweep will send them.", DELIVER_TASK, ids)


def members(organization: Organization | int) -> list[User]:
    organization_id = organization if isinstance(organization, int) else organization.pk
    return list(User.objects.filter(organization_id=organization_id, is_active=True))


def notify(
    users: Iterable[User],
    *,
    kind: str,
    key: str,
    title: Phrase | str,
    body: Phrase | str = "",
    url: str = "",
) -> list[Notification]:
    """Create one notification per user (once per ``key``) and email them after commit.

    ``title`` and ``body`` are stored as phrases and, for the e-mail and the admin, as text in
    the platform's language; a plain string is shown as written (a user's own text)."""
    title_phrase = Phrase.verbatim(title) if isinstance(title, str) else title
    body_phrase = Phrase.verbatim(body) if isinstance(body, str) else body
    with translation.override(settings.LANGUAGE_CODE):
        title_text, body_text = str(title_phrase)[:200], str(body_phrase)
    message = {"title": phrase_to_data(title_phrase), "body": phrase_to_data(body_phrase)}
    created: list[Notification] = []
    for user in users:
        notification, was_created = Notification.objects.get_or_create(
            user=user,
            key=key[:120],
            defaults={
                "kind": kind,
                "title": title_text,
                "body": body_text,
                "url": url[:300],
                "message": message,
            },
        )
        if was_created:
            created.append(notification)
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: _send_delivery(ids))
    return created


def notify_organization(organization: Organization | int, **kwargs: Any) -> list[Notification]:
    return notify(members(organization), **kwargs)


def notification_deliver(notification_id: int) -> bool:
    """Email one notification unless it was emailed already. Returns whether it sent now."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("user")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None:
            return False
        if not notification.user.email:
            return False
        link = f"{settings.SITE_URL}{notification.url}" if notification.url else ""
        with translation.override(settings.LANGUAGE_CODE):
            title, body = notification.title_text, notification.body_text
        send_mail(
            subject=f"[RoboMatch] {title}",
            message="\n\n".join(part for part in (body, link) if part),
            from_email=None,
            recipient_list=[notification.user.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def notifications_pending_delivery(limit: int = 500, grace_minutes: int = 5) -> list[int]:
    """Rows not yet emailed a while after they were made (the broker was down), oldest first."""
    cutoff = timezone.now() - timedelta(minutes=grace_minutes)
    return list(
        Notification.objects.filter(emailed_at__isnull=True, created_at__lte=cutoff)
        .exclude(user__email="")
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def notification_mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return queryset.update(read_at=timezone.now())
