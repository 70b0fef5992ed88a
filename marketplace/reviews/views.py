"""The organisers' review queue: organisations waiting for approval and needs waiting to go live."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organization
from accounts.typing import AuthenticatedHttpRequest
from marketplace.common.views import organizer_required
from marketplace.models import Need
from marketplace.needs import services as need_services
from marketplace.reviews import services as review_services
from marketplace.reviews.forms import RejectForm


@organizer_required
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    organizations = (
        Organization.objects.visible_to(request.user).pending_review().order_by("created_at")
    )
    needs = (
        Need.objects.visible_to(request.user)
        .filter(status=Need.Status.PENDING_REVIEW)
        .select_related("organization", "domain", "region")
        .order_by("updated_at")
    )
    return render(
        request,
        "marketplace/review_queue.html",
        {"organizations": organizations, "needs": needs, "reject_form": RejectForm()},
    )


@organizer_required
@require_POST
def review_organization_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    review_services.organization_approve(organization=organization, reviewer=request.user)
    messages.success(request, _("已通过“%(name)s”的审核。") % {"name": organization.name})
    return redirect("reviews:review_queue")


@organizer_required
@require_POST
def review_organization_reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:  # an ErrorList yields its messages as strings
                messages.error(request, str(message))
        return redirect("reviews:review_queue")
    review_services.organization_reject(
        organization=organization, reviewer=request.user, note=form.cleaned_data["note"]
    )
    messages.warning(request, _("已驳回“%(name)s”。") % {"name": organization.name})
    return redirect("reviews:review_queue")


@organizer_required
@require_POST
def review_need_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(Need.objects.visible_to(request.user), pk=pk)
    try:
        need_services.need_publish(need=need, reviewer=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已发布需求“%(title)s”。") % {"title": need.title})
    return redirect("reviews:review_queue")
