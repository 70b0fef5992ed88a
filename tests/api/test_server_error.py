"""A server error under /api/ answers in the API's error shape; elsewhere, the site's page.

tests/integration/test_database_drop.py makes a real one (PostgreSQL drops the connection); this
checks the handler on any database.
"""

from __future__ import annotations

import json

from django.test import RequestFactory
from django.urls import get_resolver

from config.api import server_error


def test_the_project_uses_its_own_500_handler() -> None:
    assert get_resolver().resolve_error_handler(500) is server_error


def test_an_api_500_is_json_in_the_error_shape_and_names_no_cause() -> None:
    response = server_error(RequestFactory().get("/api/v1/needs/"))

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    error = json.loads(response.content)["error"]
    assert error == {"code": "server_error", "message": "服务器出错了，请稍后再试。", "fields": {}}


def test_a_page_500_is_the_sites_html_page() -> None:
    response = server_error(RequestFactory().get("/needs/"))

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "服务器出错了" in response.content.decode()
