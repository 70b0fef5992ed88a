"""Issue 19, finding 5: a JSON import nested 100,000 levels deep raised RecursionError in the
worker and left its job "running" for ever (the sweep re-runs only queued jobs). It now ends
failed, with an error about the file; so does any error no reader expected."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from config.parsers import MAX_DEPTH
from marketplace.imports.jobs import import_job_create, import_job_run
from marketplace.imports.parsing import ImportFileError, parse_import_file
from marketplace.models import ImportJob, Need

DEPTH = 100_000
DEEP_IMPORT = b'{"needs": ' + b"[" * DEPTH + b"]" * DEPTH + b"}"


def test_parsing_a_json_file_nested_too_deep_is_a_file_error() -> None:
    with pytest.raises(ImportFileError) as refused:
        parse_import_file(content=DEEP_IMPORT, filename="deep.json")

    assert str(refused.value) == f"JSON 文件嵌套层数过多（最多 {MAX_DEPTH} 层），无法导入。"


@pytest.mark.django_db
def test_a_job_for_a_json_file_nested_100000_levels_deep_ends_failed(olga: User) -> None:
    # given
    upload = SimpleUploadedFile("deep.json", DEEP_IMPORT, content_type="application/json")
    job = import_job_create(uploaded_file=upload, user=olga)

    # when
    import_job_run(job_id=job.pk)

    # then
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.finished_at is not None
    assert job.errors == [
        {
            "section": "",
            "row": 0,
            "ref": None,
            "field": "file",
            "message": f"JSON 文件嵌套层数过多（最多 {MAX_DEPTH} 层），无法导入。",
        }
    ]


@pytest.mark.django_db
def test_a_job_whose_import_fails_unexpectedly_ends_failed_not_running(
    olga: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    def explode(**kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("marketplace.imports.jobs.catalog_import", explode)
    upload = SimpleUploadedFile("ok.json", b'{"needs": []}', content_type="application/json")
    job = import_job_create(uploaded_file=upload, user=olga)

    # when
    import_job_run(job_id=job.pk)

    # then
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert [error["field"] for error in job.errors] == ["file"]
    assert job.errors[0]["message"] == "文件无法处理，未导入任何数据。请检查文件后重新上传。"
    assert not Need.objects.exists()
