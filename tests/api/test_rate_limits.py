"""Rate limits: token requests per client address, writes per user; reads are not limited.

The test settings raise the rates out of reach; the ``rates`` fixture sets small ones, empties the
cache that holds the counters, and stops the throttles' clock, so a "minute" ends only when a test
moves the clock on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Organization, User
from config.env import env_rate
from config.throttling import MethodRateThrottle
from tests.conftest import PASSWORD, ClientFor

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/organizations/me/"
NEEDS_URL = "/api/v1/needs/"
START = 1_800_000_000.0


class Clock:
    """The throttles' time: stands still unless a test moves it."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


SetRates = Callable[..., None]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    stopped = Clock()
    monkeypatch.setattr(MethodRateThrottle, "timer", staticmethod(stopped))
    return stopped


@pytest.fixture
def rates(settings: Any, clock: Clock) -> Iterator[SetRates]:
    """Set the token and write rates for this test; counters start from nothing, and this test's
    (stamped by the stopped clock) are gone afterwards."""

    def set_rates(*, token: str = "10/min", writes: str = "120/min") -> None:
        # Replacing REST_FRAMEWORK makes DRF reload its settings; the throttles read the rates
        # on each request (config.throttling), so the new ones apply at once.
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"token": token, "writes": writes},
        }

    cache.clear()
    set_rates()
    yield set_rates
    cache.clear()


def _token_request(client: APIClient, **extra: Any) -> Any:
    return client.post(
        TOKEN_URL, {"email": "alice@yihe.example.com", "password": PASSWORD}, **extra
    )


def test_the_eleventh_token_request_in_a_minute_gets_429_with_retry_after(
    alice: User, rates: SetRates
) -> None:
    # given ten requests from one address within the minute, a wrong password among them (one
    # only: django-axes locks the email out after AXES_FAILURE_LIMIT wrong ones)
    client = APIClient()
    wrong = client.post(TOKEN_URL, {"email": alice.email, "password": "wrong-password"})
    assert wrong.status_code == 400
    for _attempt in range(9):
        assert _token_request(client).status_code == 200

    # when
    response = _token_request(client)

    # then
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "60"
    assert response.json() == {
        "error": {"code": "throttled", "message": "请求已被限流。 预计 60 秒后可用。", "fields": {}}
    }


def test_the_token_limit_message_is_in_english_when_asked(alice: User, rates: SetRates) -> None:
    # given
    rates(token="1/min")
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    assert _token_request(client).status_code == 200

    # when
    response = _token_request(client)

    # then
    assert response.status_code == 429
    assert response.json() == {
        "error": {
            "code": "throttled",
            "message": "Request was throttled. Expected available in 60 seconds.",
            "fields": {},
        }
    }


def test_the_token_limit_counts_per_client_address(alice: User, bob: User, rates: SetRates) -> None:
    # given one address has used up its token requests
    rates(token="2/min")
    client = APIClient()
    for _attempt in range(2):
        assert _token_request(client).status_code == 200
    assert _token_request(client).status_code == 429

    # when another address asks, for another user and for the same one
    other_address = APIClient(REMOTE_ADDR="203.0.113.7")
    bob_response = other_address.post(TOKEN_URL, {"email": bob.email, "password": PASSWORD})
    alice_response = _token_request(other_address)

    # then
    assert bob_response.status_code == 200
    assert bob_response.json() == {"token": Token.objects.get(user=bob).key}
    assert alice_response.status_code == 200


def test_a_forged_forwarded_for_header_does_not_escape_the_token_limit(
    alice: User, rates: SetRates
) -> None:
    # given no proxy is trusted (TRUSTED_PROXY_COUNT=0) and the address has used up its requests
    assert django_settings.TRUSTED_PROXY_COUNT == 0
    rates(token="1/min")
    assert _token_request(APIClient()).status_code == 200

    # when the same client claims to be forwarded for another address
    response = _token_request(APIClient(HTTP_X_FORWARDED_FOR="198.51.100.23"))

    # then
    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_token_limit(
    alice: User, settings: Any, rates: SetRates
) -> None:
    # given one reverse proxy in front of the app, and a client behind it that used up its rate
    rates(token="1/min")
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    first = APIClient(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.23")
    assert _token_request(first).status_code == 200
    assert _token_request(first).status_code == 429

    # when another client comes through the same proxy, claiming the first one's address too
    second = APIClient(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.23, 203.0.113.9")

    # then only the address the proxy appended counts
    assert _token_request(second).status_code == 200


def test_a_forwarded_for_header_shorter_than_the_proxy_chain_does_not_escape_the_token_limit(
    alice: User, settings: Any, rates: SetRates
) -> None:
    # given two proxies are trusted, and a client that reaches the inner one directly has used up
    # its rate while sending an X-Forwarded-For of its own
    rates(token="1/min")
    settings.TRUSTED_PROXY_COUNT = 2
    inner_proxy = "10.0.0.1"
    assert (
        _token_request(
            APIClient(REMOTE_ADDR=inner_proxy, HTTP_X_FORWARDED_FOR="198.51.100.23")
        ).status_code
        == 200
    )

    # when it sends another made-up address
    response = _token_request(
        APIClient(REMOTE_ADDR=inner_proxy, HTTP_X_FORWARDED_FOR="198.51.100.24")
    )

    # then the header did not pass both proxies, so the connection's address counts, as it does
    # for the login lockout
    assert response.status_code == 429


def test_token_requests_are_allowed_again_once_the_minute_has_passed(
    alice: User, rates: SetRates, clock: Clock
) -> None:
    # given
    rates(token="2/min")
    client = APIClient()
    for _attempt in range(2):
        assert _token_request(client).status_code == 200
    clock.now += 30
    refused = _token_request(client)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "30"

    # when
    clock.now += 30
    response = _token_request(client)

    # then
    assert response.status_code == 200


def test_writes_over_the_rate_get_429_and_change_nothing(
    alice: User, yihe: Organization, rates: SetRates, client_for: ClientFor
) -> None:
    # given
    rates(writes="3/min")
    client = client_for(alice)
    for number in range(3):
        edit = client.patch(ME_URL, {"introduction": f"第{number}次修改"}, format="json")
        assert edit.status_code == 200

    # when
    response = client.patch(ME_URL, {"introduction": "第四次修改"}, format="json")

    # then
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "60"
    assert response.json()["error"]["code"] == "throttled"
    yihe.refresh_from_db()
    assert yihe.introduction == "第2次修改"


def test_one_users_writes_do_not_use_up_another_users_rate(
    alice: User, bob: User, kangtu: Organization, rates: SetRates, client_for: ClientFor
) -> None:
    # given alice has used up her writes
    rates(writes="2/min")
    alice_client = client_for(alice)
    for _attempt in range(2):
        assert alice_client.patch(ME_URL, {"city": "青岛市"}, format="json").status_code == 200
    assert alice_client.patch(ME_URL, {"city": "青岛市"}, format="json").status_code == 429

    # when bob writes from the same address
    response = client_for(bob).patch(ME_URL, {"introduction": "康途的介绍"}, format="json")

    # then
    assert response.status_code == 200
    kangtu.refresh_from_db()
    assert kangtu.introduction == "康途的介绍"


@pytest.mark.usefixtures("yihe")
def test_reads_are_not_limited_even_when_writes_are_used_up(
    alice: User, rates: SetRates, client_for: ClientFor
) -> None:
    # given
    rates(token="1/min", writes="1/min")
    client = client_for(alice)
    assert client.patch(ME_URL, {"city": "青岛市"}, format="json").status_code == 200
    assert client.patch(ME_URL, {"city": "青岛市"}, format="json").status_code == 429

    # when
    statuses = {client.get(url).status_code for url in (ME_URL, NEEDS_URL) * 25}
    anonymous = {client_for(None).get(NEEDS_URL).status_code for _attempt in range(25)}

    # then
    assert statuses == {200}
    assert anonymous == {200}


def test_the_schema_documents_429_on_limited_operations_only() -> None:
    # given
    schema = yaml.safe_load((Path(django_settings.BASE_DIR) / "openapi.yaml").read_text())
    paths = schema["paths"]

    # when
    token_create = paths[TOKEN_URL]["post"]["responses"]
    need_create = paths[NEEDS_URL]["post"]["responses"]
    need_list = paths[NEEDS_URL]["get"]["responses"]

    # then
    assert token_create["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer"}
    assert token_create["429"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ApiError"
    }
    assert "429" in need_create
    assert "429" not in need_list


def test_a_rate_from_the_environment_is_checked_at_start_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given
    monkeypatch.setenv("API_RATE_TOKEN", " 20/Min ")
    monkeypatch.setenv("API_RATE_WRITES", "lots")

    # when
    token_rate = env_rate("API_RATE_TOKEN", default="10/min")
    with pytest.raises(ImproperlyConfigured) as error:
        env_rate("API_RATE_WRITES", default="120/min")

    # then
    assert token_rate == "20/min"
    assert str(error.value) == (
        "Environment variable API_RATE_WRITES='lots' is not valid; allowed values: "
        "NUMBER/PERIOD with a period of s, min, hour or day, e.g. 10/min."
    )
