"""Bulk data in and out: imports (organisers), exports and statistics.

The import, export and statistics code is imported inside the views, so these pages load even
while those modules are being written, and so importing URLs stays cheap.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import add_service_errors
from accounts.typing import AuthenticatedHttpRequest
from marketplace.common.views import organizer_required
from marketplace.imports.forms import ImportUploadForm
from marketplace.models import ImportJob

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@organizer_required
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        from marketplace.imports.jobs import import_job_create

        try:
            job = import_job_create(uploaded_file=form.cleaned_data["file"], user=request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_service_errors(form, error)
            else:
                for message in error.messages:
                    form.add_error("file", message)
        else:
            return redirect(job)
    jobs = ImportJob.objects.select_related("created_by")[:10]
    return render(request, "marketplace/import_upload.html", {"form": form, "jobs": jobs})


def _progress(job: ImportJob) -> dict[str, Any]:
    from marketplace.imports.jobs import import_job_progress

    return import_job_progress(job)


@organizer_required
def import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    return render(
        request, "marketplace/import_detail.html", {"job": job, "progress": _progress(job)}
    )


@organizer_required
@require_GET
@never_cache
def import_status_json(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    progress = _progress(job)
    return JsonResponse(
        {
            "status": progress["status"],
            "status_display": str(progress.get("status_display", job.get_status_display())),
            "progress_percent": progress["progress_percent"],
            "processed_rows": progress["processed_rows"],
            "total_rows": progress["total_rows"],
            "errors": progress["errors"],
            "is_finished": job.is_finished,
        }
    )


@organizer_required
@require_GET
def import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    from marketplace.imports.template import import_template_xlsx

    response = HttpResponse(import_template_xlsx(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="robomatch-import-template.xlsx"'
    return response
