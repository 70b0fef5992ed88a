"""Issue 19, finding 4: JSON nested a thousand levels deep made the API fail with RecursionError
(500). Every JSON body now goes through config.parsers.JSONParser, which answers 400."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from config.parsers import MAX_DEPTH, JSONTooDeepError, json_depth_exceeds, json_loads
from tests.conftest import ClientFor
from tests.security.api_operations import Operation, json_operations
from tests.security.conftest import ProbeWorld

DEEP = 1000
DEEP_BODY = '{"title": ' + "[" * DEEP + "]" * DEEP + "}"
TOO_DEEP_MESSAGE = f"JSON 嵌套层数过多：最多允许 {MAX_DEPTH} 层。"


def _send(client: APIClient, method: str, path: str, body: str) -> object:
    return client.generic(method.upper(), path, body, content_type="application/json")


def test_json_depth_is_measured_without_recursion() -> None:
    nested: object = 1
    for _level in range(100_000):
        nested = [nested]

    assert json_depth_exceeds(nested, 99_999)
    assert not json_depth_exceeds(nested, 100_000)
    assert not json_depth_exceeds({"a": [1, {"b": 2}]}, 3)
    assert json_depth_exceeds({"a": [1, {"b": {}}]}, 3)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, DEEP, 100_000])
def test_json_loads_refuses_a_document_nested_too_deep(depth: int) -> None:
    with pytest.raises(JSONTooDeepError):
        json_loads("[" * depth + "]" * depth)


def test_json_loads_reads_a_document_at_the_limit() -> None:
    assert json_loads("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None


def test_an_anonymous_token_request_nested_a_thousand_levels_deep_is_a_400(
    client_for: ClientFor,
) -> None:
    # when
    response = _send(client_for(None), "post", "/api/v1/auth/token/", DEEP_BODY)

    # then
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert response.json() == {  # type: ignore[attr-defined]
        "error": {"code": "parse_error", "message": TOO_DEEP_MESSAGE, "fields": {}}
    }


@pytest.mark.parametrize("method", ["post", "patch"])
def test_a_need_written_with_deeply_nested_json_is_a_400(
    probe_world: ProbeWorld, alice: User, client_for: ClientFor, method: str
) -> None:
    # given
    need = probe_world.fair.needs["yihe"]
    path = "/api/v1/needs/" if method == "post" else f"/api/v1/needs/{need.pk}/"

    # when
    response = _send(client_for(alice), method, path, DEEP_BODY)

    # then
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert response.json()["error"]["message"] == TOO_DEEP_MESSAGE  # type: ignore[attr-defined]
    need.refresh_from_db()
    assert need.title == "三餐送餐机器人"


def test_english_readers_get_the_message_in_english(client_for: ClientFor) -> None:
    response = _send(client_for(None, language="en"), "post", "/api/v1/auth/token/", DEEP_BODY)

    assert response.json()["error"]["message"] == (  # type: ignore[attr-defined]
        f"JSON is nested too deeply: at most {MAX_DEPTH} levels are allowed."
    )


def test_the_probe_covers_the_json_endpoints_it_was_written_for() -> None:
    names = {str(operation) for operation in json_operations()}
    assert {
        "POST /api/v1/auth/token/",
        "POST /api/v1/needs/",
        "PATCH /api/v1/needs/{id}/",
        "PATCH /api/v1/organizations/me/",
    } <= names


@pytest.mark.parametrize("operation", json_operations(), ids=str)
def test_every_json_endpoint_answers_deep_json_with_a_client_error(
    probe_world: ProbeWorld, client_for: ClientFor, operation: Operation
) -> None:
    """Sent by everyone who might get as far as reading the body: never a 500, and at least
    one of them gets the parser's 400."""
    # given
    fair = probe_world.fair
    url = operation.url(probe_world.path_values(operation.resource))
    users = [None, fair.alice, fair.bob, fair.olga]

    # when
    responses = [_send(client_for(user), operation.method, url, DEEP_BODY) for user in users]

    # then
    statuses = [response.status_code for response in responses]  # type: ignore[attr-defined]
    assert set(statuses) <= {400, 401, 403, 404, 405}, statuses
    codes = [
        response.json()["error"]["code"]  # type: ignore[attr-defined]
        for response in responses
        if response.status_code == 400  # type: ignore[attr-defined]
    ]
    assert "parse_error" in codes, (statuses, codes)


def test_a_shallow_body_still_works(alice: User, client_for: ClientFor) -> None:
    body = json.dumps({"username": "alice@yihe.example.com", "password": "wrong"})

    response = _send(client_for(None), "post", "/api/v1/auth/token/", body)

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert response.json()["error"]["code"] != "parse_error"  # type: ignore[attr-defined]
