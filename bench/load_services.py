"""What bench/load.py starts and stops for its run: PostgreSQL, Redis, background processes.

Each service runs on a free loopback port in the run's temporary directory (never the ports
`.ci/services.sh` uses, which other runs may be using) and is stopped again on the way out of
its context manager, also on failure. Every wait is bounded by the run's ``Budget``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from throwaway import bench_model

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
CI_PORTS = {54329, 63790}  # .ci/services.sh's, left to the runs that use them
# Raised for the run only: all simulated users share one address, so the per-address limits
# would otherwise refuse them (see bench/load.py's docstring).
LOAD_LIMITS = {
    "API_RATE_TOKEN": "100000/min",
    "API_RATE_WRITES": "100000/min",
    "AXES_FAILURE_LIMIT": "1000",
    "WEB_RATE_LOGIN": "100000/min",
    "WEB_RATE_PASSWORD_RESET": "100000/min",
    "WEB_RATE_SIGNUP": "100000/min",
    "PASSWORD_RESET_EMAIL_RATE": "100000/min",
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


class Server(NamedTuple):
    """A started service: the URL to reach it by and the pid of its main process."""

    url: str
    pid: int


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
    command: list[str],
    budget: Budget,
    *,
    env: dict[str, str] | None = None,
    input: str | None = None,
    cap: float = 600,
) -> str:
    """Run a command in the project directory to its end; its stdout, or an error with stderr."""
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        input=input,
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
def redis_server(workdir: Path, budget: Budget) -> Iterator[Server]:
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
        yield Server(f"redis://127.0.0.1:{port}", process.pid)
    finally:
        stop_process(process, "redis")


def create_database(postgres: Server, name: str, budget: Budget) -> str:
    """A new, empty database on ``postgres``; its URL."""
    maintenance = f"{postgres.url}/postgres"
    run([str(PG_BIN / "createdb"), "--maintenance-db", maintenance, name], budget)
    return f"{postgres.url}/{name}"


@contextlib.contextmanager
def postgres_server(workdir: Path, budget: Budget) -> Iterator[Server]:
    """A throwaway cluster, flagged as .ci/services.sh does (fsync off: the data is thrown away)."""
    port, data, socket_dir = free_port(), workdir / "pg-data", workdir / "pg-socket"
    password_file, log_file = workdir / "pg-password", workdir / "postgres.log"
    password = secrets.token_hex(12)
    data.mkdir(mode=0o700)
    socket_dir.mkdir()
    password_file.write_text(password)
    log_file.touch()
    if os.geteuid() == 0:
        workdir.chmod(0o755)
        for path in (data, socket_dir, password_file, log_file):
            shutil.chown(path, "postgres", "postgres")
    initdb = [str(PG_BIN / "initdb"), "-D", str(data), "-U", "robomatch", "-E", "UTF8"]
    initdb += ["--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256"]
    run(as_postgres([*initdb, f"--pwfile={password_file}"]), budget, cap=120)
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {socket_dir} -c fsync=off "
    options += "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    pg_ctl = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(log_file)]
    try:
        run(as_postgres([*pg_ctl, "-w", "-t", "60", "-o", options, "start"]), budget, cap=90)
        # The postmaster writes its pid on the first line once it runs; pg_ctl -w waited for it.
        pid = int((data / "postmaster.pid").read_text().split()[0])
        log(f"postgresql on 127.0.0.1:{port} (pid {pid})")
        yield Server(f"postgres://robomatch:{password}@127.0.0.1:{port}", pid)
    finally:
        subprocess.run(
            as_postgres([*pg_ctl, "-m", "fast", "-w", "-t", "60", "stop"]),
            capture_output=True,
            timeout=90,
            check=False,
        )
        log("postgresql stopped")


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


def app_environment(
    workdir: Path, database_url: str, redis_url: str | None = None
) -> dict[str, str]:
    """The application's environment for a bench run: production settings (``DEBUG`` off) over
    ``database_url``, the model of this checkout, no e-mail sent, the load's raised limits; Redis
    for the cache and the broker when ``redis_url`` is given, else the settings' embedded
    defaults (a file cache and a SQLite broker under ``workdir``)."""
    dropped = {
        "DATABASE_URL",
        "ELASTICSEARCH_URL",
        "CELERY_TASK_ALWAYS_EAGER",
        "REDIS_URL",
        "CELERY_BROKER_URL",
    }
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": database_url,
            "VAR_DIR": str(workdir / "var"),
            "MATCHING_MODEL": bench_model(),
            "LOG_LEVEL": "WARNING",
            # The console backend would print every lead alert into the worker's log.
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            **LOAD_LIMITS,
        }
    )
    if redis_url is not None:
        env.update({"REDIS_URL": f"{redis_url}/0", "CELERY_BROKER_URL": f"{redis_url}/1"})
    return env
