"""Need pages: the public list and detail, the guided form, and the owner's actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import add_service_errors
from accounts.typing import AuthenticatedHttpRequest
from marketplace.common.views import demand_or_organizer_required, paginate, status_change
from marketplace.matches.selectors import need_match_list
from marketplace.models import Need
from marketplace.needs import services as need_services
from marketplace.needs.filters import NeedFilter
from marketplace.needs.forms import NeedForm, NeedStatusForm
from marketplace.needs.reading import (
    APPLY_READING,
    READ,
    detail_context,
    form_initial,
    form_reading,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SUBMIT = "submit"


def _saved_message(need: Need) -> str:
    if need.status == Need.Status.PUBLISHED:
        return _("需求已发布，供应方现在可以看到它。")
    if need.status == Need.Status.PENDING_REVIEW:
        return _("需求已提交。您的机构通过审核后，需求将自动公开。")
    return _("已保存。")


def _list_queryset(request: HttpRequest) -> QuerySet[Need]:
    return Need.objects.visible_to(request.user).select_related("organization", "domain", "region")


def need_list(request: HttpRequest) -> HttpResponse:
    filterset = NeedFilter(request.GET or None, queryset=_list_queryset(request), user=request.user)
    return render(
        request,
        "marketplace/need_list.html",
        {"filter": filterset, "page": paginate(request, filterset.qs)},
    )


def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(
        Need.objects.visible_to(request.user).select_related("organization", "domain", "region"),
        pk=pk,
    )
    can_edit = Need.objects.editable_by(request.user).filter(pk=need.pk).exists()
    return render(
        request,
        "marketplace/need_detail.html",
        {
            "need": need,
            "can_edit": can_edit,
            "status_choices": _next_statuses(need) if can_edit else [],
            "can_renew": can_edit and need.status in (Need.Status.PUBLISHED, Need.Status.EXPIRED),
            "can_submit": can_edit and need.status == Need.Status.DRAFT,
            **(detail_context(need, need_match_list(need)) if can_edit else {}),
        },
    )


def _next_statuses(need: Need) -> list[tuple[str, StrOrPromise]]:
    """The moves offered as buttons; the service has the final word."""
    moves: dict[str, tuple[Need.Status, ...]] = {
        Need.Status.PUBLISHED: (Need.Status.IN_TALKS, Need.Status.FULFILLED, Need.Status.CLOSED),
        Need.Status.IN_TALKS: (Need.Status.PUBLISHED, Need.Status.FULFILLED, Need.Status.CLOSED),
        Need.Status.DRAFT: (Need.Status.CLOSED,),
        Need.Status.PENDING_REVIEW: (Need.Status.CLOSED,),
        Need.Status.EXPIRED: (Need.Status.CLOSED,),
    }
    return [(status.value, status.label) for status in moves.get(need.status, ())]


def _form_read_again(
    request: AuthenticatedHttpRequest, need: Need | None, context: dict[str, object]
) -> HttpResponse:
    """The form shown again unsaved, with the keyword reading of what was typed (the
    "帮我识别" button), its suggestions filled in when the institution chose to apply them."""
    display, missing = form_reading(request.POST)
    apply = display if request.POST.get("action") == APPLY_READING else None
    blank = NeedForm(instance=need, user=request.user)
    form = NeedForm(
        instance=need,
        user=request.user,
        initial=form_initial(request.POST, blank.fields, apply=apply),
    )
    return render(
        request,
        "marketplace/need_form.html",
        {
            **context,
            "form": form,
            "need": need,
            "reading": display,
            "missing": missing,
            "applied": apply is not None,
        },
    )


@demand_or_organizer_required
@require_http_methods(["GET", "POST"])
def need_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("action") in (READ, APPLY_READING):
        return _form_read_again(request, None, {})
    form = NeedForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        organization = form.cleaned_data.get("organization") or request.user.organization
        # The decorator admits demand members, who belong to an organisation, and organisers,
        # whose form has a required organisation field.
        assert organization is not None
        try:
            need = need_services.need_create(
                organization=organization,
                created_by=request.user,
                fields=form.service_fields(),
                categories=form.cleaned_data["categories"],
                product_classes=form.cleaned_data["product_classes"],
                required_certifications=form.cleaned_data["required_certifications"],
                submit=request.POST.get("action") == SUBMIT,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _saved_message(need))
            return redirect(need)
    return render(request, "marketplace/need_form.html", {"form": form, "need": None})


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    editable = Need.objects.editable_by(request.user)
    need = get_object_or_404(editable, pk=pk)
    if request.method == "POST" and request.POST.get("action") in (READ, APPLY_READING):
        keeps_history = need.status in Need.PUBLIC_STATUSES
        return _form_read_again(request, need, {"keeps_history": keeps_history})
    form = NeedForm(request.POST or None, instance=need, user=request.user)
    if request.method == "POST" and form.is_valid():
        # A fresh copy for the service: the form has already written the new values onto its
        # instance, and the revision history must record the old ones.
        stored = get_object_or_404(editable, pk=pk)
        try:
            need_services.need_update(
                need=stored,
                user=request.user,
                fields=form.service_fields(),
                categories=form.cleaned_data["categories"],
                product_classes=form.cleaned_data["product_classes"],
                required_certifications=form.cleaned_data["required_certifications"],
            )
            if request.POST.get("action") == SUBMIT and stored.status == Need.Status.DRAFT:
                need_services.need_submit(need=stored, user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _saved_message(stored))
            return redirect(stored)
    return render(
        request,
        "marketplace/need_form.html",
        {"form": form, "need": need, "keeps_history": need.status in Need.PUBLIC_STATUSES},
    )


@login_required
@require_POST
def need_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(Need.objects.editable_by(request.user), pk=pk)
    try:
        need_services.need_submit(need=need, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _saved_message(need))
    return redirect(need)


@login_required
@require_POST
def need_renew(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(Need.objects.editable_by(request.user), pk=pk)
    try:
        need_services.need_renew(need=need, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("已续期，新的到期日为 %(date)s。")
            % {"date": f"{need.expires_at:%Y-%m-%d}" if need.expires_at else "—"},
        )
    return redirect(need)


@login_required
@require_POST
def need_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(Need.objects.editable_by(request.user), pk=pk)
    status_change(
        request,
        NeedStatusForm(request.POST),
        lambda status: need_services.need_set_status(need=need, user=request.user, status=status),
        need.get_status_display,
    )
    if request.POST.get("next_page") == "review":
        return redirect("reviews:review_queue")
    return redirect(need)


@demand_or_organizer_required
def my_needs(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset = Need.objects.editable_by(request.user).select_related(
        "organization", "domain", "region"
    )
    filterset = NeedFilter(
        request.GET or None, queryset=queryset, user=request.user, show_status=True
    )
    return render(
        request,
        "marketplace/my_needs.html",
        {"filter": filterset, "page": paginate(request, filterset.qs)},
    )
