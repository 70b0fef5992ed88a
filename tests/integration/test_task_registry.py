"""A worker knows every task the code sends and every task beat schedules.

Celery's ``autodiscover_tasks()`` imports each installed app's ``tasks`` module only; a feature
package that keeps a ``tasks`` module of its own (``marketplace/matches/tasks.py``) is named in
``config/celery.py``. Were it missed, a worker would discard the message as "unregistered task"
while the web side sent it without an error. The check runs in a fresh interpreter, as a worker
starts: in the test process every module has long been imported by other tests.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("accounts", "marketplace", "matching", "config")

LIST_REGISTERED = (
    "import django; django.setup(); import json; from config.celery import app; "
    "app.loader.import_default_modules(); print(json.dumps(sorted(app.tasks.keys())))"
)


def _declared_task_names() -> set[str]:
    """The ``name=`` of every ``@shared_task(...)`` / ``@app.task(...)`` in the project's code."""
    names: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.FunctionDef):
                    continue
                for decorator in node.decorator_list:
                    if not isinstance(decorator, ast.Call):
                        continue
                    called = ast.unparse(decorator.func)
                    if called not in {"shared_task", "app.task"}:
                        continue
                    for keyword in decorator.keywords:
                        if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                            names.add(str(keyword.value.value))
    return names


def _registered_in_a_fresh_worker_interpreter() -> set[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    done = subprocess.run(
        [sys.executable, "-c", LIST_REGISTERED],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_every_declared_and_scheduled_task_is_registered_where_a_worker_starts() -> None:
    declared = _declared_task_names()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "marketplace.matches.tasks.embeddings_refresh_task" in declared
    assert scheduled <= declared, scheduled - declared

    registered = _registered_in_a_fresh_worker_interpreter()

    assert declared - registered == set()
