"""The fields that read an imported row's cells: each coercion, and what each refuses and why."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from marketplace.imports.fields import (
    BudgetBasisField,
    ChineseBooleanField,
    ChineseChoiceField,
    ChineseDateField,
    ChineseIntegerField,
    ListField,
    RefField,
    RegionField,
    RegionListField,
    RowTextField,
    Taxonomy,
    TaxonomyChoiceField,
    TaxonomyMultipleChoiceField,
)
from marketplace.models import Capability, Domain, ServiceCategory


def _refused(field: Any, value: Any) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        field.clean(value)
    return caught.value.messages


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("8万", 80000),
        ("1.2万", 12000),
        ("１．５万", 15000),
        ("８０，０００", 80000),
        ("80,000", 80000),
        (" 42 ", 42),
        ("+7", 7),
        (3, 3),
        (3.0, 3),
        (None, None),
        ("  ", None),
    ],
)
def test_an_integer_reads_wan_full_width_digits_and_separators(written: Any, number: Any) -> None:
    assert ChineseIntegerField().clean(written) == number


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("两台", "应为整数，收到“两台”。"),
        (1.5, "应为整数，收到“1.5”。"),
        ("8千", "应为整数，收到“8千”。"),
        (True, "应为整数。"),
        (-5, "不能小于 0。"),
        (10**13 + 1, "数值过大。"),
        ("9" * 400 + "万", "数值过大。"),
        ("９" * 5000, "数值过大。"),
    ],
)
def test_an_integer_that_is_none_says_why(written: Any, message: str) -> None:
    assert _refused(ChineseIntegerField(), written) == [message]


def test_an_integer_below_its_minimum_and_a_required_blank_one_are_refused() -> None:
    assert _refused(ChineseIntegerField(min_value=1), "0") == ["不能小于 1。"]
    assert _refused(ChineseIntegerField(required=True), " ") == ["必填字段，不能为空。"]


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("是", True),
        ("有", True),
        ("Yes", True),
        ("１", True),
        (True, True),
        ("否", False),
        ("无", False),
        ("没有", False),
        ("false", False),
        (0, False),
        (None, None),
        ("", None),
    ],
)
def test_a_boolean_reads_chinese_and_english_words(written: Any, value: bool | None) -> None:
    assert ChineseBooleanField().clean(written) is value


def test_a_boolean_that_is_neither_says_so() -> None:
    assert _refused(ChineseBooleanField(), "也许") == ["应为 是/否（true/false）。"]
    assert _refused(ChineseBooleanField(), 2) == ["应为 是/否（true/false）。"]


@pytest.mark.parametrize(
    ("written", "items"),
    [
        ("CCC认证；CE认证", ["CCC认证", "CE认证"]),
        ("a;b,c，d、e\nf", ["a", "b", "c", "d", "e", "f"]),
        ("a；；  ；b", ["a", "b"]),
        (["ＣＣＣ", None, " ", "CE "], ["CCC", "CE"]),
        (None, []),
        ("", []),
    ],
)
def test_a_list_splits_on_chinese_and_english_separators(written: Any, items: list[str]) -> None:
    assert ListField().clean(written) == items


def test_a_required_list_with_no_items_is_refused_with_its_own_message() -> None:
    field = ListField(required=True, error_messages={"required": "至少一项。"})
    assert _refused(field, "；、") == ["至少一项。"]


def test_text_is_stripped_and_refused_when_not_text_nul_or_too_long() -> None:
    field = RowTextField(max_length=5)
    assert field.clean("  送餐  ") == "送餐"
    assert field.clean(12) == "12"
    assert _refused(field, ["a"]) == ["应为文本。"]
    assert _refused(field, {"a": 1}) == ["应为文本。"]
    assert _refused(field, "送\x00餐") == ["含有空字符（NUL）。"]
    assert _refused(field, "六个字的标题") == ["过长：最多 5 个字符，现有 6 个。"]
    assert _refused(RowTextField(required=True), "   ") == ["必填字段，不能为空。"]


def test_a_ref_is_folded_to_half_width_and_loses_nul_characters() -> None:
    field = RefField(max_length=4)
    assert field.clean(" ｎ－０１\x00 ") == "n-01"
    assert field.clean(7) == "7"
    assert _refused(field, "n-001") == ["过长：最多 4 个字符，现有 5 个。"]
    assert _refused(field, None) == ["必填字段，不能为空。"]


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("2026-03-01", datetime.date(2026, 3, 1)),
        ("2026/03/01", datetime.date(2026, 3, 1)),
        ("２０２６－０３－０１", datetime.date(2026, 3, 1)),
        (datetime.datetime(2026, 3, 1, 9, 30), datetime.date(2026, 3, 1)),
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1)),
        (" ", None),
    ],
)
def test_a_date_reads_dashes_slashes_and_spreadsheet_dates(written: Any, date: Any) -> None:
    assert ChineseDateField().clean(written) == date


def test_a_date_in_words_is_refused_naming_the_format() -> None:
    assert _refused(ChineseDateField(), "明年春天") == ["日期格式应为 YYYY-MM-DD，收到“明年春天”。"]


@pytest.mark.parametrize(
    ("written", "basis"),
    [
        ("单价", "per_unit"),
        ("每台", "per_unit"),
        ("per unit", "per_unit"),
        ("总价", "total"),
        ("TOTAL", "total"),
        ("按总价（全部数量）", "total"),
        ("", ""),
    ],
)
def test_a_budget_basis_reads_values_labels_and_chinese_words(written: str, basis: str) -> None:
    assert BudgetBasisField().clean(written) == basis


def test_a_choice_outside_the_list_names_the_allowed_values() -> None:
    field = ChineseChoiceField(choices=Capability.Maturity.choices, required=True)
    allowed = " / ".join(Capability.Maturity.values)
    assert _refused(field, "someday") == [f"“someday”不是允许的值，可选：{allowed}。"]
    assert _refused(field, None) == ["必填字段，不能为空。"]
    assert _refused(BudgetBasisField(), "按月") == ["“按月”不是允许的值，可选：per_unit / total。"]


@pytest.mark.parametrize("written", ["civil_affairs", "民政", "civil affairs", " CIVIL_AFFAIRS "])
def test_a_taxonomy_entry_is_found_by_code_chinese_or_english_name(
    taxonomy: dict[str, Any], written: str
) -> None:
    assert TaxonomyChoiceField(Domain).clean(written) == taxonomy["civil"]


def test_an_unknown_taxonomy_entry_names_its_kind_and_value(taxonomy: dict[str, Any]) -> None:
    assert _refused(TaxonomyChoiceField(Domain), "space_travel") == ["未知的领域“space_travel”。"]
    assert _refused(TaxonomyChoiceField(Domain, required=True), "") == ["必填字段，不能为空。"]
    assert TaxonomyChoiceField(Domain).clean("") is None


def test_several_taxonomy_entries_are_read_once_each_and_every_unknown_is_named(
    taxonomy: dict[str, Any],
) -> None:
    field = TaxonomyMultipleChoiceField(ServiceCategory)
    assert field.clean("material_delivery、物资配送；Rehab training") == [
        taxonomy["delivery"],
        taxonomy["rehab"],
    ]
    assert _refused(field, ["x", "material_delivery", "y"]) == [
        "未知的服务类别“x”。",
        "未知的服务类别“y”。",
    ]


@pytest.mark.parametrize(
    ("written", "region"),
    [
        ("青岛市", "青岛市"),
        ("青岛", "青岛市"),
        ("山东", "山东省"),
        ("山东省青岛市", "青岛市"),
        ("山东省青岛市崂山区", "青岛市"),
        ("nationwide", "全国"),
        ("中国", "全国"),
    ],
)
def test_a_region_is_the_most_specific_one_named(
    taxonomy: dict[str, Any], written: str, region: str
) -> None:
    found = RegionField().clean(written)
    assert found is not None and found.name == region


def test_an_unknown_region_is_refused_and_regions_come_as_a_list(taxonomy: dict[str, Any]) -> None:
    assert _refused(RegionField(), "火星市") == ["未知地区“火星市”：应为城市、省份或“全国”。"]
    regions = RegionListField().clean("青岛；深圳市；青岛市")
    assert [region.name for region in regions] == ["青岛市", "深圳市"]
    assert _refused(RegionListField(), ["月球"]) == ["未知地区“月球”：应为城市、省份或“全国”。"]


def test_fields_sharing_a_taxonomy_read_the_database_once(
    taxonomy: dict[str, Any], django_assert_num_queries: Any
) -> None:
    shared = Taxonomy()
    first, second = TaxonomyChoiceField(Domain), TaxonomyMultipleChoiceField(Domain)
    first.taxonomy = second.taxonomy = shared
    with django_assert_num_queries(1):
        assert first.clean("民政") == taxonomy["civil"]
        assert second.clean("healthcare, civil_affairs") == [taxonomy["health"], taxonomy["civil"]]


def test_messages_are_in_english_when_english_is_chosen(taxonomy: dict[str, Any]) -> None:
    with translation.override("en"):
        assert _refused(ChineseIntegerField(), "两台") == ["Must be a whole number, got “两台”."]
        assert _refused(ChineseBooleanField(), "也许") == ["Must be yes/no (true/false)."]
        assert _refused(TaxonomyChoiceField(Domain), "x") == ["Unknown Domain “x”."]
        assert _refused(RowTextField(required=True), "") == ["Required; cannot be empty."]
