"""An upload survives a broker outage: the job is saved, the request does not fail, and the sweep
runs the job once the message was lost.

The broker here is a real Redis URL on a port nothing listens on (127.0.0.1:9), so publishing
fails the way it does when Redis is down.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from celery import current_app
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from accounts.models import User
from marketplace.imports.jobs import import_job_create, import_job_run, import_jobs_waiting
from marketplace.imports.loading import ImportResult, catalog_import
from marketplace.models import AuditEntry, ImportJob, Need
from marketplace.tasks import import_job_run_task, import_jobs_sweep_task
from tests.marketplace.catalogs import CATALOG

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker_down(settings: Any) -> Iterator[None]:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1}
    current_app.pool.force_close_all()  # type: ignore[attr-defined]  # no connection to the old URL
    yield
    current_app.pool.force_close_all()  # type: ignore[attr-defined]


def _upload() -> SimpleUploadedFile:
    content = json.dumps(CATALOG, ensure_ascii=False).encode()
    return SimpleUploadedFile("catalog.json", content, content_type="application/json")


@pytest.mark.usefixtures("broker_down", "taxonomy")
def test_an_upload_while_the_broker_is_down_is_kept_and_the_sweep_runs_it(
    olga: User, caplog: pytest.LogCaptureFixture
) -> None:
    # given / when: the upload commits; sending its message fails
    job = import_job_create(user=olga, uploaded_file=_upload())

    # then: nothing raised, the failure was logged, the job waits
    assert f"Could not enqueue import job {job.pk}" in caplog.text
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    assert import_jobs_waiting() == []  # not yet: a fresh upload may still be on its way

    # when: minutes later the sweep runs (in the worker; here called directly)
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    assert import_jobs_waiting() == [job.pk]
    ran = import_jobs_sweep_task()

    # then
    job.refresh_from_db()
    assert ran == 1
    assert job.errors == []
    assert job.status == ImportJob.Status.SUCCEEDED
    assert Need.objects.filter(ref="n-01").exists()
    assert import_jobs_waiting() == []
    assert import_jobs_sweep_task() == 0  # a finished job is not run again


@pytest.mark.usefixtures("broker_down", "taxonomy")
def test_the_upload_request_succeeds_while_the_broker_is_down(olga: User) -> None:
    # given
    client = Client()
    client.force_login(olga)

    # when
    response = client.post("/api/v1/imports/", {"file": _upload()})

    # then
    assert response.status_code == 202
    job = ImportJob.objects.get(pk=response.json()["id"])
    assert job.status == ImportJob.Status.QUEUED


def _waiting_job(olga: User) -> ImportJob:
    """A job whose message is late: still queued minutes after its upload."""
    job = import_job_create(user=olga, uploaded_file=_upload())  # the test broker only keeps it
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    return job


def _finish_entries(job: ImportJob) -> int:
    return AuditEntry.objects.filter(
        action=AuditEntry.Action.IMPORT_FINISH, target_id=job.pk
    ).count()


@pytest.mark.usefixtures("taxonomy")
def test_a_late_message_arriving_while_the_sweep_runs_the_job_imports_nothing_twice(
    olga: User,
) -> None:
    # given: the sweep has claimed the job; while it loads the rows, the late message arrives
    job = _waiting_job(olga)
    late: list[str] = []
    arrived = False

    def load_while_the_message_arrives(**kwargs: Any) -> ImportResult:
        nonlocal arrived
        if not arrived:
            arrived = True
            late.append(import_job_run_task(job.pk))
        return catalog_import(**kwargs)

    # when
    with mock.patch(
        "marketplace.imports.jobs.catalog_import",
        side_effect=load_while_the_message_arrives,
    ) as load:
        ran = import_jobs_sweep_task()

    # then: the message found the job taken and left it; the sweep loaded it once
    job.refresh_from_db()
    assert (ran, late) == (1, [ImportJob.Status.RUNNING])
    assert load.call_count == 1
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.summary["created"] == {"organizations": 2, "needs": 1, "capabilities": 1}
    assert Need.objects.filter(ref="n-01").count() == 1
    assert _finish_entries(job) == 1


@pytest.mark.usefixtures("taxonomy")
def test_a_run_that_finds_the_job_claimed_returns_it_unchanged(olga: User) -> None:
    # given: another worker is running the job
    job = _waiting_job(olga)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)

    # when: the sweep and a first delivery of its message come along
    swept = import_jobs_sweep_task()
    run = import_job_run(job_id=job.pk)

    # then
    assert swept == 0
    assert (run.status, run.finished_at, run.summary) == (ImportJob.Status.RUNNING, None, {})
    assert not Need.objects.exists()
    assert _finish_entries(job) == 0


@pytest.mark.usefixtures("taxonomy")
def test_a_locked_database_puts_the_job_back_in_the_queue_for_the_retry(olga: User) -> None:
    # given: the first attempt meets a locked database while loading the rows
    job = _waiting_job(olga)
    with (
        mock.patch(
            "marketplace.imports.jobs.catalog_import",
            side_effect=OperationalError("database is locked"),
        ),
        pytest.raises(OperationalError),
    ):
        import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED

    # when: the task's retry runs
    retried = import_job_run(job_id=job.pk)

    # then
    assert retried.status == ImportJob.Status.SUCCEEDED
    assert Need.objects.filter(ref="n-01").count() == 1
    assert _finish_entries(job) == 1


@pytest.mark.usefixtures("taxonomy")
def test_a_message_delivered_again_after_its_worker_was_lost_resumes_the_job(
    olga: User,
) -> None:
    # given: the worker that claimed the job died; the broker delivers its message again
    job = _waiting_job(olga)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    import_job_run_task.push_request(delivery_info={"redelivered": True})
    try:
        # when
        status = import_job_run_task.run(job.pk)
    finally:
        import_job_run_task.pop_request()

    # then
    job.refresh_from_db()
    assert status == job.status == ImportJob.Status.SUCCEEDED
    assert Need.objects.filter(ref="n-01").count() == 1
    assert _finish_entries(job) == 1
