"""Issue 19, finding 5, through a real worker: a JSON import nested 100,000 levels deep ends
failed with a file error instead of staying "running" (RecursionError in the worker).

Runs in the PostgreSQL pass (see tests/integration/test_celery_worker.py for why)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from config.celery import app as celery_app
from config.parsers import MAX_DEPTH
from marketplace.imports.jobs import import_job_create
from marketplace.models import ImportJob
from marketplace.tasks import import_job_run_task
from tests.integration.workers import running_worker, worker_database_url

pytestmark = pytest.mark.integration

WAIT_SECONDS = 60
DEPTH = 100_000


@pytest.fixture
def worker(transactional_db: None, tmp_path: Path, settings: Any) -> Iterator[tuple[str, Path]]:
    """A worker on a SQLite-file broker, reading uploads from where this process stores them."""
    var_dir = tmp_path / "var"
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = var_dir / "media", var_dir / "private"
    broker_url = f"sqla+sqlite:///{tmp_path / 'celery-broker.sqlite3'}"
    log = tmp_path / "celery-worker.log"
    with running_worker(
        log,
        settings_module="config.settings.test",
        database_url=worker_database_url(),
        broker_url=broker_url,
        var_dir=var_dir,
        pool="solo",
        purge=True,
    ):
        yield broker_url, log


@pytest.mark.django_db(transaction=True)
def test_a_worker_ends_a_json_import_nested_100000_levels_deep_as_failed(
    worker: tuple[str, Path], olga: User
) -> None:
    # given
    broker_url, log = worker
    content = b'{"needs": ' + b"[" * DEPTH + b"]" * DEPTH + b"}"
    upload = SimpleUploadedFile("deep.json", content, content_type="application/json")
    job = import_job_create(uploaded_file=upload, user=olga)

    # when
    with celery_app.connection_for_write(broker_url) as broker:
        import_job_run_task.apply_async(args=[job.pk], producer=broker.Producer())

    # then
    deadline = time.monotonic() + WAIT_SECONDS
    while ImportJob.objects.get(pk=job.pk).status != ImportJob.Status.FAILED:
        if time.monotonic() > deadline:
            status = ImportJob.objects.get(pk=job.pk).status
            pytest.fail(f"the job is {status!r} after {WAIT_SECONDS}s:\n{log.read_text()[-4000:]}")
        time.sleep(0.2)
    job.refresh_from_db()
    assert [error["field"] for error in job.errors] == ["file"]
    assert str(MAX_DEPTH) in job.errors[0]["message"]
    assert job.finished_at is not None
