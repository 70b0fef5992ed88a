"""The importer: every bad row is named by row and field, and a bad file writes nothing."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from accounts.models import Organization
from marketplace.dashboard.exports import Layout, export_file
from marketplace.imports.loading import catalog_import
from marketplace.imports.parsing import ImportFileError, ImportPayload, parse_import_file
from marketplace.imports.rows import ImportValidationError
from marketplace.imports.template import import_template_xlsx
from marketplace.models import Capability, Certification, Need, NeedRevision

CATALOG: dict[str, Any] = {
    "organizations": [
        {"ref": "inst-01", "name": "颐和苑", "kind": "demand", "sub_type": "elder_care"},
        {"ref": "v-01", "name": "康途机器人", "kind": "vendor"},
    ],
    "needs": [
        {
            "ref": "n-01",
            "organization": "inst-01",
            "title": "送餐机器人",
            "description": "三餐从厨房送到各楼层。",
            "domain": "civil_affairs",
            "categories": ["material_delivery"],
            "quantity": 2,
            "budget_max_cny": 50000,
            "region": "青岛市",
            "required_certifications": ["CCC认证"],
        }
    ],
    "capabilities": [
        {
            "ref": "c-01",
            "organization": "v-01",
            "title": "康复外骨骼",
            "description": "下肢康复训练。",
            "domains": ["healthcare"],
            "robot_type": "exoskeleton",
            "price_min_cny": 150000,
            "price_max_cny": 400000,
            "service_regions": ["全国"],
            "certifications": ["二类医疗器械注册证"],
            "maturity": "mass_production",
        }
    ],
}


def _import(document: dict[str, Any]) -> Any:
    content = json.dumps(document, ensure_ascii=False).encode()
    return catalog_import(payload=parse_import_file(content=content, filename="c.json"))


def _counts() -> tuple[int, int, int, int]:
    return (
        Organization.objects.count(),
        Need.objects.count(),
        Capability.objects.count(),
        Certification.objects.count(),
    )


def test_import_creates_approved_organisations_and_published_rows(taxonomy: Any) -> None:
    result = _import(CATALOG)

    assert result.created == {"organizations": 2, "needs": 1, "capabilities": 1}
    need = Need.objects.get(ref="n-01")
    assert need.status == Need.Status.PUBLISHED
    assert need.expires_at is not None
    assert need.organization.review_status == Organization.ReviewStatus.APPROVED
    assert [c.code for c in need.categories.all()] == ["material_delivery"]
    assert [c.name for c in need.required_certifications.all()] == ["CCC认证"]
    capability = Capability.objects.get(ref="c-01")
    assert capability.status == Capability.Status.PUBLISHED
    assert [r.name for r in capability.service_regions.all()] == ["全国"]
    assert Need.objects.published().count() == 1


def test_reimporting_the_same_file_updates_rows_instead_of_duplicating(taxonomy: Any) -> None:
    _import(CATALOG)
    changed = copy.deepcopy(CATALOG)
    changed["needs"][0]["title"] = "送餐和送药机器人"

    result = _import(changed)

    assert result.created == {}
    assert result.updated == {"organizations": 2, "needs": 1, "capabilities": 1}
    assert Need.objects.count() == 1
    assert Need.objects.get(ref="n-01").title == "送餐和送药机器人"
    # Editing a published need keeps what it said before.
    assert NeedRevision.objects.get().snapshot["title"] == "送餐机器人"


def _with(section: str, **changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(CATALOG)
    row = document[section][0]
    for key, value in changes.items():
        if value is KeyError:
            row.pop(key)
        else:
            row[key] = value
    return document


BAD_ROWS = [
    ("needs", {"title": KeyError}, "title"),
    ("needs", {"title": "   "}, "title"),
    ("needs", {"domain": "space_travel"}, "domain"),
    ("needs", {"categories": ["container_handling"]}, "categories"),
    ("needs", {"region": "火星市"}, "region"),
    ("needs", {"quantity": "两台"}, "quantity"),
    ("needs", {"quantity": 0}, "quantity"),
    ("needs", {"budget_min_cny": 90000, "budget_max_cny": 50000}, "budget_max_cny"),
    ("needs", {"wanted_by": "明年春天"}, "wanted_by"),
    ("needs", {"organization": "nobody"}, "organization"),
    ("needs", {"organization": "v-01"}, "organization"),
    ("needs", {"description": "x" * 5001}, "description"),
    ("needs", {"title": "送餐\x00机器人"}, "title"),
    ("capabilities", {"robot_type": "teleporter"}, "robot_type"),
    ("capabilities", {"maturity": "someday"}, "maturity"),
    ("capabilities", {"domains": []}, "domains"),
    ("capabilities", {"service_regions": ["月球"]}, "service_regions"),
    ("capabilities", {"price_min_cny": -5}, "price_min_cny"),
    ("capabilities", {"organization": "inst-01"}, "organization"),
    ("organizations", {"kind": "alien"}, "kind"),
    ("organizations", {"sub_type": "robot_maker"}, "sub_type"),
    ("organizations", {"name": KeyError}, "name"),
]


@pytest.mark.parametrize(("section", "changes", "field"), BAD_ROWS)
def test_a_bad_row_names_row_and_field_and_writes_nothing(
    taxonomy: Any, section: str, changes: dict[str, Any], field: str
) -> None:
    before = _counts()

    with pytest.raises(ImportValidationError) as caught:
        _import(_with(section, **changes))

    assert [(e.section, e.row, e.field) for e in caught.value.errors] == [(section, 1, field)]
    assert _counts() == before


def test_every_bad_row_is_reported_not_only_the_first(taxonomy: Any) -> None:
    document = copy.deepcopy(CATALOG)
    second = copy.deepcopy(document["needs"][0])
    second.update(ref="n-02", domain="nowhere", region="火星市")
    document["needs"].append(second)
    document["needs"][0]["quantity"] = "many"

    with pytest.raises(ImportValidationError) as caught:
        _import(document)

    assert sorted((e.row, e.field) for e in caught.value.errors) == [
        (1, "quantity"),
        (2, "domain"),
        (2, "region"),
    ]
    assert Need.objects.count() == 0


def test_duplicate_refs_in_one_file_are_an_error(taxonomy: Any) -> None:
    document = copy.deepcopy(CATALOG)
    document["needs"].append(copy.deepcopy(document["needs"][0]))

    with pytest.raises(ImportValidationError) as caught:
        _import(document)

    assert [(e.row, e.field) for e in caught.value.errors] == [(2, "ref")]


def test_region_names_resolve_to_the_most_specific_known_region(taxonomy: Any) -> None:
    document = _with("needs", region="山东省青岛市崂山区")
    _import(document)
    need = Need.objects.get(ref="n-01")
    assert need.region.name == "青岛市"
    assert [r.name for r in need.region.lineage()] == ["青岛市", "山东省", "全国"]


def _csv_bytes(encoding: str) -> bytes:
    lines = [
        "record_type,ref,name,kind,organization,title,description,domain,categories,region,"
        "budget_max_cny,quantity",
        "organization,inst-09,崂山颐养院,demand,,,,,,,,",
        "need,n-09,,,inst-09,巡查机器人,夜间走廊巡查，发现老人跌倒，,civil_affairs,"
        "material_delivery,青岛,８０，０００,２",
    ]
    text = "\n".join(lines)
    return text.encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "utf-8"])
def test_csv_from_chinese_excel_in_gbk_or_utf8_with_bom_imports(
    taxonomy: Any, encoding: str
) -> None:
    payload = parse_import_file(content=_csv_bytes(encoding), filename="needs.csv")
    catalog_import(payload=payload)

    need = Need.objects.get(ref="n-09")
    assert need.budget_max_cny == 80000  # full-width digits and separators are understood
    assert need.quantity == 2
    assert need.region.name == "青岛市"


def test_csv_error_names_the_file_line(taxonomy: Any) -> None:
    content = _csv_bytes("utf-8").replace(b"civil_affairs", b"civil")
    with pytest.raises(ImportValidationError) as caught:
        catalog_import(payload=parse_import_file(content=content, filename="x.csv"))
    assert [(e.section, e.row, e.field) for e in caught.value.errors] == [("needs", 3, "domain")]


def test_the_downloadable_template_imports_as_it_is(taxonomy: Any) -> None:
    # The template's example rows use codes of the seeded taxonomy; add the two it names.
    from marketplace.models import ProductClass, ServiceCategory
    from marketplace.models import RobotType as Robot

    ServiceCategory.objects.create(
        code="inspection_patrol", domain=taxonomy["civil"], name_zh="巡查检查"
    )
    ProductClass.objects.create(code="health_management", name_zh="健康管理")
    Robot.objects.create(code="wheeled", name_zh="轮式")
    content = import_template_xlsx()
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["说明", "organizations", "needs", "capabilities"]
    # The template names v-01 as a vendor it does not define: define it in a copy.
    workbook["organizations"].append(["v-01", "示例供应商", "vendor"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = catalog_import(payload=parse_import_file(content=buffer.getvalue(), filename="t.xlsx"))

    assert result.created == {"organizations": 2, "needs": 1, "capabilities": 1}
    need = Need.objects.get(ref="n-01")
    assert need.site_has_elevator is True
    assert need.budget_basis == Need.BudgetBasis.PER_UNIT
    assert workbook["needs"]["O1"].value == "budget_basis"
    assert list(Capability.objects.get(ref="c-01").service_regions.values_list("name", flat=True))


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"PK\x03\x04this is not a workbook", "broken.xlsx"),
        (b"not a workbook at all", "fake.xlsx"),
        (b"{not json", "bad.json"),
        (b'["a list"]', "list.json"),
        (b"ref,name\nx,y\n", "no-record-type.csv"),
        (b"\x89PNG\r\n\x1a\n", "image.png"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(
    taxonomy: Any, content: bytes, filename: str
) -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_import_file(content=content, filename=filename)
    assert str(caught.value)


def test_export_then_reimport_round_trips(taxonomy: Any) -> None:
    document = copy.deepcopy(CATALOG)
    document["needs"][0]["budget_basis"] = "total"
    _import(document)
    for fmt in ("csv", "xlsx"):
        content, _, filename = export_file(
            entity="needs", queryset=Need.objects.all(), fmt=fmt, layout=Layout.IMPORT
        )
        result = catalog_import(payload=parse_import_file(content=content, filename=filename))
        assert result.updated == {"needs": 1}
    assert Need.objects.count() == 1
    assert Need.objects.get().budget_basis == Need.BudgetBasis.TOTAL


@pytest.mark.parametrize(("layout", "title_column"), [(Layout.IMPORT, 2), (Layout.READABLE, 2)])
def test_export_neutralises_spreadsheet_formulas(
    taxonomy: Any, layout: Layout, title_column: int
) -> None:
    _import(_with("needs", title='=HYPERLINK("http://evil")'))
    needs = Need.objects.all()
    content, _, _ = export_file(entity="needs", queryset=needs, fmt="csv", layout=layout)
    assert "'=HYPERLINK" in content.decode("utf-8-sig")
    xlsx, _, _ = export_file(entity="needs", queryset=needs, fmt="xlsx", layout=layout)
    sheet = load_workbook(io.BytesIO(xlsx)).worksheets[0]
    titles = [row[title_column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ['\'=HYPERLINK("http://evil")']


def test_import_command_reports_rows_and_exits_non_zero(taxonomy: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_with("needs", domain="nowhere"), ensure_ascii=False), "utf-8")
    stderr = io.StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("marketplace_import", str(path), stderr=stderr)

    assert "nothing was imported" in str(caught.value)
    assert "needs 第1行 ref=n-01 [domain]" in stderr.getvalue()
    assert Organization.objects.count() == 0


def test_import_command_loads_a_good_file(taxonomy: Any, tmp_path: Path) -> None:
    path = tmp_path / "good.json"
    path.write_text(json.dumps(CATALOG, ensure_ascii=False), "utf-8")
    stdout = io.StringIO()
    call_command("marketplace_import", str(path), stdout=stdout)
    assert "Imported good.json" in stdout.getvalue()
    assert Need.objects.published().count() == 1


def test_xlsx_with_a_bad_cell_names_sheet_row(taxonomy: Any) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "needs"
    sheet.append(["ref", "organization", "title", "description", "domain", "region"])
    sheet.append(["n-1", "nobody", "t", "d", "civil_affairs", "青岛市"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportValidationError) as caught:
        catalog_import(payload=parse_import_file(content=buffer.getvalue(), filename="x.xlsx"))
    assert [(e.section, e.row, e.field) for e in caught.value.errors] == [
        ("needs", 2, "organization")
    ]


def test_an_error_in_our_own_row_handling_is_not_reported_as_a_damaged_workbook(
    taxonomy: Any,
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "needs"
    sheet.append(["ref", "title"])
    sheet.append(["n-1", "t"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    with (
        mock.patch.object(ImportPayload, "add", side_effect=TypeError("a bug of ours")),
        pytest.raises(TypeError, match="a bug of ours"),
    ):
        parse_import_file(content=buffer.getvalue(), filename="x.xlsx")


@pytest.mark.parametrize(
    ("written", "basis"),
    [
        (None, "per_unit"),
        ("", "per_unit"),
        ("per_unit", "per_unit"),
        ("单价", "per_unit"),
        ("每台", "per_unit"),
        ("total", "total"),
        ("总价", "total"),
        ("Total", "total"),
        ("按总价（全部数量）", "total"),
    ],
)
def test_the_budget_basis_column_is_optional_and_reads_chinese_words(
    taxonomy: Any, written: str | None, basis: str
) -> None:
    document = copy.deepcopy(CATALOG)
    if written is not None:
        document["needs"][0]["budget_basis"] = written
    _import(document)
    assert Need.objects.get(ref="n-01").budget_basis == basis


def test_an_unknown_budget_basis_names_the_row_and_field(taxonomy: Any) -> None:
    document = copy.deepcopy(CATALOG)
    document["needs"][0]["budget_basis"] = "按月"
    with pytest.raises(ImportValidationError) as caught:
        _import(document)
    assert [(e.section, e.row, e.field) for e in caught.value.errors] == [
        ("needs", 1, "budget_basis")
    ]
    assert "per_unit / total" in caught.value.errors[0].message
    assert Need.objects.count() == 0
