"""A new password ends every way the old one signed in: the web sessions (Django does that) and
the API tokens (``accounts.services.user_password_set``), through the e-mailed reset link and an
administrator's password form alike (issue 19, finding 3)."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import User
from accounts.services import user_password_set
from tests.conftest import ClientFor

ME_URL = "/api/v1/organizations/me/"
NEW_PASSWORD = "new-horse-battery-7"


def _reset_through_the_emailed_link(email: str) -> None:
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": email})
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", message.body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == reverse("accounts:password_reset_complete")


def test_a_password_reset_revokes_the_api_token(alice: User, client_for: ClientFor) -> None:
    # given: a token taken with the old password reads and writes
    api = client_for(alice)
    assert api.get(ME_URL).status_code == 200

    # when
    _reset_through_the_emailed_link(alice.email)

    # then: the old token neither reads nor writes, and no token is left
    assert api.get(ME_URL).status_code == 401
    assert api.patch(ME_URL, {"phone": "110"}, format="json").status_code == 401
    assert not Token.objects.filter(user=alice).exists()
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert alice.organization.phone != "110"


def test_an_administrator_setting_a_password_revokes_the_users_tokens(
    alice: User, client_for: ClientFor
) -> None:
    # given
    api = client_for(alice)
    admin = Client()
    admin.force_login(User.objects.create_superuser("root@example.com", "root-pass-2026-x"))

    # when
    response = admin.post(
        reverse("admin:auth_user_password_change", args=[alice.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    # then
    assert response.status_code == 302
    assert api.get(ME_URL).status_code == 401
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_setting_a_password_revokes_only_that_users_tokens(
    alice: User, bob: User, client_for: ClientFor
) -> None:
    # given
    alice_api, bob_api = client_for(alice), client_for(bob)

    # when
    user_password_set(user=alice, password=NEW_PASSWORD)

    # then
    assert alice_api.get(ME_URL).status_code == 401
    assert bob_api.get(ME_URL).status_code == 200
