"""The one cell writer every XLSX export uses."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from marketplace.common.spreadsheets import xlsx_append, xlsx_cell


def test_a_cell_loses_the_control_characters_a_workbook_cannot_hold() -> None:
    assert xlsx_cell("a\x00b\x07c\x0bd\x1be\x1f") == "abcde"


def test_a_cell_keeps_line_breaks_tabs_and_non_text_values() -> None:
    assert xlsx_cell("第一行\n第二行\t完") == "第一行\n第二行\t完"
    assert xlsx_cell(42) == 42
    assert xlsx_cell(None) is None


def test_a_formula_hidden_behind_a_control_character_is_still_neutralised() -> None:
    assert xlsx_cell("\x07=1+1") == "'=1+1"


def test_a_row_of_hostile_cells_is_saved_and_read_back() -> None:
    # given
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None

    # when
    xlsx_append(sheet, ["a\x07b", "@SUM(A1)", 3])
    output = io.BytesIO()
    workbook.save(output)

    # then
    row = next(load_workbook(output).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert row == ("ab", "'@SUM(A1)", 3)
