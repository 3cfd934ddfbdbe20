"""Crafted workbooks at the registry import: each refused on the upload field with a Chinese
reason (422, no batch created, never a 500), and a sheet whose declared dimension lies read
in full."""

import io
import re
import zipfile
from datetime import date, timedelta

import pytest

from yimen.core import spreadsheets
from yimen.people.models import ImportJob, Person
from yimen.people.tests.samples import make_id_number
from yimen.people.tests.test_import import family, person_row, upload, workbook

SHEET = "xl/worksheets/sheet1.xml"
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


def repacked(data: bytes, *, replace: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> bytes:
    """The workbook `data` with some parts replaced (or added) and some left out."""
    replace = replace or {}
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name not in drop and name not in replace:
                target.writestr(name, source.read(name))
        for name, content in replace.items():
            target.writestr(name, content)
    return buffer.getvalue()


def part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode()


def refused(client, data: bytes, reason: str) -> None:
    response = upload(client, data)
    body = response.content.decode()
    assert response.status_code == 422, body[:300]
    assert reason in body and 'class="invalid-feedback d-block"' in body  # beside the upload field
    assert not ImportJob.objects.exists()


@pytest.fixture
def as_clerk(client, clerk):
    client.force_login(clerk.user)
    return client


@pytest.fixture
def sound():
    return workbook(family())


def test_malformed_xml_is_refused(as_clerk, sound):
    broken = part(sound, SHEET).replace("</sheetData>", "<row></sheetData>")
    refused(as_clerk, repacked(sound, replace={SHEET: broken.encode()}), "文件内容已损坏")
    refused(as_clerk, repacked(sound, replace={"[Content_Types].xml": b"<Types"}), "文件内容已损坏")


def test_a_part_in_another_encoding_is_refused(as_clerk, sound):
    utf16 = part(sound, SHEET).replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    refused(as_clerk, repacked(sound, replace={SHEET: utf16}), "文件内容已损坏")


def test_a_workbook_without_sheets_or_without_a_workbook_is_refused(as_clerk, sound):
    no_sheets = re.sub(r"<sheets>.*</sheets>", "<sheets/>", part(sound, "xl/workbook.xml"))
    refused(as_clerk, repacked(sound, replace={"xl/workbook.xml": no_sheets.encode()}, drop=(SHEET,)), "没有工作表")
    refused(as_clerk, repacked(sound, drop=("xl/workbook.xml",)), "请上传 Excel 工作簿（.xlsx）")
    empty = io.BytesIO()
    zipfile.ZipFile(empty, "w").close()
    refused(as_clerk, empty.getvalue(), "请上传 Excel 工作簿（.xlsx）")


def test_entity_expansion_is_refused_wherever_it_hides(as_clerk, sound):
    refused(as_clerk, repacked(sound, replace={SHEET: LAUGHS.encode()}), "文档类型声明")
    types = '<!DOCTYPE Types [<!ENTITY a "b">]>' + part(sound, "[Content_Types].xml")
    refused(as_clerk, repacked(sound, replace={"[Content_Types].xml": types.encode()}), "文档类型声明")


def test_a_small_upload_that_unpacks_huge_is_refused_before_it_is_read(as_clerk, sound, monkeypatch):
    strings = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    bomb = strings + b"<si><t>lol</t></si>" * 200_000 + b"</sst>"  # 3.6 MB of XML in a few KB
    data = repacked(sound, replace={"xl/sharedStrings.xml": bomb})
    assert len(data) < 100_000
    refused(as_clerk, data, "压缩比超过 100 倍")
    monkeypatch.setattr(spreadsheets, "MAX_UNPACKED", 5_000)  # the sum over all parts, whatever their ratio
    refused(as_clerk, sound, "文件解压后超过")


def test_an_encrypted_part_is_refused(as_clerk, sound):
    data = bytearray(sound)
    directory = data.find(b"PK\x01\x02")  # the first entry of the zip's central directory
    data[directory + 8] |= 0x1  # its "encrypted" flag
    refused(as_clerk, bytes(data), "文件已加密")


def test_rows_out_of_order_are_refused_rather_than_skipped(as_clerk, sound):
    sheet = part(sound, SHEET).replace('<row r="4"', '<row r="2"')  # openpyxl would skip the second row 2
    refused(as_clerk, repacked(sound, replace={SHEET: sheet.encode()}), "第 2 行排在第 3 行之后")


def test_rows_past_a_wrong_dimension_are_all_read_and_applied(as_clerk, django_capture_on_commit_callbacks):
    born = date(1960, 1, 1)
    rows = []
    for n in range(1000):  # 1,000 households of three: 3,000 residents
        seqs = range(n * 3, n * 3 + 3)
        numbers = [make_id_number(born + timedelta(days=seq // 500), seq=seq) for seq in seqs]
        rows += [
            person_row(f"H{n}", "唐建国", 0, 身份证号=numbers[0]),
            person_row(f"H{n}", "蒋秀英", 0, "配偶", 身份证号=numbers[1]),
            person_row(f"H{n}", "唐小明", 0, "子", 身份证号=numbers[2]),
        ]
    data = workbook(rows)
    sheet = part(data, SHEET)
    assert '<dimension ref="A1:L3001"/>' in sheet
    lying = repacked(data, replace={SHEET: sheet.replace('ref="A1:L3001"', 'ref="A1:L2"').encode()})
    with django_capture_on_commit_callbacks(execute=True):
        upload(as_clerk, lying)
    job = ImportJob.objects.get()
    assert job.background and job.state == "checked"
    assert (job.total_rows, job.ok_rows, len(job.report)) == (3000, 3000, 3000)
    assert job.report[-1][0] == 3001  # the last row, numbered as in the sheet
    with django_capture_on_commit_callbacks(execute=True):
        as_clerk.post(f"/persons/import/{job.code}/apply/")
    job.refresh_from_db()
    assert job.state == "applied" and job.created_rows == 3000 and Person.objects.count() == 3000
