"""Issued documents on a case: stored as issued in DOCX and PDF, listed beside the receipt, the
latest issue downloaded in either format through the API and the page, within the case's scope."""

from datetime import date
from io import BytesIO

import docx
import pypdf
import pytest
from django.db import transaction

from yimen.cases import services
from yimen.cases.tests.conftest import register
from yimen.cases.tests.test_api import bearer
from yimen.core.documents import DOCX, Fields, Grid, Heading, Paper, Para, Signatures
from yimen.core.errors import NotAllowed


def paper(terms: str) -> Paper:
    return Paper(
        title="人民调解协议书",
        issuer="才湾镇人民调解委员会",
        number="才调字〔2026〕1号",
        dated=date(2026, 11, 25),
        blocks=[
            Heading("一、当事人"),
            Fields([("申请人", "唐建国"), ("被申请人", "唐明华")]),
            Para(f"协议内容：{terms}"),
            Grid(["履行事项", "期限"], [["重立界桩", "2026年12月1日前"]]),
            Signatures(["申请人（签名）", "被申请人（签名）"]),
        ],
    )


def pdf_text(body: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(body)).pages)


def docx_text(body: bytes) -> str:
    document = docx.Document(BytesIO(body))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_an_issued_document_is_listed_and_downloads_in_both_formats(client, seats):
    case = register(seats["clerk"])
    services.case_document_issue(case=case, kind="agreement", paper=paper("双方以旧界桩为准"), actor=seats["clerk"])
    headers = bearer(seats["clerk"])
    listed = client.get(f"/api/v1/cases/{case.code}/documents", headers=headers).json()
    assert [(d["kind"], d["content_type"]) for d in listed] == [
        ("receipt", "application/pdf"),
        ("agreement", DOCX),
        ("agreement", "application/pdf"),
    ]
    word = client.get(listed[1]["url"], headers=headers)
    assert word.status_code == 200 and word["Content-Type"] == DOCX
    assert "协议内容：双方以旧界桩为准" in docx_text(word.content) and "重立界桩" in docx_text(word.content)
    pdf = client.get(listed[2]["url"], headers=headers)
    assert pdf["Content-Type"] == "application/pdf" and b"/FontFile2" in pdf.content
    text = pdf_text(pdf.content)
    assert "人民调解协议书" in text and "唐建国" in text and "2026年11月25日" in text
    client.force_login(seats["clerk"].user)
    page = client.get(f"/cases/{case.code}/documents/agreement/?format=docx")
    assert page.status_code == 200 and page.content == word.content
    assert "人民调解协议书（PDF）" in client.get(f"/cases/{case.code}/").content.decode()


def test_a_later_issue_supersedes_the_earlier_and_others_see_nothing(client, seats):
    case = register(seats["clerk"])
    services.case_document_issue(case=case, kind="agreement", paper=paper("初稿条款"), actor=seats["clerk"])
    services.case_document_issue(case=case, kind="agreement", paper=paper("更正后的条款"), actor=seats["clerk"])
    url = f"/api/v1/cases/{case.code}/documents/agreement?format=pdf"
    assert "更正后的条款" in pdf_text(client.get(url, headers=bearer(seats["clerk"])).content)
    assert len(client.get(f"/api/v1/cases/{case.code}/documents", headers=bearer(seats["clerk"])).json()) == 3
    assert client.get(url, headers=bearer(seats["court"])).status_code == 404  # not its case
    refused = client.get(f"/api/v1/cases/{case.code}/documents/agreement?format=odt", headers=bearer(seats["clerk"]))
    assert refused.status_code == 422
    missing = client.get(f"/api/v1/cases/{case.code}/documents/handling_opinion", headers=bearer(seats["clerk"]))
    assert missing.status_code == 404 and missing.json()["detail"] == "没有这份文书。"


def test_a_document_issued_in_a_failed_step_is_not_kept(seats):
    case = register(seats["clerk"])
    try:
        with transaction.atomic():
            services.case_document_issue(case=case, kind="agreement", paper=paper("条款"), actor=seats["clerk"])
            raise RuntimeError("the step failed after issuing")
    except RuntimeError:
        pass
    assert not case.documents.exists()


def test_only_a_unit_on_the_case_may_issue_a_document_on_it(seats):
    case = register(seats["clerk"])
    with pytest.raises(NotAllowed) as refused:
        services.case_document_issue(case=case, kind="agreement", paper=paper("条款"), actor=seats["court"])
    assert refused.value.code == "not_involved" and "不能出具文书" in refused.value.message
    assert not case.documents.exists()


def qr_modules(body: bytes) -> int:
    """Filled squares drawn on the first page: the QR code's dark modules (text draws none)."""
    return pypdf.PdfReader(BytesIO(body)).pages[0].get_contents().get_data().count(b" re f")


def test_the_receipt_reads_back_with_code_title_link_and_qr(client, seats):
    case = register(seats["clerk"])
    client.force_login(seats["clerk"].user)
    body = client.get(f"/cases/{case.code}/receipt/").content
    text = pdf_text(body)
    assert f"案件编码（一案一码）：{case.code}" in text
    assert case.title in text.replace("\n", "")  # a long title wraps across lines
    assert f"http://testserver/public/cases/{case.public_token}/" in text
    assert case.first_unit.name in text and "受理回执" in text
    assert qr_modules(body) > 100 and len(pypdf.PdfReader(BytesIO(body)).pages) == 1  # one sheet to hand over


def test_a_domestic_violence_receipt_leaves_out_what_was_reported(client, seats):
    """The slip a wife takes home must not say what she reported: code, clocks and the lookup
    link stay, the title and the category do not."""
    case = register(
        seats["clerk"],
        category="dispute.family.violence",
        title="称丈夫长期殴打",
        description="称丈夫长期殴打，要求帮助。",
    )
    client.force_login(seats["clerk"].user)
    text = pdf_text(client.get(f"/cases/{case.code}/receipt/").content).replace("\n", "")
    assert case.code in text and f"/public/cases/{case.public_token}/" in text
    assert "殴打" not in text and "家庭暴力" not in text
    assert "保密事项，回执不载明内容" in text
