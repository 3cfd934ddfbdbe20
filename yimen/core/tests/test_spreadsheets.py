"""The one workbook writer: text is text whatever it starts with, numbers and dates stay typed."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from yimen.core import spreadsheets
from yimen.core.spreadsheets import Book
from yimen.core.tests.sheets import FORMULAS, formula_cells


def test_a_text_that_looks_like_a_formula_is_written_as_text_and_reads_back_unchanged():
    book = Book()
    sheet = book.sheet("表")
    sheet.header(["标题", *FORMULAS])
    for value in FORMULAS:
        sheet.row(["案件", value])
    cells = formula_cells(book.content(), "表")
    assert set(cells) == set(FORMULAS)  # no quote or space added to what the user reads
    assert {data_type for data_type, _ in cells.values()} == {"s"}
    assert all(prefixed for value, (_, prefixed) in cells.items() if value != "#N/A")


def test_numbers_and_dates_stay_typed_and_an_aware_moment_is_beijing_time():
    book = Book()
    sheet = book.sheet("表")
    sheet.header(["数", "小数", "日期", "时刻", "空", "控制字符"])
    sheet.row([3, Decimal("2.5"), date(2026, 3, 2), datetime(2026, 3, 2, 2, 0, tzinfo=UTC), None, "才湾\x07村"])
    row = load_workbook(io.BytesIO(book.content()))["表"]["A2:F2"][0]
    assert [cell.data_type for cell in row[:4]] == ["n", "n", "d", "d"]
    moments = [datetime(2026, 3, 2), datetime(2026, 3, 2, 10, 0)]
    assert [cell.value for cell in row] == [3, 2.5, *moments, None, "才湾村"]


def test_the_header_is_styled_once_for_every_sheet_and_marks_what_it_is_told():
    book = Book()
    sheet = book.sheet("表", widths=[20, 10], text_columns=[2])
    sheet.header(["户编号", "身份证号"], marked=[2], notes={2: "18 位"})
    content = load_workbook(io.BytesIO(book.content()))["表"]
    first, second = content["A1"], content["B1"]
    assert first.font.b and second.font.b and first.fill.fgColor.rgb == "00DDEBF7"
    assert second.font.color.rgb == "00C00000" and second.comment.text == "18 位"
    assert content.column_dimensions["A"].width == 20


def test_an_upload_counts_the_rows_it_holds_across_read_chunks(monkeypatch):
    book = Book()
    sheet = book.sheet("人员")
    sheet.header(["姓名"])
    for n in range(300):
        sheet.row([f"居民{n}"])
    monkeypatch.setattr(spreadsheets, "CHUNK", 97)  # row tags cut at every place between reads
    upload = spreadsheets.open_upload(book.content(), prefer="人员")
    assert upload.rows == 301 and sum(1 for _ in upload.values()) == 301
