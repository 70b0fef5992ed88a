"""Access checks and pagination shared by the marketplace pages.

Organiser tools answer 404 to everyone else, as if they did not exist; pages for one kind of
organisation answer 403 with a sentence saying who may use them; objects a user may not see
answer 404.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts.typing import AuthenticatedHttpRequest

View = Callable[..., HttpResponse]


def organizer_required(view: View) -> View:
    @wraps(view)
    @login_required
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_organizer:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def demand_or_organizer_required(view: View) -> View:
    @wraps(view)
    @login_required
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.is_demand or request.user.is_organizer):
            raise PermissionDenied(
                _("只有需求方机构（养老机构、企业等）和组织方可以发布和管理需求。")
            )
        return view(request, *args, **kwargs)

    return wrapped


def vendor_or_organizer_required(view: View) -> View:
    @wraps(view)
    @login_required
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.is_vendor or request.user.is_organizer):
            raise PermissionDenied(
                _("只有供应方机构（机器人厂商、集成商等）和组织方可以发布和管理能力。")
            )
        return view(request, *args, **kwargs)

    return wrapped


def vendor_required(view: View) -> View:
    @wraps(view)
    @login_required
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_vendor:
            raise PermissionDenied(
                _("只有供应方机构（机器人厂商、集成商等）的成员可以使用此页面。")
            )
        return view(request, *args, **kwargs)

    return wrapped


def demand_required(view: View) -> View:
    @wraps(view)
    @login_required
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_demand:
            raise PermissionDenied(_("只有需求方机构（养老机构、企业等）的成员可以使用此页面。"))
        return view(request, *args, **kwargs)

    return wrapped


def local_url(request: HttpRequest, url: str | None) -> str | None:
    """``url`` if it points into this site (a path, or this host), else None: no open redirect."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def url_by_pk(viewname: str) -> Callable[[int], str]:
    """``reverse(viewname, args=[pk])`` for every row of a list at the cost of one reverse (a
    tenth of a match page's work was reversing the same route per card); ``<int:pk>`` routes."""
    marker = "987654321"
    head, _marker, tail = reverse(viewname, args=[marker]).partition(marker)
    return lambda pk: f"{head}{int(pk)}{tail}"


def paginate(request: HttpRequest, items: QuerySet[Any] | Sequence[Any]) -> Page:
    paginator = Paginator(items, settings.MARKETPLACE_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def status_change(
    request: HttpRequest,
    form: forms.Form,
    change: Callable[[str], Any],
    get_status_display: Callable[[], str],
) -> None:
    """A status form's POST: ``change`` applies the chosen status; the outcome is a message."""
    if not form.is_valid():
        messages.error(request, _("未知状态。"))
        return
    try:
        change(form.cleaned_data["status"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("状态已改为“%(status)s”。") % {"status": get_status_display()})
