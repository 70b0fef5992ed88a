"""PostgreSQL drops the site's connection: that request fails cleanly, the next one works.

The connection is dropped the way a database restart, a failover or an idle-connection reaper
drops it: the server ends the backend (``pg_terminate_backend``, from a second connection). The
requests go through Django's ``WSGIHandler`` in this thread, as a sync WSGI worker (gunicorn's)
serves them one after another. Not through the test client: it switches off Django's handling of
old connections around each request (``close_old_connections`` on request start and finish), which
is exactly the handling under test here.

Each test runs twice: with a connection per request (``CONN_MAX_AGE`` 0, the default) and with
persistent connections (``CONN_MAX_AGE`` 60, as ``?conn_max_age=60`` in ``DATABASE_URL`` gives),
where ``CONN_HEALTH_CHECKS`` (set in ``config/settings/base.py`` for PostgreSQL) is what makes
Django replace a connection the server has dropped instead of failing the next request on it.

PostgreSQL only: SQLite has no server to drop a connection. Run alone with the services of
``make test``::

    bash .ci/services.sh start
    SECRET_KEY=insecure-key-for-tests-and-lint-only \\
    DATABASE_URL=postgres://robomatch:robomatch@127.0.0.1:54329/robomatch \\
        .venv/bin/pytest tests/integration/test_database_drop.py
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from wsgiref.util import setup_testing_defaults

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection

pytestmark = pytest.mark.integration

SERVER_ERROR_PAGE = "服务器出错了 / Server error"  # templates/500.html
LEAKS = ("Traceback", "OperationalError", "psycopg", "terminating connection", "SELECT")


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: str


def _get(path: str) -> Response:
    """One GET through Django's WSGI handler, finished as a WSGI server finishes it."""
    environ: dict[str, Any] = {"PATH_INFO": path, "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    started: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], *args: Any) -> None:
        started.update(status=int(status.split()[0]), headers=dict(headers))

    chunks = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(chunks).decode()
    finally:
        chunks.close()  # fires request_finished: Django closes a connection it cannot reuse
    return Response(started["status"], started["headers"].get("Content-Type", ""), body)


def _backend_pid() -> int:
    """The server process behind this thread's Django connection, connecting if need be."""
    connection.ensure_connection()
    assert connection.connection is not None
    return int(connection.connection.info.backend_pid)


def _require_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "PostgreSQL only: SQLite has no server to drop the connection; "
            "this test runs in the PostgreSQL pass of `make test`"
        )


@pytest.fixture
def terminate() -> Iterator[Callable[[int], None]]:
    """End a backend from a connection of its own, and wait until the server has ended it."""
    _require_postgresql()
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:

        def terminate_backend(pid: int) -> None:
            row = admin.execute("SELECT pg_terminate_backend(%s, 10000)", [pid]).fetchone()
            assert row == (True,), f"backend {pid} was not terminated"

        yield terminate_backend


@pytest.fixture(params=[0, 60], ids=["connection-per-request", "persistent-connections"])
def conn_max_age(request: pytest.FixtureRequest, transactional_db: None) -> Iterator[int]:
    """The test database connection with the given ``CONN_MAX_AGE``, from its next connect."""
    _require_postgresql()
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    saved = connection.settings_dict["CONN_MAX_AGE"]
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = request.param
    try:
        yield request.param
    finally:
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = saved


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/", "/api/v1/organizations/"])
def test_a_connection_dropped_during_a_request_fails_it_cleanly_and_the_next_request_works(
    terminate: Callable[[int], None],
    conn_max_age: int,
    path: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Given a request that has its connection (open and checked) when the server drops it, just
    # before the request's first query
    dropped: list[int] = []

    def drop_before_the_first_query(execute: Callable[..., Any], *args: Any) -> Any:
        if not dropped:
            dropped.append(_backend_pid())
            terminate(dropped[0])
        return execute(*args)

    # When the request is made
    with (
        connection.execute_wrapper(drop_before_the_first_query),
        caplog.at_level(logging.ERROR, logger="django.request"),
    ):
        failed = _get(path)

    # Then it fails with the site's error page (the API's error shape under /api/), telling
    # nothing of the cause
    assert len(dropped) == 1
    assert failed.status == 500
    if path.startswith("/api/"):
        assert failed.content_type == "application/json"
        assert json.loads(failed.body)["error"]["code"] == "server_error"
    else:
        assert failed.content_type == "text/html; charset=utf-8"
        assert SERVER_ERROR_PAGE in failed.body
    assert [leak for leak in LEAKS if leak in failed.body] == []
    # and the cause is logged for the operators, once
    [logged] = [record for record in caplog.records if record.name == "django.request"]
    assert logged.levelno == logging.ERROR
    assert logged.exc_info is not None and isinstance(logged.exc_info[1], OperationalError)
    # and Django has let go of the dropped connection
    assert connection.connection is None

    # When the next request is made
    recovered = _get(path)

    # Then it works, on a connection of its own
    assert recovered.status == 200, recovered.body[:2000]
    assert _backend_pid() != dropped[0]


@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_between_requests_is_replaced_before_the_next_request_uses_it(
    terminate: Callable[[int], None], conn_max_age: int, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a request that has been served
    assert _get("/").status == 200
    # and the server drops the connection after it (if the request left it open)
    kept = connection.connection is not None
    assert kept is (conn_max_age > 0)
    if kept:
        dropped = _backend_pid()
        terminate(dropped)

    # When the next request is made
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = _get("/")

    # Then it works: a persistent connection is checked before its first query and replaced
    assert response.status == 200, response.body[:2000]
    assert [record for record in caplog.records if record.name == "django.request"] == []
    if kept:
        assert _backend_pid() != dropped
