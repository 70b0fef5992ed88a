"""Issue 19, finding 6: uploaded import files were stored under the public media folder, so
``GET /media/imports/<name>.json`` served them to anyone. They are now in private storage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from marketplace.imports.jobs import import_job_create, import_job_run
from marketplace.models import ImportJob
from tests.conftest import ClientFor


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("needs.json", json.dumps({"needs": []}).encode(), "application/json")


@pytest.mark.django_db
def test_an_import_uploaded_on_the_web_is_stored_privately_and_not_served_as_media(
    olga: User, media_root: Path, private_root: Path
) -> None:
    # given
    client = Client()
    client.force_login(olga)
    client.post(reverse("imports:import_upload"), {"file": _upload()})
    job = ImportJob.objects.get()

    # when
    response = Client().get(f"/media/{job.file.name}")

    # then
    assert job.file.name.startswith("imports/")
    assert (private_root / job.file.name).is_file()
    assert not (media_root / job.file.name).exists()
    assert response.status_code == 404


@pytest.mark.django_db
def test_an_import_uploaded_through_the_api_is_stored_privately_and_still_runs(
    olga: User, client_for: ClientFor, media_root: Path, private_root: Path
) -> None:
    # when
    response = client_for(olga).post("/api/v1/imports/", {"file": _upload()}, format="multipart")

    # then
    job = ImportJob.objects.get()
    assert response.status_code in (201, 202)
    assert (private_root / job.file.name).is_file()
    assert not (media_root / job.file.name).exists()
    assert import_job_run(job_id=job.pk).status == ImportJob.Status.SUCCEEDED


@pytest.mark.django_db
def test_the_service_keeps_the_file_out_of_media(olga: User, media_root: Path) -> None:
    job = import_job_create(uploaded_file=_upload(), user=olga)

    assert not (media_root / "imports").exists()
    assert job.file.storage.location != str(media_root)
