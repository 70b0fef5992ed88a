"""The user's notification inbox: newest first, opening one marks it read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.typing import AuthenticatedHttpRequest
from marketplace.common.views import local_url, paginate
from marketplace.models import Notification
from marketplace.notifications.services import notification_mark_read


@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
    return render(
        request,
        "marketplace/notification_list.html",
        {"page": paginate(request, notifications)},
    )


@login_required
@require_POST
def notification_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notifications read and follow its link, if it stays on this site."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notification_mark_read(request.user, [notification.pk])
    return redirect(local_url(request, notification.url) or "notifications:notification_list")


@login_required
@require_POST
def notification_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = notification_mark_read(request.user)
    if count:
        messages.success(request, _("已将 %(count)d 条通知标为已读。") % {"count": count})
    return redirect("notifications:notification_list")
