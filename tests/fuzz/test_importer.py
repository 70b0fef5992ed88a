"""Property tests of the importer: any file either imports whole or is refused with a reason that
names row and field, and a refused file writes nothing. Only the importer's own errors escape."""

from __future__ import annotations

import copy
import csv
import io
import json
import zipfile
from typing import Any

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from accounts.models import Organization
from marketplace.imports.fields import ChineseIntegerField
from marketplace.imports.loading import catalog_import
from marketplace.imports.parsing import SECTIONS, ImportFileError, parse_import_file
from marketplace.imports.rows import ImportValidationError
from marketplace.imports.template import COLUMNS, import_template_xlsx
from marketplace.models import Capability, Event, Need
from tests.fuzz.strategies import CJK, PURE, WITH_DATABASE, awkward_text, rolled_back

CATALOG: dict[str, list[dict[str, Any]]] = {
    "organizations": [
        {"ref": "inst-01", "name": "颐和苑", "kind": "demand", "sub_type": "elder_care"},
        {"ref": "v-01", "name": "康途机器人", "kind": "vendor"},
        {"ref": "o-01", "name": "对接办", "kind": "organizer"},
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
            "service_regions": ["全国"],
            "maturity": "mass_production",
        }
    ],
    "events": [
        {"ref": "e-01", "organizer": "o-01", "name": "养老机器人对接会", "date": "2026-03-01"}
    ],
}
EVENT_COLUMNS = ["ref", "organizer", "name", "date", "venue", "district", "city", "domains"]

# What a JSON cell may hold: the awkward texts, and every JSON type in the wrong place.
json_value = st.one_of(
    awkward_text,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(),  # NaN and Infinity too: json.loads reads them
    st.lists(awkward_text, max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)

# A field of one row of the catalog, replaced by a fuzzed value.
# Mostly a column of the row's own section; sometimes one it does not have.
SECTION_COLUMNS = {**COLUMNS, "events": EVENT_COLUMNS}
ALL_COLUMNS = sorted({column for columns in SECTION_COLUMNS.values() for column in columns})
edits = st.sampled_from(sorted(SECTION_COLUMNS)).flatmap(
    lambda section: st.tuples(
        st.just(section),
        st.integers(min_value=0, max_value=2),
        st.sampled_from(SECTION_COLUMNS[section]) | st.sampled_from(ALL_COLUMNS),
    )
)


def _counts() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "needs": Need.objects.count(),
        "capabilities": Capability.objects.count(),
        "events": Event.objects.count(),
    }


def _cell(value: Any) -> Any:
    """A JSON value as a person would type it in a spreadsheet cell."""
    if isinstance(value, list):
        return "；".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _as_csv(document: dict[str, list[dict[str, Any]]], encoding: str) -> bytes:
    columns = sorted({key for rows in document.values() for row in rows for key in row})
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["record_type", *columns])
    for section, rows in document.items():
        for row in rows:
            cells = [_cell(row.get(column)) for column in columns]
            writer.writerow([section, *("" if cell is None else cell for cell in cells)])
    return buffer.getvalue().encode(encoding, errors="replace")


def _as_xlsx(document: dict[str, list[dict[str, Any]]]) -> bytes:
    workbook = Workbook()
    assert workbook.active is not None
    workbook.remove(workbook.active)
    for section, rows in document.items():
        sheet = workbook.create_sheet(section)
        columns = sorted({"ref", *(key for row in rows for key in row)})
        sheet.append(columns)
        for row in rows:
            cells = [_cell(row.get(column)) for column in columns]
            # A workbook cannot hold control characters at all; Excel would not have saved them.
            sheet.append(
                [ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in cells]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _encode(document: dict[str, list[dict[str, Any]]], file_format: str) -> tuple[bytes, str]:
    if file_format == "json":
        return json.dumps(document, ensure_ascii=False).encode(), "catalog.json"
    if file_format == "xlsx":
        return _as_xlsx(document), "catalog.xlsx"
    return _as_csv(document, file_format.removeprefix("csv-")), "catalog.csv"


def _import_outcome(content: bytes, filename: str) -> None:
    """Import, then check the promise: all rows written, or none and every error located."""
    before = _counts()
    try:
        payload = parse_import_file(content=content, filename=filename)
        result = catalog_import(payload=payload)
    except ImportFileError as error:
        event("refused as a file")
        assert CJK.search(str(error)), str(error)
        assert _counts() == before
    except ImportValidationError as error:
        event("refused by row")
        assert error.errors
        for row_error in error.errors:
            assert row_error.section in SECTIONS
            assert row_error.row >= 1
            assert row_error.field and row_error.field != "__all__", row_error
            assert row_error.message.strip(), row_error
        assert _counts() == before
    else:
        event("imported")
        for section in SECTIONS:
            written = result.created.get(section, 0) + result.updated.get(section, 0)
            assert written == len(payload.rows[section])
            assert _counts()[section] == before[section] + result.created.get(section, 0)
        # What was stored must also be valid by the models' own rules (SQLite would accept
        # an over-long ref that PostgreSQL refuses with a server error).
        for model in (Organization, Need, Capability, Event):
            for row in model.objects.all():
                row.full_clean()
                for field in model._meta.concrete_fields:
                    value = getattr(row, field.attname)
                    assert not (isinstance(value, str) and "\x00" in value), field.name


@WITH_DATABASE
@given(
    changes=st.lists(st.tuples(edits, json_value), min_size=1, max_size=4),
    file_format=st.sampled_from(["json", "csv-utf-8", "csv-utf-8-sig", "csv-gbk", "xlsx"]),
)
@example(changes=[(("needs", 0, "budget_max_cny"), "9" * 400 + "万")], file_format="json").via(
    "overflowed float() to inf and round() raised OverflowError"
)
@example(changes=[(("needs", 0, "quantity"), "９" * 5000)], file_format="json").via(
    "int() of more than 4300 digits raised ValueError"
)
@example(changes=[(("needs", 0, "ref"), "n" * 65)], file_format="csv-utf-8").via(
    "a 65-character ref passed the checks; PostgreSQL refuses it with a server error"
)
@example(changes=[(("capabilities", 0, "ref"), "c" * 65)], file_format="xlsx").via(
    "a 65-character ref passed the checks; PostgreSQL refuses it with a server error"
)
@example(changes=[(("organizations", 0, "email"), "不是邮箱")], file_format="json").via(
    "the organisation failed its model check, then its need raised Organization.DoesNotExist"
)
@example(changes=[(("organizations", 0, "district"), "崂" * 65)], file_format="csv-gbk").via(
    "a 65-character district passed the importer's limit of 200 and failed only on writing"
)
def test_any_catalog_imports_whole_or_is_refused_naming_row_and_field(
    taxonomy: dict[str, Any],
    changes: list[tuple[tuple[str, int, str], Any]],
    file_format: str,
) -> None:
    # Given the good catalog with a few fields replaced by awkward values
    document = copy.deepcopy(CATALOG)
    for (section, index, column), value in changes:
        rows = document[section]
        rows[min(index, len(rows) - 1)][column] = value
    content, filename = _encode(document, file_format)

    with rolled_back():
        # When it is imported, then it is all written or refused with located errors
        _import_outcome(content, filename)


@WITH_DATABASE
@given(
    title=st.text(st.characters(codec="gbk", exclude_characters="\x00"), min_size=1, max_size=60),
    budget=st.sampled_from(["１２０００", "12000", "１２，０００", "1.2万", "１．２万"]),
)
def test_a_csv_from_chinese_excel_imports_the_same_in_gbk_utf8_and_utf8_with_bom(
    taxonomy: dict[str, Any], title: str, budget: str
) -> None:
    # Given the same sheet saved by Excel as UTF-8, UTF-8 with BOM and GBK ("CSV (逗号分隔)")
    document = copy.deepcopy(CATALOG)
    document["needs"][0].update(title=title, budget_max_cny=budget)
    encodings = ["utf-8", "utf-8-sig", "gbk"]
    gbk = _as_csv(document, "gbk")
    # A GBK file whose bytes happen to be valid UTF-8 too is ambiguous; UTF-8 wins, as it must
    # for files saved as UTF-8 without a BOM. Those are left out here (see the report).
    try:
        gbk.decode("utf-8")
        encodings.remove("gbk")
    except UnicodeDecodeError:
        pass

    # When each is parsed
    parsed = [
        parse_import_file(content=_as_csv(document, encoding), filename="需求.csv").rows
        for encoding in encodings
    ]

    # Then all read the same rows, and the budget imports as a number
    assert all(rows == parsed[0] for rows in parsed)
    assert parsed[0]["needs"][0].data["title"] == title
    with rolled_back():
        try:
            catalog_import(payload=parse_import_file(content=gbk, filename="需求.csv"))
        except ImportValidationError as error:
            # Only the fuzzed title may be refused (too long once stripped, or blank).
            assert {(e.section, e.field) for e in error.errors} == {("needs", "title")}
        else:
            assert Need.objects.get(ref="n-01").budget_max_cny == 12000


def _template() -> bytes:
    return import_template_xlsx()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _with_member(name: str, data: bytes) -> bytes:
    """The template with one part of the workbook replaced."""
    source = zipfile.ZipFile(io.BytesIO(_template()))
    members = {info.filename: source.read(info.filename) for info in source.infolist()}
    members[name] = data
    return _zip(members)


broken_workbooks = st.one_of(
    st.binary(max_size=200).map(lambda tail: b"PK\x03\x04" + tail),
    st.integers(min_value=0, max_value=len(_template())).map(lambda cut: _template()[:cut]),
    st.dictionaries(
        st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "readme.txt", "a/b"]),
        st.binary(max_size=50),
        max_size=3,
    ).map(_zip),
    st.tuples(
        st.sampled_from(
            [
                "xl/workbook.xml",
                "xl/worksheets/sheet2.xml",
                "xl/sharedStrings.xml",
                "xl/styles.xml",
                "[Content_Types].xml",
                "xl/_rels/workbook.xml.rels",
            ]
        ),
        st.one_of(
            st.binary(max_size=60),
            st.sampled_from([b"", b"<x>", b"<?xml version='1.0'?><worksheet/>", b"\xff\xfe"]),
        ),
    ).map(lambda part: _with_member(*part)),
)


@pytest.mark.filterwarnings("ignore:Workbook contains no stylesheet")
@PURE
@given(content=broken_workbooks)
@example(content=_with_member("xl/worksheets/sheet2.xml", b"<x>")).via(
    "a broken sheet inside a good archive raised xml ParseError while reading rows"
)
@example(content=_zip({"readme.txt": b"hello"})).via(
    "a zip without [Content_Types].xml raised openpyxl's InvalidFileException"
)
def test_a_broken_workbook_is_refused_with_the_importers_own_error(content: bytes) -> None:
    # Given random bytes, a truncated workbook or a zip that is not one
    # When it is parsed, then it reads or is refused as a file, in Chinese
    try:
        parse_import_file(content=content, filename="catalog.xlsx")
    except ImportFileError as error:
        assert CJK.search(str(error)), str(error)


@PURE
@given(content=st.binary(max_size=300), filename=st.sampled_from(["a.csv", "a.json", "a.txt"]))
@example(content=b"record_type\n\xff\xfe\x00", filename="a.csv")
@example(content=b"\r\x01", filename="a.csv").via("a lone CR raised the csv module's Error")
@example(content=b'record_type,ref\nneed,"' + b"x" * 200_000, filename="a.csv").via(
    "a field past the csv module's size limit raised its Error"
)
def test_any_bytes_as_csv_or_json_parse_or_are_refused_as_a_file(
    content: bytes, filename: str
) -> None:
    try:
        payload = parse_import_file(content=content, filename=filename)
    except ImportFileError as error:
        assert CJK.search(str(error)), str(error)
    else:
        assert all(row.number >= 1 for rows in payload.rows.values() for row in rows)


FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


@PURE
@given(
    amount=st.integers(min_value=0, max_value=10**13),
    grouped=st.booleans(),
    full_width=st.booleans(),
)
def test_an_amount_typed_with_full_width_digits_or_separators_reads_as_the_number(
    amount: int, grouped: bool, full_width: bool
) -> None:
    # Given an amount as a Chinese IME may type it: "１２，０００" or "12,000" or "12000"
    text = f"{amount:,}" if grouped else str(amount)
    if full_width:
        text = text.translate(FULL_WIDTH)

    # When the importer reads it
    number = ChineseIntegerField().clean(text)

    # Then it is the number, without an error (clean raises one)
    assert number == amount


@PURE
@given(
    wan=st.integers(min_value=0, max_value=10**6),
    tenths=st.integers(0, 9),
    full_width=st.booleans(),
)
def test_an_amount_in_wan_reads_as_yuan(wan: int, tenths: int, full_width: bool) -> None:
    text = f"{wan}.{tenths}万"
    if full_width:
        text = text.translate(FULL_WIDTH)

    number = ChineseIntegerField().clean(text)

    assert number == wan * 10000 + tenths * 1000
