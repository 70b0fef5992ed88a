"""The schema and its two viewers are served, with assets from this site rather than a CDN."""

from __future__ import annotations

import re

import pytest
from django.test import Client


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_viewers_load_their_assets_locally(path: str, db: None) -> None:
    # when
    response = Client().get(path)

    # then
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("drf_spectacular_sidecar" in source for source in sources), sources
    assert not [source for source in sources if source.startswith(("http:", "https:", "//"))]
    assert "cdn.jsdelivr.net" not in html


def test_schema_is_served(db: None) -> None:
    # when
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    # then
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "RoboMatch API"
    assert "/api/v1/needs/" in schema["paths"]
