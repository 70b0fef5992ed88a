"""An organisation's data export and an account's deletion, on the web."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import (
    AccountDeleteForm,
    add_service_errors,
)
from accounts.models import Organization
from accounts.typing import AuthenticatedHttpRequest
from marketplace.privacy.downloads import organization_export_response
from marketplace.privacy.services import account_delete as delete_account
from marketplace.privacy.services import is_last_member


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
