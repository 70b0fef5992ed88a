"""Limits per client address on the pages anyone may post to (issue 19, finding 11): logging in,
asking for a password-reset e-mail and signing up; and at most a few reset e-mails per e-mail
address, whoever asks.

django-axes counts wrong passwords per e-mail and address, so one address trying one password
against many e-mails ("password spraying") went unchecked. The limits are the API's throttles
(``config.throttling``); the ``limits`` fixture sets the production defaults, empties the cache
that holds the counters and stops the throttles' clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import Organization, User
from config.settings import base
from config.throttling import MethodRateThrottle
from tests.conftest import PASSWORD
from tests.marketplace.form_data import signup_form_data

LOGIN = reverse("accounts:login")
RESET = reverse("accounts:password_reset")
SIGNUP = reverse("accounts:signup")
RATE_LIMITED = "尝试次数过多，请 1 分钟后再试。"
DEFAULT_RATES = {
    "login": "10/min",
    "password_reset": "10/hour",
    "signup": "10/hour",
    "password_reset_email": "3/hour",
}


@pytest.fixture
def limits(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The production rates, counters from nothing and a clock that stands still."""
    monkeypatch.setattr(MethodRateThrottle, "timer", staticmethod(lambda: 1_800_000_000.0))
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            **DEFAULT_RATES,
        },
    }
    cache.clear()
    yield
    cache.clear()


def _log_in(client: Client, email: str, password: str = "wrong-password") -> Any:
    return client.post(LOGIN, {"username": email, "password": password})


def test_the_defaults_are_the_documented_rates() -> None:
    rates = cast(dict[str, str], base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])

    assert {scope: rates[scope] for scope in DEFAULT_RATES} == DEFAULT_RATES


@pytest.mark.usefixtures("limits")
def test_one_address_trying_one_password_on_fifteen_emails_is_refused_after_ten(
    alice: User,
) -> None:
    # given one address, fifteen e-mails, one wrong password each
    client = Client()
    emails = [f"person{number}@example.com" for number in range(14)] + [alice.email]

    # when
    responses = [_log_in(client, email) for email in emails]

    # then: ten ordinary refusals, then 429 without checking any password
    assert [response.status_code for response in responses] == [200] * 10 + [429] * 5
    refused = responses[-1]
    assert RATE_LIMITED in refused.content.decode()
    assert refused["Retry-After"] == "60"
    assert AccessAttempt.objects.filter(username=alice.email).count() == 0


@pytest.mark.usefixtures("limits")
def test_over_the_login_limit_even_the_right_password_is_refused(alice: User) -> None:
    # given
    client = Client()
    for number in range(10):
        _log_in(client, f"person{number}@example.com")

    # when
    response = _log_in(client, alice.email, PASSWORD)

    # then
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("limits")
def test_the_login_limit_counts_per_address_and_ignores_a_forged_forwarded_for(
    alice: User,
) -> None:
    # given one address has used up its logins (no proxy is trusted)
    for number in range(10):
        _log_in(Client(REMOTE_ADDR="203.0.113.7"), f"person{number}@example.com")

    # when the same address claims to be forwarded for another, and another address logs in
    forged = _log_in(
        Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.9"), alice.email
    )
    other = Client(REMOTE_ADDR="198.51.100.20")
    response = _log_in(other, alice.email, PASSWORD)

    # then
    assert forged.status_code == 429
    assert response.status_code == 302
    assert other.session["_auth_user_id"] == str(alice.pk)


@pytest.mark.usefixtures("limits")
def test_the_login_limit_speaks_english_when_asked(alice: User) -> None:
    # given
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for number in range(10):
        _log_in(client, f"person{number}@example.com")

    # when
    response = _log_in(client, alice.email)

    # then
    assert response.status_code == 429
    assert "Too many attempts; please try again in 1 minute(s)." in response.content.decode()


@pytest.mark.usefixtures("limits")
def test_reset_requests_over_the_address_limit_get_429_and_send_nothing(
    alice: User, bob: User
) -> None:
    # given one address has asked ten times, for ten e-mails
    client = Client()
    for number in range(10):
        assert client.post(RESET, {"email": f"person{number}@example.com"}).status_code == 302

    # when it asks for two real accounts
    responses = [client.post(RESET, {"email": email}) for email in (alice.email, bob.email)]

    # then
    assert [response.status_code for response in responses] == [429, 429]
    assert "尝试次数过多，请 60 分钟后再试。" in responses[0].content.decode()
    assert mail.outbox == []


@pytest.mark.usefixtures("limits")
def test_at_most_three_reset_emails_an_hour_go_to_one_address_and_the_page_says_nothing(
    alice: User,
) -> None:
    # given three requests from three addresses, each sending an e-mail
    for number in range(3):
        client = Client(REMOTE_ADDR=f"203.0.113.{number + 1}")
        assert client.post(RESET, {"email": alice.email}).status_code == 302
    assert len(mail.outbox) == 3

    # when a fourth address asks, in another case
    response = Client(REMOTE_ADDR="198.51.100.4").post(RESET, {"email": "ALICE@yihe.example.com"})

    # then the page answers as before, and no e-mail is sent
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 3


@pytest.mark.usefixtures("limits")
def test_signups_over_the_address_limit_get_429_and_create_nothing(db: None) -> None:
    # given one address has posted ten signups with mistakes in them
    client = Client()
    for _attempt in range(10):
        mistaken = client.post(SIGNUP, signup_form_data(password2="something-else-9"))
        assert mistaken.status_code == 200

    # when it posts a good one
    response = client.post(SIGNUP, signup_form_data())

    # then
    assert response.status_code == 429
    assert "尝试次数过多，请 60 分钟后再试。" in response.content.decode()
    assert User.objects.count() == 0
    assert Organization.objects.count() == 0
    assert mail.outbox == []
