"""The brokers the worker tests run on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def redis_url() -> str:
    """The shared Redis of ``make test`` (skips when ``REDIS_URL`` is not set)."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL is not set; `make test` starts Redis and sets it")
    return url


@pytest.fixture(params=["sqlalchemy", "redis"])
def broker_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The embedded default broker (kombu's SQLAlchemy transport on a SQLite file in a temporary
    directory), then Redis at ``REDIS_URL``."""
    if request.param == "sqlalchemy":
        return f"sqla+sqlite:///{tmp_path / 'celery-broker.sqlite3'}"
    url: str = request.getfixturevalue("redis_url")
    return url
