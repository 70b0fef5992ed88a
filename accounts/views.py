"""Signing up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.emails import signup_email_send
from accounts.forms import QINGDAO_DISTRICTS, SignupForm, add_service_errors
from accounts.models import User
from accounts.services import signup_submit, user_signup_confirm
from accounts.throttling import PasswordResetEmailRateThrottle
from accounts.tokens import signup_confirmation_token


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = signup_submit(**form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # New account or not, the same page; the e-mail tells the address's owner which.
            throttle = PasswordResetEmailRateThrottle(result.user.email)
            if throttle.allow_request(request, None):  # type: ignore[arg-type]
                signup_email_send(user=result.user)
            return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form, "districts": QINGDAO_DISTRICTS})


@require_http_methods(["GET"])
def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_sent.html")


@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The e-mailed link shows a button; only the post confirms, so a mail scanner that opens
    links does not spend the token."""
    try:
        user: User | None = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    valid = (
        user is not None
        and user.is_awaiting_confirmation
        and signup_confirmation_token.check_token(user, token)
    )
    if request.method == "POST" and valid:
        assert user is not None
        user_signup_confirm(user=user)
        login(request, user, backend="accounts.authentication.OrganizationModelBackend")
        organization = user.organization
        assert organization is not None, "organization_register creates the organisation"
        messages.success(
            request,
            _("注册成功！“%(name)s”正在等待平台审核，审核通过后您发布的内容将对外公开。")
            % {"name": organization.name},
        )
        return redirect("home")
    return render(request, "accounts/signup_confirm.html", {"valid": valid})
