"""Issue 19, finding 1: a control character one organisation stored must not break the XLSX
exports every organiser downloads (openpyxl refuses a workbook with one: IllegalCharacterError).

Rows are given the character straight through the ORM, as rows stored before the inputs were
cleaned (finding 10) still have it; the API test shows it no longer gets in through a PATCH.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Organization, User
from marketplace.models import Capability, Need
from tests.conftest import ClientFor
from tests.marketplace.event_world import Fair

BELL = "\u0007"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _cells(content: bytes) -> set[Any]:
    book = load_workbook(io.BytesIO(content))
    return {
        value
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
    }


def test_a_need_title_patched_with_a_control_character_does_not_break_the_needs_export(
    catalog: dict[str, Any], alice: User, olga: User, client_for: ClientFor
) -> None:
    # given
    need: Need = catalog["need"]
    patched = client_for(alice).patch(
        f"/api/v1/needs/{need.pk}/", {"title": f"a{BELL}b"}, format="json"
    )

    # when
    response = _client(olga).get(reverse("dashboard:export", args=["needs", "xlsx"]))

    # then
    assert patched.status_code == 200
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "ab" in _cells(response.content)


@pytest.mark.parametrize(
    ("entity", "taint"),
    [
        (
            "needs",
            lambda catalog: Need.objects.filter(pk=catalog["need"].pk).update(
                title=f"需求{BELL}标题"
            ),
        ),
        (
            "organizations",
            lambda catalog: Organization.objects.filter(pk=catalog["need"].organization_id).update(
                name=f"颐和苑{BELL}养老中心"
            ),
        ),
        (
            "capabilities",
            lambda catalog: Capability.objects.filter(pk=catalog["certified"].pk).update(
                key_specs=f"续航{BELL}8 小时\x1b[31m"
            ),
        ),
    ],
)
def test_every_dashboard_xlsx_export_drops_characters_a_workbook_cannot_hold(
    catalog: dict[str, Any], olga: User, entity: str, taint: Callable[[dict[str, Any]], int]
) -> None:
    # given
    assert taint(catalog) == 1

    # when
    response = _client(olga).get(reverse("dashboard:export", args=[entity, "xlsx"]))

    # then
    assert response.status_code == 200
    cells = _cells(response.content)
    assert {"需求标题", "颐和苑养老中心", "续航8 小时[31m"} & cells
    assert not any(isinstance(cell, str) and BELL in cell for cell in cells)


def test_the_event_schedule_workbook_survives_a_control_character_on_the_web_and_the_api(
    published_fair: Fair, client_for: ClientFor
) -> None:
    # given
    yihe = published_fair.yihe.organization
    Organization.objects.filter(pk=yihe.pk).update(name=f"颐和苑{BELL}养老中心")
    Need.objects.filter(organization=yihe).update(title=f"=cmd{BELL}|' /C calc'!A0")
    event = published_fair.event

    # when
    page = _client(published_fair.olga).get(reverse("events:event_schedule_xlsx", args=[event.pk]))
    api = client_for(published_fair.olga).get(f"/api/v1/events/{event.pk}/schedule.xlsx")

    # then
    for response in (page, api):
        assert response.status_code == 200
        cells = _cells(response.content)
        assert "颐和苑养老中心" in cells
        assert "'=cmd|' /C calc'!A0" in cells  # still no formula
