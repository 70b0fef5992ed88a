"""An organisation's public page, and the page where its members edit it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import QINGDAO_DISTRICTS, OrganizationForm, add_service_errors
from accounts.models import Organization
from accounts.typing import AuthenticatedHttpRequest
from marketplace.leads.models import contact_visible
from marketplace.organizations.services import organization_update


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    return render(
        request,
        "marketplace/organization_detail.html",
        {
            "organization": organization,
            "show_contact": contact_visible(organization, request.user),
            "is_own": request.user.is_authenticated
            and request.user.organization_id == organization.pk,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.organization_id:
        raise Http404
    organization = get_object_or_404(Organization, pk=request.user.organization_id)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            organization_update(
                organization=organization,
                user=request.user,
                fields={name: form.cleaned_data[name] for name in OrganizationForm.Meta.fields},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("机构信息已保存。"))
            return redirect(organization)
    return render(
        request,
        "marketplace/organization_form.html",
        {"form": form, "organization": organization, "districts": QINGDAO_DISTRICTS},
    )
