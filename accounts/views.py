"""Signing up, an organisation's public page and edit page, its data export, and deleting
one's account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import (
    QINGDAO_DISTRICTS,
    OrganizationForm,
    SignupForm,
    add_service_errors,
)
from accounts.models import Organization
from accounts.services import organization_register, organization_update
from accounts.typing import AuthenticatedHttpRequest


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = organization_register(**form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend="accounts.authentication.OrganizationModelBackend")
            organization = user.organization
            assert organization is not None, "organization_register creates the organisation"
            messages.success(
                request,
                _("注册成功！“%(name)s”正在等待平台审核，审核通过后您发布的内容将对外公开。")
                % {"name": organization.name},
            )
            return redirect("home")
    return render(request, "accounts/signup.html", {"form": form, "districts": QINGDAO_DISTRICTS})


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
                **{name: form.cleaned_data[name] for name in OrganizationForm.Meta.fields},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("机构信息已保存。"))
            return redirect(organization)
    return render(
        request,
        "accounts/organization_form.html",
        {"form": form, "organization": organization, "districts": QINGDAO_DISTRICTS},
    )
