"""Property-based contract test: the API served over real HTTP honours ``openapi.yaml``.

Schemathesis generates requests from the committed schema for every operation and sends them to
a live server holding the demo seed (taxonomy, catalog, events, demo logins, embeddings), once
anonymously and once as each demo role. Each response must not be a server error and must match
the schema: a declared status code, a declared content type, a body of the declared shape.

The server and the seed are set up once for the module (seeding with embeddings takes seconds,
an operation's cases a fraction of that); the reads run first, for every role, then the writes,
so the writes' changes to the seeded rows cannot turn a read's cases into something else. The
database is flushed at the end, as ``live_server`` tests leave it.

Bounded for CI: a fixed seed and derandomised Hypothesis, a few positive and negative cases per
operation and role, no coverage phase (its boundary-value sweep is hundreds of cases each).
After the module a table gives the operations and generated cases per role, and how many of
the responses were 2xx, 4xx and 5xx.
"""

from __future__ import annotations

import io
import sys
import threading
import traceback
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from pytest_django.live_server_helper import LiveServer
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Organization, User
from marketplace.models import (
    Capability,
    Event,
    EventParticipant,
    ImportJob,
    Lead,
    Meeting,
    Need,
)

# The matching tests' model fixture: the real default model, built once per session.

SCHEMA_PATH = Path(settings.BASE_DIR) / "openapi.yaml"
MAX_EXAMPLES = 10
# A response slower than SLOW_RESPONSE seconds is reported as a warning with what the server was
# doing (its threads' stacks and the database sessions), since no second run may show it again;
# one slower than REQUEST_TIMEOUT seconds fails the case with the same report. The test checks
# the contract, not the speed: only a server that stopped answering fails it.
SLOW_RESPONSE = 30
REQUEST_TIMEOUT = 120
REPORT_TIMEOUT = 10

# Anonymous first; then the demo logins from seeds/demo_users.json by role.
ROLES: dict[str, str | None] = {
    "anonymous": None,
    "demand": "institution@demo.robomatch.cn",
    "vendor": "vendor@demo.robomatch.cn",
    "organizer": "organizer@demo.robomatch.cn",
}

# Operations not fuzzed, each with the reason; the summary counts them. None at present: the
# binary exports (schedule.xlsx, shortlist.csv, calendar.ics) are checked for their declared
# content type, and DELETE /auth/token/ runs too (``_call`` gives the revoked token back).
EXCLUDED: dict[tuple[str, str], str] = {}

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

config = schemathesis.Config.from_dict(
    {
        "seed": 20260601,
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
schema: schemathesis.BaseSchema = schemathesis.openapi.from_path(SCHEMA_PATH, config=config)
for (excluded_method, excluded_path), _reason in EXCLUDED.items():
    schema = schema.exclude(method=excluded_method, path=excluded_path)
read_schema = schema.include(method="GET")
write_schema = schema.exclude(method="GET")

HYPOTHESIS_SETTINGS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    suppress_health_check=list(hypothesis.HealthCheck),
)


@dataclass
class Tally:
    operations: dict[str, set[str]] = field(default_factory=lambda: {role: set() for role in ROLES})
    cases: Counter[str] = field(default_factory=Counter)
    # "2xx", "4xx" by role: shows the cases reached past authentication and validation.
    statuses: dict[str, Counter[str]] = field(
        default_factory=lambda: {role: Counter() for role in ROLES}
    )


TALLY = Tally()


@dataclass(frozen=True)
class SeededServer:
    url: str
    tokens: dict[str, str]
    # Seeded ids by path parameter ("needs/{id}" as "needs", "{meeting_id}" as "meeting_id").
    ids: dict[str, list[int]]


@pytest.fixture(scope="module")
def seeded_server(
    request: pytest.FixtureRequest,
    django_db_setup: None,
    django_db_blocker: Any,
    model_path: Path,
) -> Iterator[SeededServer]:
    """The demo seed with its embeddings and leads, and a live server over it.

    Outside any test transaction, so that the seed and every case's writes are committed, and
    the live server sees the same rows on SQLite (whose in-memory database it shares) and on
    PostgreSQL (where it has its own connection). Flushed at the end, as ``live_server`` leaves
    the database, and the cache cleared.
    """
    from matching import store as search

    with django_db_blocker.unblock():
        search.embedded_reset()
        call_command("marketplace_seed", stdout=io.StringIO())
        call_command("matching_reindex", stdout=io.StringIO())
        call_command("matching_leads", stdout=io.StringIO())
        tokens = {
            role: Token.objects.get_or_create(user=User.objects.get(email=email))[0].key
            for role, email in ROLES.items()
            if email is not None
        }
        server = LiveServer("localhost")
        try:
            yield SeededServer(url=server.url, tokens=tokens, ids=_seeded_ids())
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            search.embedded_reset()
            # Rate-limit counters are keyed by user id, and the next tests' users reuse the ids.
            cache.clear()
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        # Past the output capture, so the table shows without -s.
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            reporter.write_sep("-", "schemathesis: operations and generated cases by role")
            for line in _summary():
                reporter.write_line(line)


# The model behind each path's ids; the operation's cases mostly reach seeded rows through them.
ID_MODELS: dict[str, type[Any]] = {
    "needs": Need,
    "capabilities": Capability,
    "events": Event,
    "leads": Lead,
    "organizations": Organization,
    "imports": ImportJob,
    "meeting_id": Meeting,
    "participant_id": EventParticipant,
}


def _seeded_ids() -> dict[str, list[int]]:
    return {
        name: list(model.objects.order_by("pk").values_list("pk", flat=True))
        for name, model in ID_MODELS.items()
    }


def _point_at_seeded_rows(case: Any, server: SeededServer) -> None:
    """Generated ids rarely name a seeded row, so nearly every case would be a 404. An even
    integer id becomes a seeded one (chosen by its value, so reproducibly); odd ids, and the
    strings and floats of the negative cases, stay as generated."""
    segments = case.operation.path.strip("/").split("/")
    for name, value in (case.path_parameters or {}).items():
        if not isinstance(value, int) or isinstance(value, bool) or value % 2:
            continue
        key = name if name != "id" else segments[segments.index("{id}") - 1]
        ids = server.ids.get(key)
        if ids:
            case.path_parameters[name] = ids[(value // 2) % len(ids)]


@pytest.fixture
def database_open(django_db_blocker: Any) -> Iterator[None]:
    """The cases are not database tests (no transaction to roll back: see ``seeded_server``),
    but the live server and the token check below use the test database while they run."""
    with django_db_blocker.unblock():
        yield


def _call(case: Any, server: SeededServer, role: str) -> None:
    headers = {"Accept-Language": "zh-hans"}
    email = ROLES[role]
    if email is not None:
        # A case of DELETE /auth/token/ revokes the token: give it back, with the same key.
        Token.objects.get_or_create(
            user=User.objects.get(email=email), defaults={"key": server.tokens[role]}
        )
        headers["Authorization"] = f"Token {server.tokens[role]}"
    _point_at_seeded_rows(case, server)
    with _reported_if_slow(case.operation.label):
        try:
            response = case.call(base_url=server.url, headers=headers, timeout=REQUEST_TIMEOUT)
        except requests.Timeout:
            pytest.fail(_server_state(case.operation.label, REQUEST_TIMEOUT))
    TALLY.operations[role].add(case.operation.label)
    TALLY.cases[role] += 1
    TALLY.statuses[role][f"{response.status_code // 100}xx"] += 1
    case.validate_response(response, checks=CHECKS, headers=headers)


# Not a django_db test, as the cases are not: pytest-django runs database tests before the others,
# which would tear the module's server down and seed a second one for the cases.
@pytest.mark.parametrize("role", [role for role, email in ROLES.items() if email is not None])
def test_every_role_is_signed_in_with_its_token(
    seeded_server: SeededServer, role: str, database_open: None
) -> None:
    """Runs first: were a token refused, every case of the role would be a 401 and pass."""
    response = requests.get(
        f"{seeded_server.url}/api/v1/organizations/me/",
        headers={"Authorization": f"Token {seeded_server.tokens[role]}"},
        timeout=REQUEST_TIMEOUT,
    )

    assert response.status_code == 200
    assert response.json()["kind"] == {"demand": "demand", "vendor": "vendor"}.get(
        role, "organizer"
    )


@pytest.mark.parametrize("role", list(ROLES))
@read_schema.parametrize()
@HYPOTHESIS_SETTINGS
def test_read_operations_honour_schema(
    case: Any, role: str, seeded_server: SeededServer, database_open: None
) -> None:
    _call(case, seeded_server, role)


@pytest.mark.parametrize("role", list(ROLES))
@write_schema.parametrize()
@HYPOTHESIS_SETTINGS
def test_write_operations_honour_schema(
    case: Any, role: str, seeded_server: SeededServer, database_open: None
) -> None:
    _call(case, seeded_server, role)


class SlowResponseWarning(UserWarning):
    pass


@contextmanager
def _reported_if_slow(label: str) -> Iterator[None]:
    """Warn with the server's state if the response takes over SLOW_RESPONSE seconds."""
    reports: list[str] = []
    watchdog = threading.Timer(
        SLOW_RESPONSE, lambda: reports.append(_server_state(label, SLOW_RESPONSE))
    )
    watchdog.start()
    try:
        yield
    finally:
        watchdog.cancel()
        # Bounded, as the report's queries are (a stalled database must not hang the test).
        watchdog.join(timeout=REPORT_TIMEOUT)
    for report in reports:
        warnings.warn(SlowResponseWarning(report), stacklevel=3)


def _server_state(label: str, seconds: float) -> str:
    """Every thread of this process (the live server's request threads among them) and every
    other session on the test database, as a request has waited ``seconds``."""
    lines = [f"{label}: no response after {seconds} s. Threads:"]
    frames = sys._current_frames()
    for thread in threading.enumerate():
        frame = frames.get(thread.ident or 0)
        stack = "".join(traceback.format_stack(frame)[-12:]) if frame is not None else ""
        lines.append(f"--- {thread.name}\n{stack}")
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {REPORT_TIMEOUT * 1000 // 2}")
                cursor.execute(
                    "SELECT pid, state, wait_event_type, wait_event, now() - xact_start, "
                    "left(query, 200) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                lines.append("Other sessions (pid, state, wait, transaction age, query):")
                lines.extend(repr(row) for row in cursor.fetchall())
                cursor.execute(
                    "SELECT pid, locktype, relation::regclass::text, mode FROM pg_locks "
                    "WHERE NOT granted"
                )
                lines.append("Locks waited for (pid, type, relation, mode):")
                lines.extend(repr(row) for row in cursor.fetchall())
        except DatabaseError as error:
            lines.append(f"The database sessions could not be read: {error}")
        finally:
            # The watchdog's thread opened a connection of its own: close it with the thread.
            if threading.current_thread() is not threading.main_thread():
                connection.close()
    return "\n".join(lines)


def _summary() -> list[str]:
    total_operations = len(list(schema.get_all_operations())) + len(EXCLUDED)
    lines = [
        f"{total_operations} operations in openapi.yaml, {len(EXCLUDED)} excluded; "
        f"up to {MAX_EXAMPLES} generated cases per operation and role",
        f"{'role':<10} {'operations':>10} {'cases':>7} {'2xx':>6} {'4xx':>6} {'5xx':>6}",
    ]
    for role in ROLES:
        statuses = TALLY.statuses[role]
        lines.append(
            f"{role:<10} {len(TALLY.operations[role]):>10} {TALLY.cases[role]:>7} "
            f"{statuses['2xx']:>6} {statuses['4xx']:>6} {statuses['5xx']:>6}"
        )
    lines.append(
        f"{'total':<10} {sum(len(ops) for ops in TALLY.operations.values()):>10} "
        f"{sum(TALLY.cases.values()):>7}"
    )
    lines.extend(f"excluded {method} {path}: {why}" for (method, path), why in EXCLUDED.items())
    return lines
