"""The 人民调解协议书 read back from the DOCX and the PDF: every content 人民调解法 art. 29
requires, masked ID numbers only, signature lines, the seal line and the number of copies."""

from io import BytesIO

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from yimen.cases.models import CaseDocument
from yimen.core.models import AuditEntry
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


@pytest.fixture
def agreed(seats, roster):
    case = dispute(
        seats,
        parties=[
            {"name": "唐建国", "role": "applicant", "id_number": ID_NUMBER},
            {"name": "唐明华", "role": "respondent"},
        ],
    )
    session(case, seats["judicial"], [roster["people"], roster["judge"]], outcome="agreement")
    services.mediation_agreement_record(
        case=case, actor=seats["judicial"], version=version(case), **AGREEMENT, performance_due=timezone.localdate()
    )
    return case


def test_the_parties_copy_carries_the_full_number_after_a_stated_purpose(client, seats, agreed):
    """The copy the parties sign and take to the court for 司法确认 identifies them in full; the
    purpose is audited; the stored copy and the case page stay masked."""
    client.force_login(seats["judicial"].user)
    page = client.get(f"/cases/{agreed.code}/").content.decode()
    assert 'data-testid="agreement-copies"' in page and ID_NUMBER not in page
    url = f"/cases/{agreed.code}/mediation/agreement/copies/"

    refused = client.post(url, {"format": "pdf"})
    assert refused.status_code == 422 and "请填写查看目的" in refused.content.decode()

    answer = client.post(url, {"copies-purpose": "双方当事人签名并申请司法确认", "format": "docx"})
    assert answer.status_code == 200 and "attachment" in answer["Content-Disposition"]
    text = "\n".join(p.text for p in Document(BytesIO(answer.content)).paragraphs)
    assert f"申请人：唐建国，身份证号 {ID_NUMBER}" in text
    pdf = client.post(url, {"copies-purpose": "再打印一份", "format": "pdf"}).content
    assert ID_NUMBER in "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).replace(" ", "")

    entry = AuditEntry.objects.filter(action="case_party_document").order_by("seq").first()
    assert entry.purpose == "双方当事人签名并申请司法确认" and entry.detail["parties"] == ["唐建国"]
    stored = CaseDocument.objects.get(case=agreed, kind="agreement", format="docx")
    assert ID_NUMBER not in "\n".join(p.text for p in Document(BytesIO(bytes(stored.content))).paragraphs)


def test_a_seat_that_does_not_act_on_the_case_gets_no_full_copy(client, seats, agreed):
    client.force_login(seats["mediator"].user)  # the town committee's mediator: not on this case
    answer = client.post(f"/cases/{agreed.code}/mediation/agreement/copies/", {"copies-purpose": "看看"})
    assert answer.status_code in (403, 404) and ID_NUMBER.encode() not in answer.content
    assert not AuditEntry.objects.filter(action="case_party_document").exists()
