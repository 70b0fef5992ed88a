"""Imports, exports and statistics pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from marketplace.models import ImportJob, Need
from tests.marketplace.factories import NeedFactory

IMPORT_UPLOAD = reverse("imports:import_upload")


def _client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_an_organiser_uploads_a_file_and_lands_on_its_job_page(olga: User) -> None:
    # given
    upload = SimpleUploadedFile(
        "needs.json", json.dumps({"needs": []}).encode(), "application/json"
    )

    # when
    response = _client(olga).post(IMPORT_UPLOAD, {"file": upload})

    # then
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:import_detail", args=[job.pk])
    assert job.original_name == "needs.json"
    assert job.created_by == olga
    assert job.status == ImportJob.Status.QUEUED


def test_a_refused_upload_shows_the_services_message_next_to_the_file_field(
    olga: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    def refuse(**kwargs: Any) -> ImportJob:
        raise ValidationError({"file": "不支持的文件类型：请上传 JSON、CSV 或 XLSX 文件。"})

    monkeypatch.setattr("marketplace.imports.jobs.import_job_create", refuse)
    upload = SimpleUploadedFile("photo.xlsx", b"\x00\x01binary", "application/octet-stream")

    # when
    response = _client(olga).post(IMPORT_UPLOAD, {"file": upload})

    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["不支持的文件类型：请上传 JSON、CSV 或 XLSX 文件。"]
    }
    assert ImportJob.objects.count() == 0


def test_the_status_endpoint_reports_live_progress(olga: User) -> None:
    # given
    job = ImportJob.objects.create(
        file="imports/x.csv",
        original_name="x.csv",
        status=ImportJob.Status.RUNNING,
        total_rows=200,
        created_by=olga,
    )
    cache.set(f"import-progress:{job.pk}", (50, 200))

    # when
    response = _client(olga).get(reverse("imports:import_status_json", args=[job.pk]))

    # then
    cache.delete(f"import-progress:{job.pk}")
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "status": "running",
        "status_display": "导入中",
        "progress_percent": 25,
        "processed_rows": 50,
        "total_rows": 200,
        "errors": [],
        "is_finished": False,
    }


def test_the_job_page_polls_the_status_endpoint_from_a_static_script(olga: User) -> None:
    job = ImportJob.objects.create(file="imports/x.csv", original_name="x.csv", created_by=olga)

    page = _client(olga).get(reverse("imports:import_detail", args=[job.pk])).content.decode()

    assert f'data-status-url="/imports/{job.pk}/status.json"' in page
    assert "/static/js/import_progress.js" in page
    assert "<script>" not in page


def test_the_template_download_is_an_xlsx_attachment(olga: User) -> None:
    response = _client(olga).get(reverse("imports:import_template"))

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="robomatch-import-template.xlsx"'
    )
    assert response.content[:4] == b"PK\x03\x04"


def test_an_institution_exports_only_its_own_needs(alice: User, nina: User, olga: User) -> None:
    # given
    NeedFactory.create(
        organization=alice.organization, title="颐和苑送餐", status=Need.Status.DRAFT
    )
    NeedFactory.create(organization=nina.organization, title="新来养老院巡查")
    url = reverse("dashboard:export", kwargs={"entity": "needs", "fmt": "csv"})

    # when
    own = _client(alice).get(url)
    everything = _client(olga).get(url)

    # then
    own_text = own.content.decode("utf-8-sig")
    assert own["Content-Type"] == "text/csv; charset=utf-8"
    assert own["Content-Disposition"].startswith('attachment; filename="robomatch-needs-')
    assert "颐和苑送餐" in own_text
    assert "新来养老院巡查" not in own_text
    assert "新来养老院巡查" in everything.content.decode("utf-8-sig")


def test_the_statistics_page_names_domains_and_statuses(
    olga: User, alice: User, taxonomy: Any
) -> None:
    NeedFactory.create(
        organization=alice.organization,
        domain=taxonomy["civil"],
        region=taxonomy["regions"]["青岛市"],
    )

    page = _client(olga).get(reverse("dashboard:stats")).content.decode()

    assert "各领域需求数" in page
    assert '<th scope="row">民政</th><td>1</td>' in page
    assert '<th scope="row">已发布</th><td>1</td>' in page
