"""Guessing passwords: after five wrong ones for an email from one address, that email is locked
out from that address for 15 minutes, on the login page and on the API token endpoint alike."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from tests.conftest import PASSWORD

LOGIN = reverse("accounts:login")
TOKEN_URL = "/api/v1/auth/token/"
ALICE = "alice@yihe.example.com"
FAILURE_LIMIT = 5
LOCKED_OUT = "登录失败次数过多，该账号已暂时锁定，请 15 分钟后再试。"


def _log_in(client: Client, email: str, password: str, **extra: str) -> int:
    return client.post(LOGIN, {"username": email, "password": password}, **extra).status_code


def _fail_until_locked(client: Client, email: str = ALICE) -> list[int]:
    return [_log_in(client, email, "wrong-password") for _ in range(FAILURE_LIMIT + 1)]


def test_the_fifth_wrong_password_locks_the_login_page_even_for_the_right_one(
    alice: User,
) -> None:
    # given
    client = Client()

    # when
    statuses = _fail_until_locked(client)
    response = client.post(LOGIN, {"username": ALICE, "password": PASSWORD})

    # then: four ordinary refusals, then the attempt that reaches the limit and all after it
    assert statuses == [200, 200, 200, 200, 429, 429]
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_OUT in page
    assert "锁定期间即使输入正确的密码也无法登录" in page
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "_auth_user_id" not in client.session


def test_the_lockout_ignores_the_case_of_the_email(alice: User) -> None:
    # given
    client = Client()
    for email in (
        "ALICE@yihe.example.com",
        "Alice@Yihe.example.com",
        ALICE,
        " alice@YIHE.example.com",
    ):
        _log_in(client, email, "wrong-password")

    # when
    fifth = _log_in(client, "aLiCe@yihe.example.com", "wrong-password")

    # then
    assert fifth == 429


def test_another_user_from_the_same_address_is_not_locked_out(alice: User, victor: User) -> None:
    # given
    client = Client()
    _fail_until_locked(client)

    # when
    response = client.post(LOGIN, {"username": "victor@rival.example.com", "password": PASSWORD})

    # then
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(victor.pk)


def test_the_same_user_from_another_address_is_not_locked_out(alice: User) -> None:
    # given
    _fail_until_locked(Client(REMOTE_ADDR="203.0.113.7"))
    client = Client(REMOTE_ADDR="198.51.100.20")

    # when
    status = _log_in(client, ALICE, PASSWORD)

    # then
    assert status == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_the_lock_lifts_once_the_cool_off_has_passed(alice: User) -> None:
    # given: locked out, and the last failure is now 16 minutes old
    client = Client()
    _fail_until_locked(client)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    # when
    status = _log_in(client, ALICE, PASSWORD)

    # then
    assert status == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_successful_login_before_the_limit_starts_the_count_again(alice: User) -> None:
    # given: four failures, then the right password
    client = Client()
    for _ in range(FAILURE_LIMIT - 1):
        _log_in(client, ALICE, "wrong-password")
    assert _log_in(client, ALICE, PASSWORD) == 302
    client.logout()

    # when
    statuses = [_log_in(client, ALICE, "wrong-password") for _ in range(FAILURE_LIMIT - 1)]

    # then
    assert statuses == [200, 200, 200, 200]


def test_the_token_endpoint_locks_out_the_same_way(alice: User) -> None:
    # given
    client = APIClient()
    wrong = {"email": ALICE, "password": "wrong-password"}

    # when
    statuses = [client.post(TOKEN_URL, wrong).status_code for _ in range(FAILURE_LIMIT)]
    response = client.post(TOKEN_URL, {"email": ALICE, "password": PASSWORD})

    # then
    assert statuses == [400, 400, 400, 400, 429]
    assert response.status_code == 429
    assert response.json() == {"error": {"code": "locked_out", "message": LOCKED_OUT, "fields": {}}}
    assert not Token.objects.exists()


def test_the_token_endpoint_still_serves_another_user(alice: User, victor: User) -> None:
    # given
    client = APIClient()
    for _ in range(FAILURE_LIMIT):
        client.post(TOKEN_URL, {"email": ALICE, "password": "wrong-password"})

    # when
    response = client.post(TOKEN_URL, {"email": "victor@rival.example.com", "password": PASSWORD})

    # then
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=victor).key}
    assert not Token.objects.filter(user=alice).exists()


def test_failures_on_the_page_and_the_api_count_together(alice: User) -> None:
    # given: three wrong passwords on the login page
    for _ in range(3):
        _log_in(Client(), ALICE, "wrong-password")
    client = APIClient()

    # when: two more on the API, then the right one
    statuses = [
        client.post(TOKEN_URL, {"email": ALICE, "password": "wrong-password"}).status_code
        for _ in range(2)
    ]
    response = client.post(TOKEN_URL, {"email": ALICE, "password": PASSWORD})

    # then
    assert statuses == [400, 429]
    assert response.status_code == 429
    assert not Token.objects.exists()


def test_behind_a_proxy_a_forged_forwarded_address_does_not_escape_the_lock(
    alice: User, settings: Any
) -> None:
    # given: one proxy, which appends the address it was reached from; the attacker sends a
    # different made-up X-Forwarded-For with every attempt
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    for number in range(FAILURE_LIMIT):
        _log_in(
            proxy,
            ALICE,
            "wrong-password",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.7",
        )

    # when
    attacker = _log_in(proxy, ALICE, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7")
    alice_elsewhere = _log_in(
        Client(REMOTE_ADDR="10.0.0.2"), ALICE, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20"
    )

    # then: the attacker's real address is locked out, alice's own from elsewhere is not
    assert attacker == 429
    assert alice_elsewhere == 302
