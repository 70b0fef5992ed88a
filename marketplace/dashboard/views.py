"""The organiser dashboard: charts drawn by static/js/dashboard.js, each with a table beside it.

Unlike the other organiser tools, which answer 404 to everyone else, the dashboard answers 403
with a sentence saying who may use it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accounts.models import Organization, User
from accounts.typing import AuthenticatedHttpRequest
from marketplace.capabilities.filters import CapabilityFilter
from marketplace.common.scores import score_percent
from marketplace.common.views import organizer_required
from marketplace.dashboard.selectors import (
    GOOD_MATCH_SCORE,
    MIN_GOOD_MATCHES,
    DashboardFigures,
    dashboard_figures,
)
from marketplace.models import Capability, Domain, Lead, Need, RobotType
from marketplace.needs.filters import NeedFilter


def _funnel_labels() -> dict[str, tuple[str, str]]:
    """Each funnel stage's name, and what a need must have to count in it."""
    return {
        "published": (_("已发布"), _("公开的需求")),
        "matched": (_("有匹配"), _("至少 1 条满足硬性要求的匹配推荐（不限分数）")),
        "responded": (_("有回复"), _("至少 1 家供应商回复了线索（有意向、婉拒或洽谈中）")),
        "met": (_("已会谈"), _("发布机构在对接活动中作为需求方到场会谈")),
        "pilot": (_("试点"), _("发布机构的会谈结果为试点或部署")),
        "deployed": (_("部署"), _("发布机构的会谈结果为部署")),
    }


def _tables(figures: DashboardFigures) -> dict[str, Any]:
    """The rows of each chart's table, with translated labels; the charts draw the same rows."""
    stages = _funnel_labels()
    return {
        "status_names": [
            Need.Status(status).label for status in figures.needs_by_domain_and_status.statuses
        ],
        "coverage_rows": list(
            zip(
                [str(n) for n in range(MIN_GOOD_MATCHES)] + [f"≥ {MIN_GOOD_MATCHES}"],
                figures.coverage.by_good_matches,
                strict=True,
            )
        ),
        "response_rows": [
            (Lead.Status(code).label if code in Lead.Status.values else _("未回复"), count)
            for code, count in figures.response.by_status.items()
        ],
        "funnel_rows": [(stage, *stages[stage.code]) for stage in figures.funnel],
    }


def _charts(figures: DashboardFigures, tables: dict[str, Any]) -> list[dict[str, Any]]:
    """What dashboard.js draws: labels and numbers only."""
    by_status = figures.needs_by_domain_and_status
    events = figures.events
    return [
        {
            "id": "chart-needs-by-domain",
            "type": "bar",
            "horizontal": True,
            "stacked": True,
            "labels": [row.domain.display_name for row in by_status.rows],
            "datasets": [
                {"label": str(name), "data": [row.counts[index] for row in by_status.rows]}
                for index, name in enumerate(tables["status_names"])
            ],
        },
        {
            "id": "chart-coverage",
            "type": "bar",
            "labels": [label for label, _count in tables["coverage_rows"]],
            "datasets": [{"label": _("公开需求数"), "data": figures.coverage.by_good_matches}],
        },
        {
            "id": "chart-gaps",
            "type": "bar",
            "horizontal": True,
            "labels": [domain.display_name for domain, _count in figures.gaps.by_domain],
            "datasets": [
                {
                    "label": _("无优质匹配的需求"),
                    "data": [count for _domain, count in figures.gaps.by_domain],
                }
            ],
        },
        {
            "id": "chart-response",
            "type": "doughnut",
            "labels": [str(label) for label, _count in tables["response_rows"]],
            "datasets": [
                {"label": _("线索数"), "data": [count for _label, count in tables["response_rows"]]}
            ],
        },
        {
            "id": "chart-funnel",
            "type": "bar",
            "horizontal": True,
            "labels": [name for _stage, name, _unit in tables["funnel_rows"]],
            "datasets": [{"label": _("需求数"), "data": [stage.count for stage in figures.funnel]}],
        },
        {
            "id": "chart-events",
            "type": "bar",
            "horizontal": True,
            "labels": [row.event.name for row in events],
            "datasets": [
                {"label": _("安排会谈"), "data": [row.scheduled for row in events]},
                {"label": _("已会谈"), "data": [row.met for row in events]},
                {"label": _("缺席"), "data": [row.no_show for row in events]},
                {"label": _("试点"), "data": [row.pilots for row in events]},
                {"label": _("部署"), "data": [row.deployments for row in events]},
            ],
        },
    ]


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.is_organizer:
        raise PermissionDenied(_("只有组织方可以查看数据看板。"))
    figures = dashboard_figures()
    tables = _tables(figures)
    return render(
        request,
        "marketplace/dashboard.html",
        {
            "figures": figures,
            **tables,
            "charts": _charts(figures, tables),
            "good_match_score": score_percent(GOOD_MATCH_SCORE),
            "min_good_matches": MIN_GOOD_MATCHES,
        },
    )


STAT_LABELS = {
    "organizations_by_kind": gettext_lazy("各类机构数量"),
    "organizations_pending_review": gettext_lazy("待审核机构"),
    "domains": gettext_lazy("应用领域"),
    "needs": gettext_lazy("需求总数"),
    "needs_published": gettext_lazy("公开需求"),
    "needs_by_domain": gettext_lazy("各领域需求数"),
    "needs_by_status": gettext_lazy("各状态需求数"),
    "capabilities": gettext_lazy("能力总数"),
    "capabilities_published": gettext_lazy("公开能力"),
    "capabilities_by_robot_type": gettext_lazy("各类型机器人能力数"),
    "events": gettext_lazy("对接活动"),
    "upcoming_events": gettext_lazy("即将举行的活动"),
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


def _export_queryset(user: User, entity: str, filters: QueryDict) -> QuerySet[Any]:
    """Organisers export everything; an organisation exports its own needs or capabilities,
    narrowed by the list page's filters."""
    if entity == "organizations":
        if not user.is_organizer:
            raise Http404
        return Organization.objects.visible_to(user)
    if entity == "needs":
        if not (user.is_organizer or user.is_demand):
            raise Http404
        needs = Need.objects.editable_by(user)
        return NeedFilter(filters or None, queryset=needs, user=user, show_status=True).qs
    if entity == "capabilities":
        if not (user.is_organizer or user.is_vendor):
            raise Http404
        capabilities = Capability.objects.editable_by(user)
        return CapabilityFilter(
            filters or None, queryset=capabilities, user=user, show_status=True
        ).qs
    raise Http404


@login_required
@require_GET
def export(request: AuthenticatedHttpRequest, entity: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filters = request.GET.copy()
    from marketplace.dashboard.exports import Layout, export_file

    try:  # ?layout=import: the import template's code columns, to edit and upload again
        layout = Layout(filters.pop("layout", [Layout.READABLE])[-1])
    except ValueError:
        raise Http404 from None
    queryset = _export_queryset(request.user, entity, filters)
    content, content_type, filename = export_file(
        entity=entity, queryset=queryset, fmt=fmt, actor=request.user, layout=layout
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
    from marketplace.dashboard.statistics import marketplace_statistics

    figures, tables = _statistics_sections(marketplace_statistics())
    return render(request, "marketplace/stats.html", {"figures": figures, "tables": tables})
