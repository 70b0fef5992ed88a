"""What the tests that start a real Celery worker share: the database URL the worker opens,
starting and stopping the worker, how Django's file e-mail backend separates messages, and
pointing this process's Celery app at another broker."""

from __future__ import annotations

import email
import email.policy
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

READY = re.compile(r"@\S+ ready\.")
MESSAGE_SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what Django's file backend writes after each
READY_SECONDS = 60


def worker_database_url() -> str:
    """A URL for the test database, for a process other than this one (skips on in-memory
    SQLite, which another process cannot open)."""
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(database["USER"] or "", safe="")
        password = quote(database["PASSWORD"] or "", safe="")
        host = database["HOST"] or "127.0.0.1"
        port = database["PORT"] or "5432"
        return f"postgres://{user}:{password}@{host}:{port}/{database['NAME']}"
    name = str(database["NAME"])
    if connection.vendor == "sqlite" and name != ":memory:" and "mode=memory" not in name:
        return f"sqlite:///{name}"
    pytest.skip(
        "the test database is in memory (SQLite), which a worker process cannot open; "
        "this test runs in the PostgreSQL pass of `make test`"
    )


def free_port() -> int:
    """A local TCP port nothing listens on (at the time of asking)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_worker(
    log: Path,
    *,
    settings_module: str,
    database_url: str,
    broker_url: str,
    var_dir: Path,
    pool: str,
    concurrency: int = 1,
    name: str = "test",
    queue: str | None = None,
    purge: bool = False,
    environment: Mapping[str, str] | None = None,
    own_process_group: bool = False,
    ready_seconds: float = READY_SECONDS,
) -> subprocess.Popen[bytes]:
    """Start a real ``celery worker`` writing its log to ``log``; return once it logs ready.

    ``environment`` is added to (and overrides) the variables every worker gets. With
    ``own_process_group`` the worker leads a process group of its own, so that killing the group
    kills its pool children too. If the worker is not ready in time it is stopped and the test
    fails with the end of its log.
    """
    variables = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "VAR_DIR": str(var_dir),
        "PYTHONUNBUFFERED": "1",
        **(environment or {}),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "--pool", pool, "--concurrency", str(concurrency), "--loglevel", "info",
        *(["--queues", queue] if queue is not None else []),
        *(["--purge"] if purge else []),
        "--hostname", f"{name}-{uuid.uuid4().hex[:8]}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=variables,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=own_process_group,
        )
    try:
        deadline = time.monotonic() + ready_seconds
        while not (process.poll() is None and READY.search(log.read_text())):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"the worker was not ready within {ready_seconds}s (exit code "
                    f"{process.poll()}); worker log:\n{log.read_text()[-6000:]}"
                )
            time.sleep(0.2)
    except BaseException:
        stop_worker(process)
        raise
    return process


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    """Warm shutdown (SIGTERM); if the worker has not exited after 20 s, SIGKILL it (and its
    process group, if it leads one)."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        try:
            leads_a_group = os.getpgid(process.pid) == process.pid
        except ProcessLookupError:
            leads_a_group = False
        if leads_a_group:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.wait(timeout=10)


@contextmanager
def running_worker(log: Path, **options: Any) -> Iterator[subprocess.Popen[bytes]]:
    """A worker started with ``start_worker(log, **options)`` for the time of the block."""
    process = start_worker(log, **options)
    try:
        yield process
    finally:
        stop_worker(process)


@contextmanager
def app_sends_to(broker_url: str, queue: str | None = None) -> Iterator[None]:
    """Make this process's Celery app publish to ``broker_url`` (to ``queue``, if given), not
    eagerly."""
    conf = celery_app.conf
    override: dict[str, object] = {"broker_write_url": broker_url, "task_always_eager": False}
    if queue is not None:
        override["task_default_queue"] = queue
    saved = {key: conf.get(key) for key in override}
    conf.update(override)
    drop_producer_pools()
    try:
        yield
    finally:
        conf.update(saved)
        drop_producer_pools()


def drop_producer_pools() -> None:
    """Make the app pick its connection pool again, so its next send goes to the configured URL.

    Celery keeps the pools it made on the app (it resets them itself only after a fork). They are
    dropped, not closed: kombu keeps one pool per broker URL for the process and hands the same
    one out again, so a closed pool would break the next test on the same URL.
    """
    celery_app._pool = None  # type: ignore[attr-defined]
    celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]


def task_line(task: str, event: str) -> re.Pattern[str]:
    """A worker log line about ``task``: group 1 is the task id, group 2 what follows ``event``."""
    return re.compile(rf"Task {re.escape(task)}\[([^\]]+)\] {event}(.*)$", re.MULTILINE)


def task_results(log_text: str, task: str) -> dict[str, str]:
    """Task id -> the value the task returned, for each run of ``task`` that succeeded."""
    return {
        match[1]: match[2].rsplit(": ", 1)[-1].strip()
        for match in task_line(task, "succeeded in").finditer(log_text)
    }


def emails_in(mail_dir: Path) -> list[EmailMessage]:
    """Every message a worker wrote with Django's file e-mail backend, in no particular order."""
    messages = []
    for path in mail_dir.glob("*.log"):
        for raw in path.read_bytes().split(MESSAGE_SEPARATOR):
            if raw.strip():
                parsed = email.message_from_bytes(raw, policy=email.policy.default)
                assert isinstance(parsed, EmailMessage)
                messages.append(parsed)
    return messages
