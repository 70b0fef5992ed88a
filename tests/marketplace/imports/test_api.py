"""Imports through the API: upload, the background job runs (eagerly here), progress and errors.

The job is queued with ``transaction.on_commit``; the test's transaction never commits, so
``django_capture_on_commit_callbacks(execute=True)`` runs the callbacks, and
``CELERY_TASK_ALWAYS_EAGER`` makes ``.delay()`` run the task in this process.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Organization, User
from marketplace.models import Capability, ImportJob, Need
from tests.conftest import ClientFor
from tests.marketplace.catalogs import CATALOG

IMPORTS = "/api/v1/imports/"
CaptureOnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def _upload(document: dict[str, Any], name: str = "catalog.json") -> SimpleUploadedFile:
    content = json.dumps(document, ensure_ascii=False).encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


def _counts() -> tuple[int, int, int]:
    return Organization.objects.count(), Need.objects.count(), Capability.objects.count()


def test_an_uploaded_file_is_imported_and_the_job_reports_row_counts(
    olga: User,
    taxonomy: dict[str, Any],
    eager_tasks: None,
    django_capture_on_commit_callbacks: CaptureOnCommit,
    client_for: ClientFor,
) -> None:
    # given
    client = client_for(olga)

    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(IMPORTS, {"file": _upload(CATALOG)}, format="multipart")

    # then
    assert response.status_code == 202
    # The import is queued once, on commit; the rows it writes then ask for an embeddings refresh.
    assert [callback.__module__ for callback in callbacks] == [
        "marketplace.imports.jobs",
        "marketplace.matches.indexing",
    ]
    job = ImportJob.objects.get()
    assert response.json()["id"] == job.pk
    assert (job.status, job.created_by, job.original_name) == ("succeeded", olga, "catalog.json")
    progress = client.get(f"{IMPORTS}{job.pk}/")
    assert progress.status_code == 200
    assert progress.json() == {
        "id": job.pk,
        "status": "succeeded",
        "status_display": "已完成",
        "processed_rows": 4,
        "total_rows": 4,
        "progress_percent": 100,
        "errors": [],
        "summary": {
            "created": {"organizations": 2, "needs": 1, "capabilities": 1},
            "updated": {},
        },
    }
    assert Need.objects.get().title == "送餐机器人"
    assert Capability.objects.get().organization.name == "海尔康养机器人"


def test_a_file_with_bad_rows_fails_with_row_errors_and_writes_nothing(
    olga: User,
    taxonomy: dict[str, Any],
    eager_tasks: None,
    django_capture_on_commit_callbacks: CaptureOnCommit,
    client_for: ClientFor,
) -> None:
    # given
    document = json.loads(json.dumps(CATALOG))
    document["needs"][0]["domain"] = "space_travel"
    document["capabilities"][0]["service_regions"] = ["火星"]
    before = _counts()
    client = client_for(olga)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORTS, {"file": _upload(document)}, format="multipart")

    # then
    assert response.status_code == 202
    job = ImportJob.objects.get()
    body = client.get(f"{IMPORTS}{job.pk}/").json()
    assert (body["status"], body["progress_percent"], body["summary"]) == ("failed", 0, {})
    assert [(error["section"], error["ref"], error["field"]) for error in body["errors"]] == [
        ("needs", "n-01", "domain"),
        ("capabilities", "c-01", "service_regions"),
    ]
    assert all(error["row"] >= 1 and error["message"] for error in body["errors"])
    assert _counts() == before


def test_an_unreadable_file_fails_the_job_with_a_file_error(
    olga: User,
    taxonomy: dict[str, Any],
    eager_tasks: None,
    django_capture_on_commit_callbacks: CaptureOnCommit,
    client_for: ClientFor,
) -> None:
    # given
    upload = SimpleUploadedFile("catalog.json", b"{not json", content_type="application/json")
    before = _counts()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(olga).post(IMPORTS, {"file": upload}, format="multipart")

    # then
    assert response.status_code == 202
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert [(error["row"], error["field"]) for error in job.errors] == [(0, "file")]
    assert _counts() == before


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("empty.json", b""), "提交的是空文件。"),
        (
            SimpleUploadedFile("x.bin", b"\x00\x01binary"),
            "不支持的文件类型：请上传 JSON、CSV 或 XLSX 文件。",
        ),
    ],
    ids=["empty", "binary"],
)
def test_a_refused_upload_is_a_field_error_and_queues_nothing(
    upload: SimpleUploadedFile,
    message: str,
    olga: User,
    django_capture_on_commit_callbacks: CaptureOnCommit,
    client_for: ClientFor,
) -> None:
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(olga).post(IMPORTS, {"file": upload}, format="multipart")

    # then
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert list(fields) == ["file"]
    assert fields["file"] == [message]
    assert callbacks == []
    assert not ImportJob.objects.exists()


def test_a_missing_file_is_named(olga: User, client_for: ClientFor) -> None:
    # when
    response = client_for(olga).post(IMPORTS, {}, format="multipart")

    # then
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"file": ["没有提交任何文件。"]}
