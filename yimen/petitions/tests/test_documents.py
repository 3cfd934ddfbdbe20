"""The written documents, read back from the DOCX and the PDF: 受理告知书 (petitioner, matter,
received date, accepted or not and why, handling unit, time limit, the right to 复查), the
handling / 复查 / 复核 opinions (facts, basis, opinion, the next remedy with its body and last
day, or finality) and the 延期告知书; who may issue them and when."""

from io import BytesIO

import docx
import pypdf
import pytest

from yimen.cases.models import CaseDocument
from yimen.core.errors import Conflict, Invalid, NotAllowed
from yimen.petitions import services
from yimen.petitions.tests.conftest import PETITION, PLAN, act, answered, notice, opinion, petition, record_of


def texts(case, kind) -> tuple[str, str]:
    """(DOCX text, PDF text) of the latest issue of `kind`, whitespace removed."""
    docs = {d.format: bytes(d.content) for d in CaseDocument.objects.filter(case=case, kind=kind)}
    word = "\n".join(p.text for p in docx.Document(BytesIO(docs["docx"])).paragraphs)
    pdf = "".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(docs["pdf"])).pages)
    return "".join(word.split()), "".join(pdf.split())


def both(case, kind, *needles: str) -> None:
    for text in texts(case, kind):
        for needle in needles:
            assert "".join(needle.split()) in text, needle


def test_acceptance_notice_contents(seats, dated):
    dated(2026, 9, 16)
    case = act("accept", petition(seats), seats["dispatcher"])
    case = act("dispatch", case, seats["dispatcher"], lead_unit=PETITION, plan=PLAN)
    notice(case, seats["petition"])
    both(
        case,
        "acceptance_notice",
        "信访事项受理告知书",
        "蒋光荣、唐有福、周桂英、李德才、王秀梅等 23 人",
        "小塘村23户村民集体反映征地补偿款未足额到位",
        case.code,
        "2026年9月16日",
        "依法受理",
        f"由{case.lead_unit.name}负责办理",
        "60 日内办结",
        "延长不超过 30 日",
        "30 日内请求",
        "复查",
        "第三十五条",
        "15 日内书面告知",
    )
    assert case.events.filter(action="petition_notice").count() == 1


def test_not_accepted_notice_says_why(seats):
    case = act("decline", petition(seats), seats["dispatcher"], reason="该事项已进入诉讼程序，应通过诉讼途径解决")
    notice(case, seats["petition"])
    assert record_of(case).notice_accepted is False
    both(case, "acceptance_notice", "信访事项不予受理告知书", "决定不予受理", "已进入诉讼程序")


def test_handling_opinion_contents(seats, dated):
    dated(2026, 9, 5)
    case = answered(seats, petition(seats))
    both(
        case,
        "handling_opinion",
        "信访事项处理意见书",
        "查明的事实",
        "青苗补偿款已拨付 80%",
        "处理依据",
        "土地管理法",
        "处理意见",
        "30 日内补足剩余补偿款",
        "30 日内（至 2026年10月8日）",
        "向全州县人民政府请求复查",
        "第三十五条",
    )


def test_review_and_rereview_opinions_say_the_next_step_or_finality(seats, dated):
    dated(2026, 3, 2)
    original = answered(seats, petition(seats))
    review = answered(seats, petition(seats, review_of=original.code, category=None))
    both(review, "review_opinion", "信访事项复查意见书", "复查意见", "请求复核", "第三十六条", original.code)
    rereview = answered(seats, petition(seats, review_of=review.code, category=None))
    both(rereview, "rereview_opinion", "信访事项复核意见书", "最终意见", "不再受理")


def test_extension_notice_contents(seats, dated):
    dated(2026, 1, 5)
    case = act("accept", petition(seats), seats["dispatcher"])
    notice(case, seats["petition"])
    case = act("dispatch", case, seats["dispatcher"], lead_unit=PETITION, plan=PLAN)
    case = act("sign", case, seats["petition"])
    case = act("extend", case, seats["petition"], days=30, reason="需县自然资源局复核补偿标准")
    services.petition_extension_notify(case=case, actor=seats["petition"], version=record_of(case).version)
    both(case, "extension_notice", "延期办理告知书", "延长 30 日", "需县自然资源局复核补偿标准", "第三十四条")
    with pytest.raises(Conflict, match="本次延期已告知"):
        services.petition_extension_notify(case=case, actor=seats["petition"], version=record_of(case).version)


def test_refusals(seats):
    case = petition(seats)
    with pytest.raises(Conflict, match="请先受理或不予受理"):
        notice(case, seats["petition"])
    case = act("accept", case, seats["dispatcher"])
    with pytest.raises(NotAllowed):
        notice(case, seats["police"])  # no petition.handle
    with pytest.raises(NotAllowed):
        notice(case, seats["clerk"])
    with pytest.raises(Conflict, match="信访记录已被他人更新（当前版本 1）"):
        services.petition_notice_issue(case=case, actor=seats["petition"], version=2)
    notice(case, seats["petition"])
    with pytest.raises(Conflict, match="不再重复出具"):
        notice(case, seats["petition"])
    with pytest.raises(Conflict, match="签收办理后"):
        opinion(case, seats["petition"])
    case = act("dispatch", case, seats["dispatcher"], lead_unit=PETITION, plan=PLAN)
    case = act("sign", case, seats["petition"])
    with pytest.raises(Invalid) as refused:
        opinion(case, seats["petition"], facts=" ")
    assert refused.value.errors == {"facts": ["请填写查明的事实。"]}
    opinion(case, seats["petition"])
    with pytest.raises(Conflict, match="不再重复出具"):
        opinion(case, seats["petition"])


def test_the_lead_units_handler_answers_too(seats):
    case = act("accept", petition(seats), seats["dispatcher"])
    notice(case, seats["petition"])
    case = act("dispatch", case, seats["dispatcher"], lead_unit="450324106-judicial", plan=PLAN)
    with pytest.raises(NotAllowed):
        opinion(case, seats["judicial"])  # not yet signed: not handling it
    case = act("sign", case, seats["judicial"])
    opinion(case, seats["judicial"])
    assert CaseDocument.objects.filter(case=case, kind="handling_opinion").count() == 2
