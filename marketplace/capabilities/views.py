"""Capability pages: the public list and detail, the vendor's form and status actions."""

from __future__ import annotations

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
from marketplace.capabilities import services as capability_services
from marketplace.capabilities.filters import CapabilityFilter
from marketplace.capabilities.forms import CapabilityForm, CapabilityStatusForm
from marketplace.common.views import paginate, status_change, vendor_or_organizer_required
from marketplace.models import Capability

PUBLISH = "publish"


def _with_relations(queryset: QuerySet[Capability]) -> QuerySet[Capability]:
    return queryset.select_related("organization", "robot_type").prefetch_related("domains")


def capability_list(request: HttpRequest) -> HttpResponse:
    filterset = CapabilityFilter(
        request.GET or None,
        queryset=_with_relations(Capability.objects.visible_to(request.user)),
        user=request.user,
    )
    return render(
        request,
        "marketplace/capability_list.html",
        {"filter": filterset, "page": paginate(request, filterset.qs)},
    )


def capability_detail(request: HttpRequest, pk: int) -> HttpResponse:
    capability = get_object_or_404(
        _with_relations(Capability.objects.visible_to(request.user)), pk=pk
    )
    can_edit = Capability.objects.editable_by(request.user).filter(pk=capability.pk).exists()
    return render(
        request,
        "marketplace/capability_detail.html",
        {
            "capability": capability,
            "can_edit": can_edit,
            "status_choices": [
                (status.value, status.label)
                for status in Capability.Status
                if status != capability.status
            ]
            if can_edit
            else [],
        },
    )


def _saved_message(capability: Capability) -> str:
    if capability.status == Capability.Status.PUBLISHED:
        if capability.organization.is_approved:
            return _("能力已发布，需求方现在可以看到它。")
        return _("能力已发布。您的机构通过审核后将对外公开。")
    return _("已保存。")


@vendor_or_organizer_required
@require_http_methods(["GET", "POST"])
def capability_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CapabilityForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        organization = form.cleaned_data.get("organization") or request.user.organization
        # The decorator admits vendor members, who belong to an organisation, and organisers,
        # whose form has a required organisation field.
        assert organization is not None
        try:
            capability = capability_services.capability_create(
                organization=organization,
                created_by=request.user,
                fields=form.service_fields(),
                publish=request.POST.get("action") == PUBLISH,
                **form.relations(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _saved_message(capability))
            return redirect(capability)
    return render(request, "marketplace/capability_form.html", {"form": form, "capability": None})


@login_required
@require_http_methods(["GET", "POST"])
def capability_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    editable = Capability.objects.editable_by(request.user)
    capability = get_object_or_404(editable, pk=pk)
    form = CapabilityForm(
        request.POST or None, request.FILES or None, instance=capability, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        stored = get_object_or_404(editable, pk=pk)
        try:
            capability_services.capability_update(
                capability=stored,
                user=request.user,
                fields=form.service_fields(),
                **form.relations(),
            )
            if (
                request.POST.get("action") == PUBLISH
                and stored.status != Capability.Status.PUBLISHED
            ):
                capability_services.capability_set_status(
                    capability=stored, user=request.user, status=Capability.Status.PUBLISHED
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _saved_message(stored))
            return redirect(stored)
    return render(
        request, "marketplace/capability_form.html", {"form": form, "capability": capability}
    )


@login_required
@require_POST
def capability_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    capability = get_object_or_404(Capability.objects.editable_by(request.user), pk=pk)
    status_change(
        request,
        CapabilityStatusForm(request.POST),
        lambda status: capability_services.capability_set_status(
            capability=capability, user=request.user, status=status
        ),
        capability.get_status_display,
    )
    return redirect(capability)


@vendor_or_organizer_required
def my_capabilities(request: AuthenticatedHttpRequest) -> HttpResponse:
    filterset = CapabilityFilter(
        request.GET or None,
        queryset=_with_relations(Capability.objects.editable_by(request.user)),
        user=request.user,
        show_status=True,
    )
    return render(
        request,
        "marketplace/my_capabilities.html",
        {"filter": filterset, "page": paginate(request, filterset.qs)},
    )
