"""Imports started from the web or the API: an ImportJob row, loaded by a Celery task.

Progress goes to the shared cache, not the job row, because the rows are written inside one
transaction that other connections cannot see into until it commits.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.audit.services import Action, audit_record
from marketplace.imports.loading import catalog_import
from marketplace.imports.parsing import ImportFileError, parse_import_file
from marketplace.imports.rows import ImportValidationError
from marketplace.models import ImportJob

logger = logging.getLogger(__name__)

PROGRESS_TIMEOUT_SECONDS = 3600


def _progress_key(job_id: int) -> str:
    return f"import-progress:{job_id}"


def import_job_progress(job: ImportJob) -> dict[str, Any]:
    """What a status page or the API shows while a job runs and after it ends."""
    processed, total = job.processed_rows, job.total_rows
    if not job.is_finished:
        live = cache.get(_progress_key(job.pk))
        if live:
            processed, total = live
    percent = (
        100
        if job.status == ImportJob.Status.SUCCEEDED
        else (min(99, int(100 * processed / total)) if total else 0)
    )
    return {
        "id": job.pk,
        "status": job.status,
        "status_display": str(job.get_status_display()),
        "processed_rows": processed,
        "total_rows": total,
        "progress_percent": percent,
        "errors": job.errors,
        "summary": job.summary,
    }


def _looks_importable(head: bytes) -> bool:
    """An XLSX archive, or text (JSON or CSV: the parser says precisely what is wrong with it)."""
    return head.startswith(b"PK\x03\x04") or b"\x00" not in head


@transaction.atomic
def import_job_create(*, uploaded_file: UploadedFile, user: User) -> ImportJob:
    """Store the upload under a generated name and queue it; the task loads it."""
    if not user.is_organizer:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError({"file": _("文件是空的。")})
    if size > settings.MARKETPLACE_IMPORT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("文件过大：最大 %(mb)s MB。")
                % {"mb": settings.MARKETPLACE_IMPORT_MAX_BYTES // (1024 * 1024)}
            }
        )
    head = uploaded_file.read(2048)
    uploaded_file.seek(0)
    if not _looks_importable(head):
        raise ValidationError({"file": _("不支持的文件类型：请上传 JSON、CSV 或 XLSX 文件。")})
    job = ImportJob(original_name=(uploaded_file.name or "upload")[:255], created_by=user)
    job.file.save(uploaded_file.name or "upload", uploaded_file, save=False)
    job.save()
    audit_record(actor=user, action=Action.IMPORT, target=job, details={"file": job.original_name})
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    """Start the job soon. The job row is the durable record: if the broker is down the message is
    dropped with a warning, and the sweep (import_jobs_waiting) starts the job later."""
    from marketplace.tasks import import_job_run_task

    try:
        import_job_run_task.delay(job_id)
    except Exception:  # any broker failure; the upload itself has been saved
        logger.warning("Could not enqueue import job %s; the sweep will run it.", job_id)


def import_jobs_waiting(grace_minutes: int = 2) -> list[int]:
    """Jobs still queued a while after upload (their message was lost), oldest first."""
    cutoff = timezone.now() - timedelta(minutes=grace_minutes)
    waiting = ImportJob.objects.filter(status=ImportJob.Status.QUEUED, created_at__lt=cutoff)
    return list(waiting.order_by("created_at", "pk").values_list("pk", flat=True))


def _done(job: ImportJob) -> dict[str, Any]:
    return {"status": job.status, "summary": job.summary, "errors": len(job.errors)}


def import_job_run(*, job_id: int, resume: bool = False) -> ImportJob:
    """Load a queued job; returns the job, unchanged if another run has it or it is finished.

    The job is claimed by moving it from queued to running in one UPDATE, so of two runs at once
    (the sweep and a message that was only late) one loads it and the other does nothing.
    ``resume`` also takes a job left running: for a message delivered again because the worker
    that ran it was lost. A locked or unreachable database puts the job back in the queue, for the
    task's retry (or, once the retries are spent, the sweep) to claim again.
    """
    claimable = [ImportJob.Status.QUEUED]
    if resume:
        claimable.append(ImportJob.Status.RUNNING)
    claimed = ImportJob.objects.filter(pk=job_id, status__in=claimable).update(
        status=ImportJob.Status.RUNNING
    )
    if not claimed:
        return ImportJob.objects.get(pk=job_id)
    try:
        return _run(ImportJob.objects.get(pk=job_id))
    except OperationalError:
        _release(job_id)
        raise


def _release(job_id: int) -> None:
    """Back to queued, unless the job got as far as finishing."""
    try:
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).update(
            status=ImportJob.Status.QUEUED
        )
    except OperationalError:
        logger.warning("Could not put import job %s back in the queue.", job_id, exc_info=True)


def _file_error(message: str) -> dict[str, Any]:
    return {"section": "", "row": 0, "ref": None, "field": "file", "message": message}


def _run(job: ImportJob) -> ImportJob:
    try:
        with job.file.open("rb") as handle:
            payload = parse_import_file(content=handle.read(), filename=job.original_name)
        job.total_rows = payload.total
        job.save(update_fields=["total_rows"])

        def progress(done: int, total: int) -> None:
            if done == total or done % 25 == 0:
                cache.set(_progress_key(job.pk), (done, total), PROGRESS_TIMEOUT_SECONDS)

        result = catalog_import(payload=payload, progress=progress)
    except ImportFileError as error:
        job.status = ImportJob.Status.FAILED
        job.errors = [_file_error(str(error))]
    except ImportValidationError as error:
        job.status = ImportJob.Status.FAILED
        job.errors = [row_error.as_dict() for row_error in error.errors]
    except OperationalError:
        raise  # the database: import_job_run puts the job back in the queue for a retry
    except Exception:
        # Anything else is a file no reader expected (or a bug): the job must still end, or it
        # stays "running" for ever, as the sweep only takes queued jobs.
        logger.exception("Import job %s failed unexpectedly.", job.pk)
        job.status = ImportJob.Status.FAILED
        job.errors = [_file_error(_("文件无法处理，未导入任何数据。请检查文件后重新上传。"))]
    else:
        job.status = ImportJob.Status.SUCCEEDED
        job.summary = result.as_dict()
        job.processed_rows = job.total_rows
        job.errors = []
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "errors", "summary", "processed_rows", "finished_at"])
    audit_record(actor=job.created_by, action=Action.IMPORT_FINISH, target=job, details=_done(job))
    cache.delete(_progress_key(job.pk))
    return job
