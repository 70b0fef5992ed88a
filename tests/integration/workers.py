"""What the tests that start a real Celery worker share: the database URL the worker opens, its
"ready" log line, how Django's file e-mail backend separates messages, and dropping the app's
producer pools so a send goes to a newly configured broker."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from config.celery import app as celery_app

READY = re.compile(r"@\S+ ready\.")
MESSAGE_SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what Django's file backend writes after each


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
