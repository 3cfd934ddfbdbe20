"""The one way Yimen writes an Excel workbook (`Book`: every export, template and report) and
the one way it opens an uploaded one (`open_upload`) (issue 12 items 3 and 5, issue 13 item 4).

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
cell in memory. Column widths, text columns, notes and pick lists are set before the first row.

An upload is untrusted: a zip of XML that openpyxl would unpack and parse as it is told. Before
openpyxl sees it, `open_upload` checks that it is a zip; that its parts are few, unencrypted, and
unpack to at most MAX_UNPACKED bytes, none more than MAX_RATIO times its compressed size (a
zip bomb: a small file that unpacks to gigabytes, the shared strings being loaded whole); that
every XML part is well-formed UTF-8 without a DTD (so no entity expansion, "billion laughs");
and it counts the row elements each sheet really holds. Then openpyxl opens it read-only with
the sheet's declared <dimension> discarded: read-only mode stops at the dimension, so a file
claiming "A1:L2" above 3,000 rows would otherwise read as one row. defusedxml (installed with
the project, picked up by openpyxl) refuses DTDs inside openpyxl as well. Every refusal is an
Invalid with a Chinese message on the upload field."""

import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from xml.parsers import expat

from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from yimen.core.errors import Invalid

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


# Reading an upload.
FIELD = "workbook"  # the upload field of every import form: a refusal is shown beside it
MiB = 1024 * 1024
MAX_UNPACKED = 512 * MiB  # all parts unpacked; a 200,000-row sheet written by openpyxl is ~160 MB
MAX_RATIO = 100  # a sheet of real rows compresses 10-20 times; a zip bomb about 1,000 times
RATIO_FROM = MiB  # small parts (styles, rels) may compress better without harm
MAX_PARTS = 1000  # a workbook has a dozen or so; more is not a spreadsheet
CHUNK = MiB
UTF16_STARTS = (b"\xff\xfe", b"\xfe\xff", b"\x00<", b"<\x00")  # a byte-order mark, or "<" in UTF-16
# <row ...> with any namespace prefix, its attributes when they are of a sane length
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]{0,64}:)?row(?=[\s/>])(?:([^<>]{0,4096})>)?")
ROW_NUMBER = re.compile(rb"""(?:^|\s)r\s*=\s*["'](\d{1,9})["']""")
CARRY = 4200  # longer than a row tag, so a tag cut between two chunks is still read once

NOT_XLSX = "无法读取该文件，请上传 Excel 工作簿（.xlsx），可先下载导入模板。"
BROKEN = "文件内容已损坏或不是 Excel 生成的工作簿，请用 Excel 打开并另存为 .xlsx 后重新上传。"
DTD = "文件含有文档类型声明（DTD），Excel 工作簿不会含有，已拒绝。请用 Excel 另存为 .xlsx 后重新上传。"
ENCRYPTED = "文件已加密，请先取消密码再上传。"
BOMB = f"文件中有部件的压缩比超过 {MAX_RATIO} 倍，不像正常的工作簿，已拒绝。请用 Excel 另存为 .xlsx 后重新上传。"
TOO_BIG = f"文件解压后超过 {MAX_UNPACKED // MiB} MB，请拆分后分批导入。"
NO_SHEET = "工作簿中没有工作表，请使用导入模板。"
DISORDER = (
    "第 {row} 行排在第 {after} 行之后（行号顺序错乱），这样的行读取时会被跳过，已拒绝。"
    "请用 Excel 另存为 .xlsx 后重新上传。"
)


def _refused(message: str, code: str) -> Invalid:
    return Invalid(message, code=code, errors={FIELD: [message]})


class _Doctype(Exception):
    """Raised from inside expat the moment a part declares a DTD."""


@dataclass
class _Rows:
    """The row elements of one part, and the first one out of order: openpyxl skips a row
    whose number is not above the one before it, so such a sheet would lose rows silently."""

    count: int = 0
    last: int = 0
    disorder: tuple[int, int] | None = None

    def add(self, attributes: bytes | None) -> None:
        self.count += 1
        number = ROW_NUMBER.search(attributes) if attributes else None
        row = int(number.group(1)) if number else self.last + 1  # no r: the next row, as openpyxl reads it
        if row <= self.last and self.disorder is None:
            self.disorder = (row, self.last)
        self.last = max(row, self.last)


@dataclass
class Upload:
    """The sheet to import, opened read-only, and the rows it really holds."""

    sheet: object  # openpyxl's ReadOnlyWorksheet
    rows: int  # row elements in the sheet as stored (the header included), not its <dimension>

    def values(self) -> Iterator[tuple]:
        """Every row as a tuple of values, from row 1; a part that still fails to parse is a
        refusal, not a crash (the checks above should have caught it first)."""
        try:
            yield from self.sheet.iter_rows(values_only=True)
        except Exception as exc:  # anything a broken part makes openpyxl raise
            raise _refused(BROKEN, "bad_file") from exc


def open_upload(data: bytes, *, prefer: str) -> Upload:
    """The sheet named `prefer` (else the first) of an uploaded .xlsx, after the checks in the
    module docstring; Invalid (422) with a Chinese message on the upload field otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        rows = _check_parts(archive)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise _refused(NOT_XLSX, "bad_file") from exc
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises a dozen kinds on a malformed package
        raise _refused(NOT_XLSX, "bad_file") from exc
    if not book.worksheets:
        raise _refused(NO_SHEET, "no_sheet")
    sheet = book[prefer] if prefer in book.sheetnames else book.worksheets[0]
    sheet.reset_dimensions()  # read every row there is, not the rows the file claims
    # openpyxl keeps the sheet's part name private; it is the one name that links the two passes.
    found = rows.get(sheet._worksheet_path.lstrip("/"), _Rows())
    if found.disorder:
        row, after = found.disorder
        raise _refused(DISORDER.format(row=row, after=after), "row_order")
    return Upload(sheet=sheet, rows=found.count)


def _check_parts(archive: zipfile.ZipFile) -> dict[str, _Rows]:
    """Sizes, ratios and encryption from the zip directory, then every XML part parsed once;
    the row elements counted per part."""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise _refused(BROKEN, "bad_file")
    if any(part.flag_bits & 0x1 for part in parts):
        raise _refused(ENCRYPTED, "encrypted")
    if sum(part.file_size for part in parts) > MAX_UNPACKED:
        raise _refused(TOO_BIG, "too_large_unpacked")
    if any(part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * part.compress_size for part in parts):
        raise _refused(BOMB, "compression_ratio")
    return {part.filename: _check_xml(archive, part) for part in parts if not part.is_dir()}


def _check_xml(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> _Rows:
    """Parse one part if it is XML (binary parts such as images are left alone): well-formed,
    UTF-8 (as Excel writes it; this also keeps a UTF-16 part from hiding its rows from the
    count), no DTD. The row elements it holds, each read once: a tag starting in the last CARRY
    bytes of a window is left for the next window, which starts with those bytes."""
    with archive.open(part) as stream:
        chunk = stream.read(CHUNK)
        start = chunk.lstrip(b" \t\r\n")
        if start.startswith(UTF16_STARTS):  # expat would follow the byte-order mark
            raise _refused(BROKEN, "bad_file")
        rows = _Rows()
        if not start.startswith((b"<", b"\xef\xbb\xbf")):
            return rows
        parser = expat.ParserCreate(encoding="UTF-8")
        parser.StartDoctypeDeclHandler = _doctype
        carry = b""
        try:
            while chunk:
                parser.Parse(chunk, False)
                window, chunk = carry + chunk, stream.read(CHUNK)
                cut = len(window) if not chunk else max(len(window) - CARRY, 0)
                for tag in ROW_TAG.finditer(window):
                    if tag.start() >= cut:
                        break
                    rows.add(tag.group(1))
                carry = window[cut:]
            parser.Parse(b"", True)
        except _Doctype as exc:
            raise _refused(DTD, "dtd") from exc
        except expat.ExpatError as exc:
            raise _refused(BROKEN, "bad_file") from exc
    return rows


def _doctype(*args) -> None:
    raise _Doctype
