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

import pytest
from celery import current_app
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.models import User
from marketplace.models import ImportJob, Need
from marketplace.services.imports import import_job_create, import_jobs_waiting
from marketplace.tasks import import_jobs_sweep_task
from tests.api.test_imports import CATALOG

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
