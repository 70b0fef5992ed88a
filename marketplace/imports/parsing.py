"""Read an import file (JSON, CSV or XLSX) into rows, each with the row number a person sees.

CSV and XLSX carry the same fields as JSON. A CSV row names its record type in a ``record_type``
column (organization / need / capability / event, or 机构 / 需求 / 能力 / 活动); an XLSX sheet named
after a record type needs no such column. List cells are split on ; ， 、 , and new lines.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from config.parsers import JSONTooDeepError, json_loads

SECTIONS = ("organizations", "needs", "capabilities", "events")
RECORD_TYPE_ALIASES = {
    "organization": "organizations",
    "organizations": "organizations",
    "org": "organizations",
    "机构": "organizations",
    "need": "needs",
    "needs": "needs",
    "需求": "needs",
    "capability": "capabilities",
    "capabilities": "capabilities",
    "能力": "capabilities",
    "event": "events",
    "events": "events",
    "活动": "events",
}


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong type, bad encoding, broken workbook."""


@dataclass(frozen=True)
class SourceRow:
    section: str
    number: int
    data: dict[str, Any]


@dataclass
class ImportPayload:
    rows: dict[str, list[SourceRow]] = field(default_factory=lambda: {s: [] for s in SECTIONS})

    @property
    def total(self) -> int:
        return sum(len(rows) for rows in self.rows.values())

    def add(self, section: str, number: int, data: dict[str, Any]) -> None:
        self.rows[section].append(SourceRow(section=section, number=number, data=data))


def _clean_header(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip().lower()
    return text.replace(" ", "_")


def _is_blank(values: dict[str, Any]) -> bool:
    return all(value is None or str(value).strip() == "" for value in values.values())


def parse_json(content: bytes) -> ImportPayload:
    try:
        document = json_loads(content.decode("utf-8-sig"))
    except JSONTooDeepError as error:
        # Without the limit a deep file raised RecursionError and left its job running.
        raise ImportFileError(
            _("JSON 文件嵌套层数过多（最多 %(limit)s 层），无法导入。") % {"limit": error.limit}
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFileError(_("JSON 文件无法解析：%(error)s") % {"error": error}) from None
    if not isinstance(document, dict):
        raise ImportFileError(
            _("JSON 文件的顶层必须是对象，包含 organizations / needs / capabilities。")
        )
    unknown = sorted(set(document) - set(SECTIONS))
    if unknown:
        raise ImportFileError(_("JSON 中有未知的部分：%(names)s") % {"names": ", ".join(unknown)})
    payload = ImportPayload()
    for section in SECTIONS:
        items = document.get(section, [])
        if not isinstance(items, list):
            raise ImportFileError(_("“%(section)s”必须是列表。") % {"section": section})
        for index, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                raise ImportFileError(
                    _("%(section)s 第 %(row)s 项不是对象。") % {"section": section, "row": index}
                )
            payload.add(section, index, item)
    return payload


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030, a superset of the GBK that Excel writes."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV。"))


def _section_of(record_type: Any, *, where: str) -> str:
    key = _clean_header(record_type)
    if key not in RECORD_TYPE_ALIASES:
        raise ImportFileError(
            _("%(where)s：record_type “%(value)s”未知，应为 %(allowed)s。")
            % {
                "where": where,
                "value": record_type,
                "allowed": "organization / need / capability / event",
            }
        )
    return RECORD_TYPE_ALIASES[key]


def parse_csv(content: bytes) -> ImportPayload:
    text = decode_text(content)
    if "\x00" in text:
        raise ImportFileError(_("文件中含有空字符（NUL），不是有效的 CSV。"))
    # newline="": a lone CR (old Mac line ends) ends a line, and quoted fields keep theirs.
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        try:
            header = [_clean_header(cell) for cell in next(reader)]
        except StopIteration:
            raise ImportFileError(_("CSV 文件是空的。")) from None
        if "record_type" not in header:
            raise ImportFileError(_("CSV 第 1 行必须有 record_type 列。"))
        payload = ImportPayload()
        for line_number, cells in enumerate(reader, start=2):
            values = dict(zip(header, cells, strict=False))
            if _is_blank(values):
                continue
            where = _("第 %s 行") % line_number
            section = _section_of(values.pop("record_type", ""), where=where)
            payload.add(section, line_number, values)
    except csv.Error as error:  # a field past the csv module's size limit, a stray quote
        raise ImportFileError(
            _("CSV 文件无法解析（第 %(line)s 行）：%(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None
    return payload


# How openpyxl reports a broken workbook part: in many ways. A read-only workbook parses its
# sheets lazily, so a broken part can fail while the rows are read, not only on opening.
UNREADABLE_XLSX: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    InvalidFileException,
    SyntaxError,  # xml.etree.ElementTree.ParseError
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    ValueError,
    OSError,
)


def _damaged(error: Exception) -> ImportFileError:
    return ImportFileError(_("XLSX 文件已损坏或不是 Excel 工作簿：%(error)s") % {"error": error})


def _sheet_rows(sheet: Any) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows as values. Only openpyxl's reading is guarded: an error raised by the
    caller's own handling of a row is not reported as a damaged file."""
    try:
        yield from sheet.iter_rows(values_only=True)
    except UNREADABLE_XLSX as error:
        raise _damaged(error) from None


def parse_xlsx(content: bytes) -> ImportPayload:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except UNREADABLE_XLSX as error:
        raise _damaged(error) from None
    payload = ImportPayload()
    try:
        for sheet in workbook.worksheets:
            rows = _sheet_rows(sheet)
            try:
                header = [_clean_header(cell) for cell in next(rows)]
            except StopIteration:
                continue
            sheet_section = RECORD_TYPE_ALIASES.get(_clean_header(sheet.title))
            if "ref" not in header or (sheet_section is None and "record_type" not in header):
                continue  # an instructions sheet, not data
            for row_number, cells in enumerate(rows, start=2):
                values = dict(zip(header, cells, strict=False))
                values.pop("", None)
                if _is_blank(values):
                    continue
                record_type = values.pop("record_type", None)
                section = sheet_section or _section_of(
                    record_type, where=f"{sheet.title} " + _("第 %s 行") % row_number
                )
                payload.add(section, row_number, values)
    finally:
        workbook.close()
    return payload


def parse_import_file(*, content: bytes, filename: str) -> ImportPayload:
    """Choose the reader by the file's content, falling back to its name only for CSV."""
    if content.startswith(b"PK\x03\x04"):
        return parse_xlsx(content)
    stripped = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return parse_json(content)
    lowered = filename.lower()
    if lowered.endswith(".xlsx"):
        raise ImportFileError(_("文件扩展名是 .xlsx，但内容不是 Excel 工作簿。"))
    if lowered.endswith(".json"):
        return parse_json(content)
    if lowered.endswith(".csv") or lowered.endswith(".txt"):
        return parse_csv(content)
    raise ImportFileError(_("不支持的文件类型：请上传 JSON、CSV 或 XLSX 文件。"))
