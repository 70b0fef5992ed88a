"""Signing up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import QINGDAO_DISTRICTS, SignupForm, add_service_errors
from accounts.services import organization_register


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
