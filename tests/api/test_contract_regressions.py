"""What the live-server contract test (tests/api/test_schemathesis.py) found, pinned one by one:
each request once answered a 500 or a body the schema did not describe."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import Organization, User
from marketplace.events.services import event_create
from marketplace.models import Event
from tests.conftest import ClientFor

OUT_OF_RANGE_ID = 2**70
SCHEMA_PATH = Path(settings.BASE_DIR) / "openapi.yaml"


@pytest.mark.parametrize("name", ["need", "capability"])
def test_lead_filter_by_an_id_out_of_range_gives_an_empty_page(
    client_for: ClientFor, bob: User, name: str
) -> None:
    # Given a vendor; when it filters its leads by an id no database integer holds
    response = client_for(bob).get("/api/v1/leads/", {name: OUT_OF_RANGE_ID})

    # Then the page is empty, as for any id it may not see; the query did not overflow
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_lead_filter_by_a_negative_id_gives_an_empty_page(client_for: ClientFor, bob: User) -> None:
    response = client_for(bob).get("/api/v1/leads/", {"capability": -OUT_OF_RANGE_ID})

    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.usefixtures("taxonomy")
def test_a_nul_character_in_a_named_relation_is_a_field_error_not_a_server_error(
    client_for: ClientFor, bob: User
) -> None:
    # Given a profile whose robot type and service region carry a NUL (PostgreSQL cannot even
    # look such a name up)
    body = {
        "title": "巡检机器人",
        "description": "室外巡检。",
        "robot_type": "quadruped\x00",
        "domains": ["civil_affairs"],
        "service_regions": ["全\x00国"],
        "maturity": "pilot",
    }

    # When the vendor posts it
    response = client_for(bob).post("/api/v1/capabilities/", body, format="json")

    # Then each field is named, in the API's error shape
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["robot_type"] == ["不能包含空字符（NUL）。"]
    regions = [key for key in fields if key.startswith("service_regions")]
    assert regions and all(fields[key] == ["不能包含空字符（NUL）。"] for key in regions)


@pytest.mark.parametrize("method", ["get", "patch", "post", "delete"])
def test_api_path_matching_no_route_is_a_json_404(db: None, method: str) -> None:
    # An id that is not a number matches no route; a write to it needs no CSRF token to learn that
    client = Client(enforce_csrf_checks=True)

    response = getattr(client, method)("/api/v1/needs/not-a-number/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": {"code": "not_found", "message": "未找到。", "fields": {}}}


def test_api_path_with_a_line_break_in_an_id_is_a_json_404(db: None) -> None:
    response = Client().delete("/api/v1/events/x%0Ay/participants/1/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_body_with_more_fields_than_django_parses_is_a_json_400(
    client_for: ClientFor, olga: User, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    body = "&".join(f"field{number}=x" for number in range(4))

    response = client_for(olga).generic(
        "POST", "/api/v1/events/", body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    assert not Event.objects.exists()


def test_api_path_without_trailing_slash_still_redirects(db: None) -> None:
    response = Client().get("/api/v1/needs")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/needs/"


def test_page_that_does_not_exist_is_a_json_404(client_for: ClientFor, alice: User) -> None:
    response = client_for(alice).get("/api/v1/notifications/", {"page": "x"})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_organization_without_website_or_email_matches_the_schema(
    client_for: ClientFor, alice: User, yihe: Organization
) -> None:
    # given an organisation that left both optional fields empty (the model allows blank)
    yihe.website = ""
    yihe.email = ""
    yihe.save()

    # when a member reads it
    data = client_for(alice).get("/api/v1/organizations/me/").json()

    # then the empty strings are what openapi.yaml promises (``format: uri`` alone refused "")
    properties = yaml.safe_load(SCHEMA_PATH.read_text("utf-8"))["components"]["schemas"][
        "OrganizationOutput"
    ]["properties"]
    for name in ("website", "email"):
        validator = jsonschema_rs.Draft4Validator(properties[name], validate_formats=True)
        assert data[name] == ""
        assert validator.is_valid(data[name]), name
        assert not validator.is_valid("not an address"), name


@pytest.fixture
def event(olga: User, taxonomy: dict[str, Any]) -> Event:
    return event_create(
        user=olga,
        fields={
            "name": "康复机器人对接会",
            "date": timezone.localdate(),
            "starts_at": datetime.time(9, 0),
            "ends_at": datetime.time(10, 40),
            "meeting_minutes": 20,
            "min_vendors_per_demand": 1,
        },
        breaks=[],
        tables=[("1号桌", 2)],
        domains=[taxonomy["civil"]],
    )


def test_an_edit_with_tables_without_capacity_gives_them_the_default(
    event: Event, olga: User, client_for: ClientFor
) -> None:
    # A PATCH is partial, so DRF does not fill in the nested default: it once raised KeyError
    response = client_for(olga).patch(
        f"/api/v1/events/{event.pk}/", {"tables": [{"name": "洽谈室A"}]}, format="json"
    )

    assert response.status_code == 200, response.content
    assert [(t["name"], t["capacity"]) for t in response.json()["tables"]] == [("洽谈室A", 1)]
