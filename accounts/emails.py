"""E-mails about an account: the sign-up confirmation, and the notice that someone tried to sign
up with an address that already has an account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from accounts.tokens import signup_confirmation_token


def _send(user: User, template: str, context: dict[str, Any]) -> None:
    subject = render_to_string(f"accounts/emails/{template}_subject.txt", context)
    body = render_to_string(f"accounts/emails/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def signup_email_send(*, user: User) -> None:
    """What a sign-up for ``user``'s address sends: the confirmation link while the account
    awaits it, otherwise a notice with a password-reset link (an account cannot be signed up
    for twice, and the page said the same either way)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    if user.is_awaiting_confirmation:
        path = reverse(
            "accounts:signup_confirm",
            kwargs={"uidb64": uid, "token": signup_confirmation_token.make_token(user)},
        )
        _send(user, "signup_confirm", {"link": f"{settings.SITE_URL}{path}"})
        return
    reset = reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)},
    )
    _send(
        user,
        "signup_attempt",
        {
            "reset_link": f"{settings.SITE_URL}{reset}",
            "login_link": f"{settings.SITE_URL}{reverse('accounts:login')}",
        },
    )
