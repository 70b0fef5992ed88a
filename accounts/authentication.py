"""Who is asking, with the organisation read in the same query.

Nearly every page and endpoint asks the user's organisation at once (its kind decides what the
user may see and do), so both ways of signing in fetch it with the user: the session's user
through ``OrganizationModelBackend.get_user``, an API token's user through
``TokenAuthentication``. Each spares one query per request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import backends
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from accounts.models import User


class OrganizationModelBackend(backends.ModelBackend):
    """Django's model backend; the signed-in user comes with its organisation."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User.objects.select_related("organization").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's ``Authorization: Token …``; the token's user comes with its organisation."""

    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        try:
            token = Token.objects.select_related("user__organization").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
