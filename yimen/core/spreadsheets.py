"""The one way Yimen writes an Excel workbook: every export, template and report goes through
`Book` (issue 12 item 3, issue 13 item 4).

A text cell is always written as text. openpyxl turns a string starting with "=" into a live
formula (and "#N/A" into an error), and Excel turns a text starting with "=", "+", "-" or "@"
into a formula the moment someone edits the cell: a case title such as "=HYPERLINK(...)" would
run in the leader's Excel. So every `str` is written with data type "s", and one that starts
with a character a spreadsheet reads as a formula also carries Excel's quote-prefix style (the
cell stays text when edited). Nothing is prepended to the value: the cell shows and reads back
exactly what was stored, so an exported person list imports again unchanged.

Numbers and dates stay typed cells (a date a date, sortable); an aware datetime is written in
Beijing time, as the pages show it. Characters XML cannot carry (C0 controls other than tab,
line feed and carriage return) are dropped rather than failing the whole export.

Sheets are write-only: rows stream to the file, so a 100,000-row export never holds every
cell in memory. Column widths, text columns, notes and pick lists are set before the first row."""

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

# The leading characters Excel, LibreOffice and WPS read as the start of a formula (tab and
# carriage return: a formula hidden behind white space when the text is pasted elsewhere).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
AUTHOR = "一门"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
SHADE_FILL = PatternFill("solid", fgColor="F8D7DA")
HEADER_FONT = Font(bold=True)
MARKED_FONT = Font(bold=True, color="C00000")
TYPED = (bool, int, float, Decimal, date, time)  # written as they are: numbers, dates, times


class Sheet:
    """One write-only sheet: an optional caption line, a header row, then the rows."""

    def __init__(self, book: Workbook, title: str, *, widths: Sequence[int], text_columns: Iterable[int]):
        self._sheet = book.create_sheet(title)
        for position, width in enumerate(widths, start=1):
            self._sheet.column_dimensions[get_column_letter(position)].width = width
        for position in text_columns:  # text format, so Excel keeps all 18 digits of an ID number
            self._sheet.column_dimensions[get_column_letter(position)].number_format = "@"

    def caption(self, text: str) -> None:
        """A plain line above the header (the period a table covers, the file a report is of)."""
        self._sheet.append([self._cell(text)])

    def header(self, titles: Sequence[str], *, marked: Iterable[int] = (), notes: Mapping[int, str] | None = None):
        """The column titles in the shared header style; `marked` positions (from 1) in red,
        as the template marks its required columns; `notes` become cell comments."""
        marked, notes = set(marked), notes or {}
        cells = []
        for position, title in enumerate(titles, start=1):
            cell = self._cell(title, fill=HEADER_FILL)
            cell.font = MARKED_FONT if position in marked else HEADER_FONT
            if notes.get(position):
                cell.comment = Comment(notes[position], AUTHOR)
            cells.append(cell)
        self._sheet.append(cells)

    def row(self, values: Iterable, *, shaded: bool = False) -> None:
        """One data row; `shaded` marks a row with problems (the import report)."""
        fill = SHADE_FILL if shaded else None
        self._sheet.append([self._cell(value, fill=fill) for value in values])

    def freeze_header(self, rows: int = 1) -> None:
        self._sheet.freeze_panes = f"A{rows + 1}"

    def pick_list(self, position: int, choices: Sequence[str], *, rows: int) -> None:
        """A drop-down of `choices` in a column (from 1), for the first `rows` rows below the header."""
        letter = get_column_letter(position)
        pick = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
        pick.add(f"{letter}2:{letter}{rows + 1}")
        self._sheet.data_validations.append(pick)

    def _cell(self, value, *, fill: PatternFill | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(self._sheet)
        if value is None or isinstance(value, TYPED):
            cell.value = _local(value) if isinstance(value, datetime) else value
        else:
            text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
            cell.value = text
            cell.data_type = "s"  # never a formula or an error value, whatever the text
            if text.startswith(FORMULA_STARTS):
                cell.quotePrefix = True
        if fill is not None:
            cell.fill = fill
        return cell


class Book:
    """A workbook being written; `content()` gives the .xlsx bytes."""

    def __init__(self):
        self._book = Workbook(write_only=True)

    def sheet(self, title: str, *, widths: Sequence[int] = (), text_columns: Iterable[int] = ()) -> Sheet:
        return Sheet(self._book, title, widths=widths, text_columns=text_columns)

    def content(self) -> bytes:
        buffer = io.BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()


def _local(moment: datetime) -> datetime:
    """Excel has no time zones: an aware moment is written as the Beijing wall-clock time."""
    return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment
