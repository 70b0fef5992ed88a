"""The row forms: an imported row is checked by the rules its object keeps everywhere (the model's
and the web form's), and every error of a row is named at once, in the reader's language."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.utils import translation

from marketplace.imports.fields import Taxonomy
from marketplace.imports.parsing import SourceRow
from marketplace.imports.rows import (
    CapabilityRowForm,
    EventRowForm,
    NeedRowForm,
    OrganizationRowForm,
    RowForm,
)
from tests.marketplace.catalogs import CATALOG


def _errors(form_class: type[RowForm], section: str, **changes: Any) -> list[tuple[str, str]]:
    data = {**copy.deepcopy(CATALOG[section][0]), **changes}
    form = form_class(SourceRow(section, 1, data), Taxonomy())
    return [(error.field, error.message) for error in form.row_errors()]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"quantity": "0"}, ("quantity", "需求数量至少为 1。")),
        (
            {"budget_min_cny": "9万", "budget_max_cny": "5万"},
            ("budget_max_cny", "预算上限不能低于预算下限。"),
        ),
        ({"domain": "healthcare"}, ("categories", "服务类别“物资配送”不属于所选领域。")),
        ({"site_floors": 301}, ("site_floors", "确保该值小于或等于300。")),
    ],
)
def test_a_need_row_keeps_the_rules_of_the_need_form_and_model(
    taxonomy: dict[str, Any], changes: dict[str, Any], error: tuple[str, str]
) -> None:
    assert _errors(NeedRowForm, "needs", **changes) == [error]


def test_a_capability_row_keeps_the_domain_rule_of_the_web_form(taxonomy: dict[str, Any]) -> None:
    assert _errors(CapabilityRowForm, "capabilities", categories="物资配送") == [
        ("categories", "服务类别“物资配送”不属于所选领域。")
    ]
    assert _errors(CapabilityRowForm, "capabilities", price_min_cny=9, price_max_cny=5) == [
        ("price_max_cny", "价格上限不能低于价格下限。")
    ]


def test_an_organisation_row_takes_its_limits_from_the_model_and_reports_them_together(
    taxonomy: dict[str, Any],
) -> None:
    errors = _errors(
        OrganizationRowForm, "organizations", district="崂" * 65, email="不是邮箱", kind="alien"
    )
    assert [field for field, _message in errors] == ["kind", "district", "email"]
    assert ("district", "过长：最多 64 个字符，现有 65 个。") in errors


def test_an_organisation_without_a_sub_type_gets_the_one_of_its_kind(
    taxonomy: dict[str, Any],
) -> None:
    row = SourceRow("organizations", 2, CATALOG["organizations"][1])
    form = OrganizationRowForm(row, Taxonomy())
    clean = form.clean_row()
    assert form.row_errors() == []
    assert (clean.ref, clean.values["sub_type"]) == ("v-01", "robot_maker")
    assert "district" not in clean.values  # an absent column keeps what is stored


def test_an_event_row_defaults_its_city_and_requires_a_date(taxonomy: dict[str, Any]) -> None:
    data = {"ref": "e-01", "organizer": "o-01", "name": "对接会", "date": "2026/3/01"}
    form = EventRowForm(SourceRow("events", 1, data), Taxonomy())
    assert form.clean_row().values["city"] == "青岛市"
    assert [(e.field, e.message) for e in form.row_errors()] == [
        ("date", "日期格式应为 YYYY-MM-DD，收到“2026-3-01”。")
    ]
    empty = EventRowForm(SourceRow("events", 1, {**data, "date": " "}), Taxonomy())
    assert [(e.field, e.message) for e in empty.row_errors()] == [("date", "必填字段，不能为空。")]


def test_row_errors_are_in_english_when_english_is_chosen(taxonomy: dict[str, Any]) -> None:
    with translation.override("en"):
        errors = _errors(NeedRowForm, "needs", domain="space_travel", quantity="two")
    assert errors == [
        ("domain", "Unknown Domain “space_travel”."),
        ("quantity", "Must be a whole number, got “two”."),
    ]
