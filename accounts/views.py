"""Signing up, an organisation's public page and edit page, its data export, and deleting
one's account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.data_rights import account_delete as delete_account
from accounts.data_rights import is_last_member
from accounts.downloads import organization_export_response
from accounts.forms import (
    QINGDAO_DISTRICTS,
    AccountDeleteForm,
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


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    return render(
        request,
        "accounts/organization_detail.html",
        {
            "organization": organization,
            "show_contact": organization.contact_visible_to(request.user),
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


@login_required
@require_GET
def organization_export(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    organization = get_object_or_404(Organization.objects.exportable_by(request.user), pk=pk)
    return organization_export_response(organization, request.user)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    organization = user.organization
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deletion = delete_account(user=user, password=form.cleaned_data["password"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            logout(request)
            if deletion.organization_deleted:
                message = _("账号 %(email)s 及机构“%(name)s”的全部数据已删除。") % {
                    "email": deletion.email,
                    "name": deletion.organization_name,
                }
            else:
                message = _("账号 %(email)s 已删除。") % {"email": deletion.email}
            messages.success(request, message)
            return redirect("home")
    return render(
        request,
        "accounts/account_delete.html",
        {"form": form, "organization": organization, "is_last_member": is_last_member(user)},
    )
