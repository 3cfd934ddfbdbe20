"""The 人民调解协议书 read back from the DOCX and the PDF: every content 人民调解法 art. 29
requires, masked ID numbers only, signature lines, the seal line and the number of copies."""

from io import BytesIO

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from yimen.cases.models import CaseDocument
from yimen.mediation import services

from .conftest import AGREEMENT, dispute, version
from .test_services import session

pytestmark = pytest.mark.django_db

ID_NUMBER = "450324198001011236"


@pytest.fixture
def issued(seats, roster):
    case = dispute(
        seats,
        parties=[
            {"name": "唐建国", "role": "applicant", "id_number": ID_NUMBER},
            {"name": "唐明华", "role": "respondent"},
            {"name": "唐永福", "role": "third_party"},
        ],
    )
    session(case, seats["judicial"], [roster["people"], roster["judge"]], outcome="agreement")
    services.mediation_agreement_record(
        case=case, actor=seats["judicial"], version=version(case), **AGREEMENT, performance_due=timezone.localdate()
    )
    docs = {d.format: bytes(d.content) for d in CaseDocument.objects.filter(case=case, kind="agreement")}
    docx_text = "\n".join(p.text for p in Document(BytesIO(docs["docx"])).paragraphs)
    pdf_text = "".join(page.extract_text() for page in PdfReader(BytesIO(docs["pdf"])).pages)
    return docx_text, pdf_text.replace(" ", "").replace("\n", "")


def test_docx_has_every_art_29_content(issued):
    text, _ = issued
    for expected in (
        "才湾镇人民调解委员会",
        "人民调解协议书",
        "申请人：唐建国，身份证号 450324********1236",
        "被申请人：唐明华",
        "第三人：唐永福",
        "纠纷的主要事实",
        AGREEMENT["facts"],
        "争议事项",
        AGREEMENT["dispute_points"],
        "各方当事人的责任",
        AGREEMENT["responsibilities"],
        AGREEMENT["terms"],
        "履行方式和时间",
        AGREEMENT["performance_manner"],
        "申请人 唐建国（签名或按指印）：",
        "被申请人 唐明华（签名或按指印）：",
        "人民调解员 唐桂芳（签名）：",
        "才湾镇人民调解委员会（印章）",
        "本协议一式 4 份，当事人各执一份，调解委员会留存一份。",
    ):
        assert expected in text, expected
    assert ID_NUMBER not in text


def test_pdf_says_the_same(issued):
    _, text = issued
    for expected in (
        "人民调解协议书",
        "450324********1236",
        "纠纷的主要事实",
        "唐明华动手在先",
        "本协议一式4份，当事人各执一份，调解委员会留存一份。",
        "人民调解员唐桂芳（签名）",
        "才湾镇人民调解委员会（印章）",
    ):
        assert expected in text, expected
    assert ID_NUMBER not in text
