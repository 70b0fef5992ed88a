"""The token in a sign-up confirmation link."""

from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator

from accounts.models import User


class SignupConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset tokens, salted apart from them, and spent once the account is active."""

    key_salt = "accounts.tokens.SignupConfirmationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


signup_confirmation_token = SignupConfirmationTokenGenerator()
