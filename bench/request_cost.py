"""What one request costs the web process, page by page, counted in ways this machine's speed
does not change: SQL queries and Python function calls per request, next to CPU milliseconds.

The load benchmark's latencies move with how busy this shared machine is in that minute (its
web workers' CPU per request went from 21.5 to 27.6 ms between runs of the same code), so a change
that saves a tenth of a page's work can be lost in that. Queries and calls per request come out
the same on every run; the CPU column is the best of several batches and still varies.

Builds a throwaway SQLite database in a temporary directory (migrate, the demo seed, the index
and the leads, as ``make run`` does), then asks each page with Django's test client, signed in
as the demo institution or vendor, in this process. Needs the model (``make model``). With
``--postgres``, over what bench/load.py runs instead: a throwaway PostgreSQL cluster, and Redis
for the cache, both started here and stopped at the end.

    .venv/bin/python bench/request_cost.py [--requests 20] [--postgres] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from load_services import (
    ROOT,
    Budget,
    app_environment,
    create_database,
    postgres_server,
    redis_server,
)

INSTITUTION = "institution@demo.robomatch.cn"
VENDOR = "vendor@demo.robomatch.cn"
BATCHES = 5


def setup(workdir: Path, services: contextlib.ExitStack | None = None) -> None:
    """As bench/load.py's gunicorn has it: over a SQLite file and without Redis, or with
    ``services``, over PostgreSQL and Redis started in ``workdir`` and stopped with it."""
    if services is None:
        environment = app_environment(workdir, f"sqlite:///{workdir / 'cost.sqlite3'}")
    else:
        budget = Budget(600)
        redis = services.enter_context(redis_server(workdir, budget))
        postgres = services.enter_context(postgres_server(workdir, budget))
        database_url = create_database(postgres, "robomatch_cost", budget)
        environment = app_environment(workdir, database_url, redis.url)
    os.environ.clear()
    os.environ.update(environment)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver"]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for command in ("migrate", "marketplace_seed", "matching_reindex", "matching_leads"):
            call_command(command)


def pages() -> list[tuple[str, str, str, bool]]:
    """(name, user, path, with an API token) for the pages bench/load.py asks most."""
    from accounts.models import User
    from marketplace.models import Capability, Need

    institution = User.objects.get(email=INSTITUTION)
    assert institution.organization_id is not None, "the demo seed"
    own = Need.objects.filter(organization_id=institution.organization_id).published().first()
    public = Need.objects.published().order_by("pk").first()
    profile = Capability.objects.published().order_by("pk").first()
    assert own is not None and public is not None and profile is not None, "the demo seed"
    domain = public.domain.code
    return [
        ("page home", INSTITUTION, "/", False),
        ("page need list", INSTITUTION, "/needs/", False),
        ("page need list (domain)", INSTITUTION, f"/needs/?domain={domain}", False),
        ("page search", INSTITUTION, "/needs/?q=康复", False),
        ("page need detail", INSTITUTION, f"/needs/{public.pk}/", False),
        ("page capability list", INSTITUTION, "/capabilities/", False),
        ("page capability detail", INSTITUTION, f"/capabilities/{profile.pk}/", False),
        ("page my needs", INSTITUTION, "/needs/mine/", False),
        ("match page need matches", INSTITUTION, f"/needs/{own.pk}/matches/", False),
        ("match api need matches", INSTITUTION, f"/api/v1/needs/{own.pk}/matches/", True),
        ("page lead inbox", VENDOR, "/leads/", False),
        ("api lead list", VENDOR, "/api/v1/leads/?demand_decision=none&page_size=50", True),
    ]


def measure(requests: int) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token

    from accounts.models import User

    rows = []
    for name, email, path, token in pages():
        user = User.objects.get(email=email)
        if token:
            key = Token.objects.get_or_create(user=user)[0].key
            client = Client(headers={"Authorization": f"Token {key}"})
        else:
            client = Client()
            client.force_login(user)

        def ask(client: Client = client, path: str = path) -> None:
            response = client.get(path)
            assert response.status_code == 200, f"{path}: {response.status_code}"

        for _ in range(5):  # what each process keeps (features, vectors, templates) is warm
            ask()
        with CaptureQueriesContext(connection) as queries:
            ask()
        # Now: the captured list is a slice of the connection's log, which the next request clears.
        query_count = len(queries)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(requests):
            ask()
        profile.disable()
        stats = pstats.Stats(profile, stream=io.StringIO()).stats  # type: ignore[attr-defined]
        calls = sum(entry[1] for entry in stats.values()) / requests
        cpu = []
        for _ in range(BATCHES):
            started = time.process_time()
            for _ in range(requests):
                ask()
            cpu.append((time.process_time() - started) / requests * 1000)
        rows.append(
            {
                "page": name,
                "path": path,
                "queries": query_count,
                "python_calls": round(calls),
                "cpu_ms_best": round(min(cpu), 1),
            }
        )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"{'page':26s} {'queries':>7s} {'Python calls':>12s} {'CPU ms (best)':>13s}",
        "-" * 61,
    ]
    for row in rows:
        lines.append(
            f"{row['page']:26s} {row['queries']:7d} {row['python_calls']:12,d}"
            f" {row['cpu_ms_best']:13.1f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20, help="per batch (default 20)")
    parser.add_argument(
        "--postgres", action="store_true", help="over PostgreSQL and Redis, as bench/load.py"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object instead")
    options = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="robomatch-cost-") as workdir,
        contextlib.ExitStack() as services,
    ):
        setup(Path(workdir), services if options.postgres else None)
        rows = measure(options.requests)
        # Before the services stop under them.
        from django.db import connections

        connections.close_all()
    database = "postgresql" if options.postgres else "sqlite"
    if options.json:
        print(
            json.dumps(
                {"requests_per_batch": options.requests, "database": database, "pages": rows},
                ensure_ascii=False,
            )
        )
    else:
        print(table(rows))


if __name__ == "__main__":
    main()
