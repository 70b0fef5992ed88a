"""Cells of exported spreadsheets. User text is data: it never runs as a formula (CSV and XLSX),
and a character a workbook cannot hold never stops an export (XLSX).

Every XLSX export writes its rows through ``xlsx_append``: openpyxl refuses a whole workbook for
one control character (``IllegalCharacterError``), so one profile's bad title would otherwise
break the export of every row beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in user text (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def xlsx_cell(value: Any) -> Any:
    """``safe_cell`` for a workbook: without the control characters XLSX cannot store. They are
    removed before the formula check, so "\\x07=1+1" is written as the text "'=1+1"."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return safe_cell(value)


def xlsx_append(sheet: Worksheet, values: Iterable[Any]) -> None:
    """One row of a worksheet, every cell through ``xlsx_cell``."""
    sheet.append([xlsx_cell(value) for value in values])
