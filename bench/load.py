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
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from load_cpu import CpuMeter

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
VENV_BIN = ROOT / ".venv" / "bin"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
CI_PORTS = {54329, 63790}  # .ci/services.sh's, left to the runs that use them
TROUBLE = ("ERROR", "CRITICAL", "Traceback", "WORKER TIMEOUT")
WORKER_NICENESS = 10
TARGETS = {"errors": 0, "lost": 0, "pages_p95_ms": 300.0, "match_p95_ms": 150.0}
# Raised for the run only; see the module docstring.
LOAD_LIMITS = {
    "API_RATE_TOKEN": "100000/min",
    "API_RATE_WRITES": "100000/min",
    "AXES_FAILURE_LIMIT": "1000",
}


class Budget:
    """The whole run's hard timeout: every wait below is bounded by what is left of it."""

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds

    def left(self, cap: float | None = None) -> float:
        remaining = self.ends - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("bench/load.py ran out of its --hard-timeout")
        return remaining if cap is None else min(remaining, cap)


def log(message: str) -> None:
    print(f"[load] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port not in CI_PORTS:
            return port


def wait_until(name: str, check: Callable[[], bool], budget: Budget, cap: float = 60) -> None:
    ends = time.monotonic() + budget.left(cap)
    while not check():
        if time.monotonic() >= ends:
            raise RuntimeError(f"{name} did not answer within {cap:.0f}s")
        time.sleep(0.25)


def run(
    command: list[str], budget: Budget, *, env: dict[str, str] | None = None, cap: float = 600
) -> str:
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=budget.left(cap),
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} exited {result.returncode}:\n{result.stderr[-3000:]}"
        )
    return result.stdout


def as_postgres(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; .ci/services.sh runs it as the postgres user too.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


# --- Services ------------------------------------------------------------------------------------


@contextlib.contextmanager
def redis_server(workdir: Path, budget: Budget) -> Iterator[str]:
    port = free_port()
    data = workdir / "redis"
    data.mkdir()
    process = subprocess.Popen(
        [
            *("redis-server", "--bind", "127.0.0.1", "--port", str(port)),
            *("--protected-mode", "yes", "--dir", str(data), "--save", ""),
            *("--appendonly", "no", "--loglevel", "warning"),
        ],
        stdout=(workdir / "redis.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:

        def answers() -> bool:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                return True
            return False

        wait_until("redis", answers, budget, 30)
        log(f"redis on 127.0.0.1:{port} (pid {process.pid})")
        yield f"redis://127.0.0.1:{port}"
    finally:
        stop_process(process, "redis")


@contextlib.contextmanager
def postgres_server(workdir: Path, budget: Budget) -> Iterator[str]:
    """A throwaway cluster, flagged as .ci/services.sh does (fsync off: the data is thrown away)."""
    port, data, socket_dir = free_port(), workdir / "pg-data", workdir / "pg-socket"
    data.mkdir(mode=0o700)
    socket_dir.mkdir()
    if os.geteuid() == 0:
        workdir.chmod(0o755)
        shutil.chown(data, "postgres", "postgres")
        shutil.chown(socket_dir, "postgres", "postgres")
    password_file = workdir / "pg-password"
    password = secrets.token_hex(12)
    password_file.write_text(password)
    if os.geteuid() == 0:
        shutil.chown(password_file, "postgres", "postgres")
    initdb = [str(PG_BIN / "initdb"), "-D", str(data), "-U", "robomatch", "-E", "UTF8"]
    initdb += ["--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256"]
    run(as_postgres([*initdb, f"--pwfile={password_file}"]), budget, cap=120)
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {socket_dir} -c fsync=off "
    options += "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    pg_ctl = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(workdir / "postgres.log")]
    log_file = workdir / "postgres.log"
    log_file.touch()
    if os.geteuid() == 0:
        shutil.chown(log_file, "postgres", "postgres")
    try:
        run(as_postgres([*pg_ctl, "-w", "-t", "60", "-o", options, "start"]), budget, cap=90)
        log(f"postgresql on 127.0.0.1:{port}")
        yield f"postgres://robomatch:{password}@127.0.0.1:{port}"
    finally:
        subprocess.run(
            as_postgres([*pg_ctl, "-m", "fast", "-w", "-t", "60", "stop"]),
            capture_output=True,
            timeout=90,
            check=False,
        )
        log("postgresql stopped")


def redis_pid() -> int:
    """The redis-server this script started (a direct child; its port is free-picked)."""
    import psutil

    for child in psutil.Process().children():
        if child.name() == "redis-server":
            return int(child.pid)
    raise RuntimeError("the redis-server of this run is not running")


def stop_process(process: subprocess.Popen[Any], name: str) -> None:
    """Stop one process this script started, by its own pid only."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    log(f"{name} stopped")


@contextlib.contextmanager
def background(name: str, command: list[str], env: dict[str, str], logs: Path) -> Iterator[Any]:
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=logs.open("w"), stderr=subprocess.STDOUT
    )
    log(f"{name} started (pid {process.pid}, log {logs})")
    try:
        yield process
    finally:
        stop_process(process, name)


def app_environment(workdir: Path, database_url: str, redis_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "ELASTICSEARCH_URL", "CELERY_TASK_ALWAYS_EAGER"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": database_url,
            "REDIS_URL": f"{redis_url}/0",
            "CELERY_BROKER_URL": f"{redis_url}/1",
            "VAR_DIR": str(workdir / "var"),
            "MATCHING_MODEL": os.environ.get(
                "MATCHING_MODEL", str(ROOT / "var" / "models" / "multilingual-e5-small")
            ),
            "LOG_LEVEL": "WARNING",
            # The console backend would print every lead alert into the worker's log.
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            **LOAD_LIMITS,
        }
    )
    return env


# --- In the fresh database (run as `bench/load.py --world` / `--audit` in a child process) -------


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def world(count: int) -> dict[str, Any]:
    """Accounts for the simulated people, one each, and the ids and shapes they pick from."""
    django_setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count

    from accounts.models import Organization, User
    from marketplace.models import Capability, Need

    password = secrets.token_urlsafe(16)
    hashed = make_password(password)  # once: hashing per account would cost a second each
    approved = Organization.objects.filter(review_status=Organization.ReviewStatus.APPROVED)
    institutions = list(
        approved.filter(kind=Organization.Kind.DEMAND)
        .annotate(published=Count("needs"))
        .filter(published__gt=0)
        .order_by("pk")
    )
    vendors = list(
        approved.filter(kind=Organization.Kind.VENDOR)
        .annotate(leads=Count("capabilities__leads"))
        .order_by("-leads", "pk")
    )
    vendors = [vendor for vendor in vendors if getattr(vendor, "leads", 0) > 0] or vendors
    accounts: dict[str, list[dict[str, Any]]] = {"institution": [], "vendor": []}
    users = []
    for kind, organizations in (("institution", institutions), ("vendor", vendors)):
        for number in range(count):
            organization = organizations[number % len(organizations)]
            email = f"load-{kind}-{number}@load.robomatch.test"
            users.append(User(email=email, password=hashed, organization=organization))
            need_ids = list(
                Need.objects.filter(organization=organization).values_list("pk", flat=True)
            )
            accounts[kind].append({"email": email, "need_ids": need_ids})
    User.objects.bulk_create(users)
    public_needs = Need.objects.visible_to(AnonymousUser())
    shapes = [
        {
            "title": need.title,
            "description": need.description,
            "domain": need.domain.code,
            "categories": [category.code for category in need.categories.all()],
            "region": need.region.name,
        }
        for need in public_needs.select_related("domain", "region").prefetch_related("categories")
    ]
    return {
        "password": password,
        "accounts": accounts,
        "public_need_ids": list(public_needs.values_list("pk", flat=True)),
        "public_capability_ids": list(
            Capability.objects.visible_to(AnonymousUser()).values_list("pk", flat=True)
        ),
        "need_shapes": [shape for shape in shapes if shape["categories"]],
    }


def audit(need_ids: list[int]) -> dict[str, Any]:
    """Which posted needs are missing from the database or lack a current-model vector."""
    django_setup()
    from marketplace.models import Need
    from matching.encoders import encoder_name
    from matching.models import Embedding

    present = set(Need.objects.filter(pk__in=need_ids).values_list("pk", flat=True))
    embedded = set(
        Embedding.objects.of_kind(Embedding.Kind.NEED)
        .filter(object_id__in=need_ids, model_name=encoder_name())
        .values_list("object_id", flat=True)
    )
    return {
        "model_name": encoder_name(),
        "missing": sorted(set(need_ids) - present),
        "not_embedded": sorted(present - embedded),
    }


# --- The run -------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[round(fraction * 1000) - 1]


def summarize(times: list[float], failures: int, seconds: float) -> dict[str, Any]:
    return {
        "requests": len(times),
        "failures": failures,
        "rps": round(len(times) / seconds, 2),
        "p50_ms": round(percentile(times, 0.50), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "p99_ms": round(percentile(times, 0.99), 1),
        "max_ms": round(max(times, default=0.0), 1),
    }


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


def child(mode: str, env: dict[str, str], budget: Budget, stdin: str = "") -> dict[str, Any]:
    result = subprocess.run(
        [str(VENV_BIN / "python"), str(Path(__file__).resolve()), mode],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=budget.left(180),
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"bench/load.py {mode} failed:\n{result.stderr[-3000:]}")
    payload: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
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
    return child("--world", {**env, "LOAD_USERS": str(users)}, budget)


def wait_for_embeddings(
    env: dict[str, str], posted: list[int], budget: Budget, seconds: float
) -> tuple[dict[str, Any], float]:
    started = time.monotonic()
    while True:
        report = child("--audit", env, budget, stdin=json.dumps(posted))
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
        redis_url = stack.enter_context(redis_server(workdir, budget))
        postgres_url = stack.enter_context(postgres_server(workdir, budget))
        createdb = [str(PG_BIN / "createdb"), "--maintenance-db", f"{postgres_url}/postgres"]
        run([*createdb, "robomatch_load"], budget)
        env = app_environment(workdir, f"{postgres_url}/robomatch_load", redis_url)
        world_data = prepare(env, budget, options.users)
        host = f"http://127.0.0.1:{free_port()}"
        celery = stack.enter_context(
            background(
                "celery worker",
                [
                    # Background work yields the cores to the web workers on a shared machine,
                    # as the README's production notes advise.
                    *("nice", "-n", str(WORKER_NICENESS)),
                    *(str(VENV_BIN / "celery"), "-A", "config", "worker", "-l", "warning"),
                    *("--concurrency", "1", "--without-heartbeat", "--without-gossip"),
                ],
                env,
                logs / "celery.log",
            )
        )
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
        sys.path.insert(0, str(BENCH))
        import load_locustfile

        load_locustfile.WORLD.update(world_data)
        log(f"locust: {options.users} users for {options.seconds}s against {host}")
        budget.left(options.seconds + options.ramp_timeout + 60)  # fail now, not halfway
        from load_cpu import CpuMeter

        meter = CpuMeter(
            {
                "gunicorn": gunicorn.pid,
                "celery": celery.pid,
                "postgres": int((workdir / "pg-data" / "postmaster.pid").read_text().split()[0]),
                "redis": redis_pid(),
            }
        )
        result = run_locust(
            host, options.users, options.seconds, options.spawn_rate, options.ramp_timeout, meter
        )
        load_after = os.getloadavg()
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
    }
    summary["targets_met"] = {
        "errors": summary["errors"] == 0,
        "lost": summary["lost"] == 0,
        "pages_p95_ms": summary["pages_p95_ms"] <= TARGETS["pages_p95_ms"],
        "match_p95_ms": summary["match_p95_ms"] <= TARGETS["match_p95_ms"],
    }
    return summary


def table(summary: dict[str, Any]) -> str:
    header = f"{'endpoint':<28} {'requests':>8} {'fail':>5} {'req/s':>7}"
    header += f" {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    lines = [header, "-" * len(header)]
    rows = [*summary["endpoints"].items()]
    rows.append(("TOTAL", {**summary, "failures": summary["errors"], "max_ms": ""}))
    for name, row in rows:
        lines.append(
            f"{name:<28} {row['requests']:>8} {row['failures']:>5} {row['rps']:>7}"
            f" {row['p50_ms']:>8} {row['p95_ms']:>8} {row['p99_ms']:>8} {row['max_ms']:>8}"
        )
    met = summary["targets_met"]
    lines += [
        "",
        f"users {summary['users']}, {summary['seconds']}s, {summary['cpus']} CPUs, load average "
        f"{summary['loadavg_before'][0]} before / {summary['loadavg_after'][0]} after",
        f"errors {summary['errors']} (target 0: {'met' if met['errors'] else 'missed'}); "
        f"lost {summary['lost']} of {summary['posted_needs']} posted "
        f"(target 0: {'met' if met['lost'] else 'missed'})",
        f"pages p95 {summary['pages_p95_ms']} ms (target ≤ 300: "
        f"{'met' if met['pages_p95_ms'] else 'missed'}); match reads p95 "
        f"{summary['match_p95_ms']} ms "
        f"(target ≤ 150: {'met' if met['match_p95_ms'] else 'missed'})",
    ]
    lines.append(
        f"logging in (not in the table): {summary['logged_in']} of {summary['users']} users "
        f"in {summary['ramp_s']}s; "
        + ", ".join(
            f"{name} p50 {row['p50_ms']} / p95 {row['p95_ms']} ms"
            for name, row in summary["ramp_endpoints"].items()
            if name.startswith("login ")
        )
    )
    cpu = summary["cpu_seconds"]
    lines.append(
        f"CPU seconds in the window ({summary['cpus'] * summary['elapsed_s']:.0f} available): "
        + ", ".join(f"{name} {seconds}" for name, seconds in cpu.items())
    )
    for error in summary["error_messages"][:10]:
        lines.append(f"  {error['occurrences']}× {error['endpoint']}: {error['error']}")
    return "\n".join(lines)


def main() -> None:
    if sys.argv[1:] == ["--world"]:
        print(json.dumps(world(int(os.environ["LOAD_USERS"]))))
        return
    if sys.argv[1:] == ["--audit"]:
        print(json.dumps(audit(json.loads(sys.stdin.read()))))
        return
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
    for tool in (PG_BIN / "initdb", Path(shutil.which("redis-server") or "/nonexistent")):
        if not tool.exists():
            sys.exit(f"{tool} is missing: `make services-start` installs PostgreSQL 15 and Redis.")
    summary = benchmark(options)
    print(json.dumps(summary, ensure_ascii=False) if options.json else table(summary))
    if options.json:
        print(table(summary), file=sys.stderr)


if __name__ == "__main__":
    main()
