"""Load benchmark: many people using the site at once, against everything started for the run.

Starts its own PostgreSQL 15 and Redis on free loopback ports in a temporary directory (never
the ones `.ci/services.sh` runs on 54329/63790, which other runs may be using), creates and
seeds a fresh database, serves it with gunicorn as in production (config/gunicorn.py: sync
workers, two per core; DEBUG off; static files through WhiteNoise) next to one Celery worker,
and runs locust headless in this process:
institutions browse, search, log in, post needs through the API and read their matches;
vendors browse and answer leads. The measured window (--seconds) starts once every user has
logged in; logging in is reported apart, since 50 password hashes at once keep both workers
busy for many seconds. Afterwards it waits (bounded) for the worker to embed the posted needs
and counts the ones that are missing or not embedded with the current model (``lost``).
Everything it started is stopped again, also on failure, timeout or Ctrl-C.

Prints figures and asserts nothing. For the run, the API rate limits and the login lockout
are raised through their variables (API_RATE_TOKEN, API_RATE_WRITES, AXES_FAILURE_LIMIT): all
simulated users share one address, so the per-address limits would otherwise refuse them.

    .venv/bin/python bench/load.py --users 50 --seconds 60 [--json]

Its parts, next to it in bench/: load_services.py starts and stops the services, load_world.py
creates the accounts in the fresh database and later audits the posted needs (each run in a
child process), load_locustfile.py is the simulated people, load_cpu.py measures CPU per
process group and load_report.py turns the response times into the figures and the table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from load_report import TARGETS, percentile, summarize, table, targets_met
from load_services import (
    LOAD_LIMITS,
    PG_BIN,
    VENV_BIN,
    Budget,
    app_environment,
    background,
    create_database,
    free_port,
    log,
    postgres_server,
    redis_server,
    run,
    wait_until,
)

if TYPE_CHECKING:
    from load_cpu import CpuMeter

WORLD_SCRIPT = Path(__file__).resolve().parent / "load_world.py"
TROUBLE = ("ERROR", "CRITICAL", "Traceback", "WORKER TIMEOUT")
# Under niceness 10 (the earlier choice) a web worker woken by PostgreSQL could still wait out
# the worker's time slice: in two interleaved pairs of runs, match reads p95 283 and 301 ms,
# against 186 and 201 ms under the idle class (README, measured figures).
WORKER_SCHEDULING = ("chrt", "--idle", "0")


def run_locust(
    host: str, users: int, seconds: int, spawn_rate: float, ramp_timeout: float, meter: CpuMeter
) -> dict[str, Any]:
    import gevent
    import load_locustfile
    from locust.env import Environment

    # "ramp": spawning and logging in; "steady": the measured window, everyone logged in.
    phase = ["ramp"]
    times: dict[str, dict[str, list[float]]] = {
        "ramp": defaultdict(list),
        "steady": defaultdict(list),
    }
    failures: dict[str, dict[str, int]] = {"ramp": defaultdict(int), "steady": defaultdict(int)}
    errors: dict[tuple[str, str], int] = defaultdict(int)

    def on_request(name: str, response_time: float, exception: Any, **_: Any) -> None:
        times[phase[0]][name].append(response_time)
        if exception is not None:
            failures[phase[0]][name] += 1
            errors[(name, str(exception)[:300])] += 1

    environment = Environment(
        user_classes=[load_locustfile.InstitutionUser, load_locustfile.VendorUser], host=host
    )
    environment.events.request.add_listener(on_request)
    runner = environment.create_local_runner()
    ramp_started = time.monotonic()
    runner.start(users, spawn_rate=spawn_rate)
    while len(load_locustfile.LOGGED_IN) < users and time.monotonic() - ramp_started < ramp_timeout:
        gevent.sleep(0.2)
    started = time.monotonic()
    meter.start()
    phase[0] = "steady"
    load_locustfile.DEADLINE = started + seconds
    load_locustfile.STEADY.set()
    log(f"{len(load_locustfile.LOGGED_IN)} users logged in after {started - ramp_started:.0f}s")
    # Users stop by themselves at DEADLINE; quit() also ends requests still waiting after it.
    gevent.spawn_later(seconds + 5, runner.quit)
    runner.greenlet.join(timeout=seconds + 30)
    if runner.greenlet and not runner.greenlet.dead:
        runner.quit()
    elapsed = time.monotonic() - started
    meter.stop()
    ramp_elapsed = started - ramp_started
    steady = times["steady"]
    endpoints = {
        name: summarize(steady[name], failures["steady"][name], elapsed) for name in sorted(steady)
    }
    ramp = {
        name: summarize(times["ramp"][name], failures["ramp"][name], ramp_elapsed)
        for name in sorted(times["ramp"])
    }

    def group(prefix: str) -> list[float]:
        return [t for name, values in steady.items() if name.startswith(prefix) for t in values]

    every = [t for values in steady.values() for t in values]
    return {
        "elapsed": elapsed,
        "ramp_elapsed": ramp_elapsed,
        "logged_in": len(load_locustfile.LOGGED_IN),
        "posted": list(load_locustfile.POSTED_NEED_IDS),
        "endpoints": endpoints,
        "ramp_endpoints": ramp,
        "ramp_failures": sum(failures["ramp"].values()),
        "total": summarize(every, sum(failures["steady"].values()), elapsed),
        "pages_p95_ms": round(percentile(group("page "), 0.95), 1),
        "match_p95_ms": round(percentile(group("match "), 0.95), 1),
        "error_messages": [
            {"endpoint": name, "error": error, "occurrences": count}
            for (name, error), count in sorted(errors.items(), key=lambda item: -item[1])
        ],
    }


def gunicorn_worker_rss_mb(master: int) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children), in MB."""
    import psutil

    with contextlib.suppress(psutil.Error):
        return sorted(
            round(worker.memory_info().rss / 2**20, 1)
            for worker in psutil.Process(master).children()
        )
    return []


def child(
    arguments: list[str], env: dict[str, str], budget: Budget, stdin: str | None = None
) -> dict[str, Any]:
    """Run bench/load_world.py in the fresh database; the JSON object it prints last."""
    command = [str(VENV_BIN / "python"), str(WORLD_SCRIPT), *arguments]
    output = run(command, budget, env=env, input=stdin, cap=180)
    payload: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return payload


def prepare(env: dict[str, str], budget: Budget, users: int) -> dict[str, Any]:
    manage = [str(VENV_BIN / "python"), "manage.py"]
    for step in (
        ["migrate", "--noinput"],
        ["marketplace_seed"],
        ["matching_reindex"],
        ["matching_leads"],
        ["collectstatic", "--noinput", "--verbosity", "0"],
    ):
        started = time.monotonic()
        run([*manage, *step], budget, env=env)
        log(f"manage.py {' '.join(step)}: {time.monotonic() - started:.0f}s")
    return child(["world", "--users", str(users)], env, budget)


def wait_for_embeddings(
    env: dict[str, str], posted: list[int], budget: Budget, seconds: float
) -> tuple[dict[str, Any], float]:
    started = time.monotonic()
    while True:
        report = child(["audit"], env, budget, stdin=json.dumps(posted))
        waited = time.monotonic() - started
        if not report["not_embedded"] or waited >= seconds:
            return report, waited
        time.sleep(min(3.0, budget.left()))


def benchmark(options: argparse.Namespace) -> dict[str, Any]:
    import locust  # noqa: F401  # patches the standard library for gevent: before any socket

    budget = Budget(options.hard_timeout)
    load_before = os.getloadavg()
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="robomatch-load-")))
        logs = workdir / "logs"
        logs.mkdir()
        redis = stack.enter_context(redis_server(workdir, budget))
        postgres = stack.enter_context(postgres_server(workdir, budget))
        database_url = create_database(postgres, "robomatch_load", budget)
        env = app_environment(workdir, database_url, redis.url)
        world_data = prepare(env, budget, options.users)
        host = f"http://127.0.0.1:{free_port()}"
        celery = stack.enter_context(
            background(
                "celery worker",
                [
                    # Background work yields the cores to the web workers on a shared machine,
                    # as the README's production notes advise: the idle scheduling class, so a
                    # waking web worker or PostgreSQL backend takes the core at once.
                    *WORKER_SCHEDULING,
                    *(str(VENV_BIN / "celery"), "-A", "config", "worker", "-l", "warning"),
                    *("--concurrency", "1", "--without-heartbeat", "--without-gossip"),
                ],
                env,
                logs / "celery.log",
            )
        )
        # The pool process loads the model as it starts (config/celery.py); in the idle class
        # that waits for free cores, so it is done before gunicorn warms up and users log in.
        from load_cpu import CpuMeter, settled

        started = time.monotonic()
        wait_until("celery worker warm-up", lambda: settled(celery.pid), budget, 180)
        log(f"celery worker warmed up after {time.monotonic() - started:.0f}s")
        gunicorn = stack.enter_context(
            background(
                "gunicorn",
                [
                    # The production settings (config/gunicorn.py): sync workers, two per core.
                    *(str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"),
                    *("-b", host.removeprefix("http://")),
                    # Its default control socket is one path per machine, shared with any
                    # other gunicorn running here.
                    "--no-control-socket",
                ],
                env,
                logs / "gunicorn.log",
            )
        )

        def serving() -> bool:
            import urllib.request

            with contextlib.suppress(OSError):
                return urllib.request.urlopen(f"{host}/", timeout=2).status == 200
            return False

        wait_until("gunicorn", serving, budget, 60)
        import load_locustfile

        load_locustfile.WORLD.update(world_data)
        log(f"locust: {options.users} users for {options.seconds}s against {host}")
        budget.left(options.seconds + options.ramp_timeout + 60)  # fail now, not halfway
        meter = CpuMeter(
            {
                "gunicorn": gunicorn.pid,
                "celery": celery.pid,
                "postgres": postgres.pid,
                "redis": redis.pid,
            }
        )
        result = run_locust(
            host, options.users, options.seconds, options.spawn_rate, options.ramp_timeout, meter
        )
        load_after = os.getloadavg()
        web_rss_mb = gunicorn_worker_rss_mb(gunicorn.pid)
        log(f"waiting up to {options.embed_wait}s for {len(result['posted'])} posted needs")
        report, waited = wait_for_embeddings(env, result["posted"], budget, options.embed_wait)
        for name in ("celery.log", "gunicorn.log"):
            lines = (logs / name).read_text(errors="replace").splitlines()
            trouble = [line for line in lines if any(word in line for word in TROUBLE)]
            if trouble:
                log(f"{name}, last problems:\n" + "\n".join(trouble[-15:]))
    lost_ids = sorted(report["missing"] + report["not_embedded"])
    total = result["total"]
    summary = {
        "users": options.users,
        "seconds": options.seconds,
        "requests": total["requests"],
        "rps": total["rps"],
        # Failures in the whole run, logging in included.
        "errors": total["failures"] + result["ramp_failures"],
        "lost": len(lost_ids),
        "pages_p95_ms": result["pages_p95_ms"],
        "match_p95_ms": result["match_p95_ms"],
        "need_detail_p95_ms": result["endpoints"].get("page need detail", {}).get("p95_ms"),
        # The floor plan's target: match reads cost at most 1.5x a need's page.
        "match_to_detail_p95": round(
            result["match_p95_ms"]
            / max(result["endpoints"].get("page need detail", {}).get("p95_ms") or 0.0, 0.1),
            2,
        ),
        "web_worker_rss_mb": web_rss_mb,
        "p50_ms": total["p50_ms"],
        "p95_ms": total["p95_ms"],
        "p99_ms": total["p99_ms"],
        "posted_needs": len(result["posted"]),
        "lost_ids": lost_ids,
        "embedding_wait_s": round(waited, 1),
        "embedding_model": report["model_name"],
        "elapsed_s": round(result["elapsed"], 1),
        "ramp_s": round(result["ramp_elapsed"], 1),
        "logged_in": result["logged_in"],
        "cpus": os.cpu_count(),
        "loadavg_before": [round(value, 2) for value in load_before],
        "loadavg_after": [round(value, 2) for value in load_after],
        "raised_limits": LOAD_LIMITS,
        "targets": TARGETS,
        "endpoints": result["endpoints"],
        "ramp_endpoints": result["ramp_endpoints"],
        "error_messages": result["error_messages"][:20],
        "cpu_seconds": meter.seconds,
        # The same requests cost more CPU when the machine's host is busy: a gauge of its speed.
        "web_cpu_ms_per_request": round(
            1000 * meter.seconds.get("gunicorn", 0.0) / max(total["requests"], 1), 1
        ),
    }
    summary["targets_met"] = targets_met(summary)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=10.0, help="users started per second")
    parser.add_argument(
        "--ramp-timeout", type=float, default=300.0, help="seconds, at most, for logging in"
    )
    parser.add_argument("--embed-wait", type=float, default=120.0, help="seconds, at most")
    parser.add_argument(
        "--hard-timeout", type=float, default=None, help="default: seconds + ramp timeout + 900"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    options = parser.parse_args()
    if options.hard_timeout is None:
        options.hard_timeout = options.seconds + options.ramp_timeout + 900
    for tool in (
        PG_BIN / "initdb",
        Path(shutil.which("redis-server") or "/nonexistent"),
        Path(shutil.which(WORKER_SCHEDULING[0]) or "/nonexistent"),
    ):
        if not tool.exists():
            sys.exit(
                f"{tool} is missing: `make services-start` installs PostgreSQL 15 and Redis;"
                " chrt comes with util-linux."
            )
    summary = benchmark(options)
    print(json.dumps(summary, ensure_ascii=False) if options.json else table(summary))
    if options.json:
        print(table(summary), file=sys.stderr)


if __name__ == "__main__":
    main()
