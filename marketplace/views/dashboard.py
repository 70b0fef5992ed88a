"""The organiser dashboard: charts drawn by static/js/dashboard.js, each with a table beside it.

Unlike the other organiser tools, which answer 404 to everyone else, the dashboard answers 403
with a sentence saying who may use it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.typing import AuthenticatedHttpRequest
from marketplace.models import Lead, Need
from marketplace.selectors_dashboard import (
    GOOD_MATCH_SCORE,
    MIN_GOOD_MATCHES,
    DashboardFigures,
    dashboard_figures,
)


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
            "good_match_score": GOOD_MATCH_SCORE,
            "min_good_matches": MIN_GOOD_MATCHES,
        },
    )
