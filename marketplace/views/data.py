"""Bulk data in and out: imports (organisers), exports and statistics.

The import, export and statistics code is imported inside the views, so these pages load even
while those modules are being written, and so importing URLs stays cheap.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import add_service_errors
from accounts.models import Organization, User
from accounts.typing import AuthenticatedHttpRequest
from marketplace.filters import CapabilityFilter, NeedFilter
from marketplace.forms import ImportUploadForm
from marketplace.models import Capability, Domain, ImportJob, Need, RobotType
from marketplace.views.common import organizer_required

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

STAT_LABELS = {
    "organizations_by_kind": _("各类机构数量"),
    "organizations_pending_review": _("待审核机构"),
    "domains": _("应用领域"),
    "needs": _("需求总数"),
    "needs_published": _("公开需求"),
    "needs_by_domain": _("各领域需求数"),
    "needs_by_status": _("各状态需求数"),
    "capabilities": _("能力总数"),
    "capabilities_published": _("公开能力"),
    "capabilities_by_robot_type": _("各类型机器人能力数"),
    "events": _("对接活动"),
    "upcoming_events": _("即将举行的活动"),
}


def _row_labels() -> dict[str, dict[Any, Any]]:
    """Readable names for the codes the statistics are keyed by."""
    return {
        "organizations_by_kind": dict(Organization.Kind.choices),
        "needs_by_status": dict(Need.Status.choices),
        "needs_by_domain": {domain.code: str(domain) for domain in Domain.objects.all()},
        "capabilities_by_robot_type": {
            robot_type.code: str(robot_type) for robot_type in RobotType.objects.all()
        },
    }


@organizer_required
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        from marketplace.services.imports import import_job_create

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
    from marketplace.services.imports.jobs import import_job_progress

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
    from marketplace.services.imports import import_template_xlsx

    response = HttpResponse(import_template_xlsx(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="robomatch-import-template.xlsx"'
    return response


def _export_queryset(user: User, entity: str, request: HttpRequest) -> QuerySet[Any]:
    """Organisers export everything; an organisation exports its own needs or capabilities."""
    if entity == "organizations":
        if not user.is_organizer:
            raise Http404
        return Organization.objects.visible_to(user)
    if entity == "needs":
        if not (user.is_organizer or user.is_demand):
            raise Http404
        needs = Need.objects.editable_by(user)
        return NeedFilter(request.GET or None, queryset=needs, user=user, show_status=True).qs
    if entity == "capabilities":
        if not (user.is_organizer or user.is_vendor):
            raise Http404
        capabilities = Capability.objects.editable_by(user)
        return CapabilityFilter(
            request.GET or None, queryset=capabilities, user=user, show_status=True
        ).qs
    raise Http404


@login_required
@require_GET
def export(request: AuthenticatedHttpRequest, entity: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    queryset = _export_queryset(request.user, entity, request)
    from marketplace.services.exports import export_file

    content, content_type, filename = export_file(
        entity=entity, queryset=queryset, fmt=fmt, actor=request.user
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _statistics_sections(statistics: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """Split the statistics into headline figures and small two-column tables."""
    figures: list[tuple[Any, Any]] = []
    tables: list[tuple[Any, list[tuple[Any, Any]]]] = []
    row_labels = _row_labels()
    for key, value in statistics.items():
        label = STAT_LABELS.get(key, key)
        if isinstance(value, dict):
            names = row_labels.get(key, {})
            tables.append(
                (label, [(names.get(code, code), count) for code, count in value.items()])
            )
        elif isinstance(value, list | tuple):
            rows = []
            for item in value:
                if isinstance(item, dict):
                    values = list(item.values())
                    rows.append((values[0] if values else "", values[-1] if values else ""))
                elif isinstance(item, list | tuple) and len(item) >= 2:
                    rows.append((item[0], item[-1]))
                else:
                    rows.append((item, ""))
            tables.append((label, rows))
        else:
            figures.append((label, value))
    return figures, tables


@organizer_required
def stats(request: AuthenticatedHttpRequest) -> HttpResponse:
    from marketplace.selectors import marketplace_statistics

    figures, tables = _statistics_sections(marketplace_statistics())
    return render(request, "marketplace/stats.html", {"figures": figures, "tables": tables})
