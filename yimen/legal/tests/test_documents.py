"""给予/不予法律援助决定书 read back from the DOCX and the PDF: the parties, the matter, the basis,
the decision and its reason; a refusal names the remedy (异议 to the county's 司法行政部门 within
the art. 49 route); both download from the case's documents to those who see the case."""

import pytest

from yimen.cases.tests.test_api import bearer
from yimen.legal.models import Exemption
from yimen.legal.tests.conftest import APPLICANT, decide, means, texts


def test_grant_states_parties_basis_reason_and_the_three_days(seats, aid_case):
    decide(
        aid_case,
        seats["judicial"],
        reason="申请人系家庭暴力受害人，主张离婚及损害赔偿。",
        exemption=Exemption.ABUSE_VICTIM,
    )
    for text in texts(aid_case, "legal_aid_grant"):
        assert "给予法律援助决定书" in text and "不予" not in text
        assert f"申请人：{APPLICANT}" in text and "被申请人：唐德明" in text
        assert "遭受虐待、遗弃或者家庭暴力的受害人主张相关权益" in text
        assert "申请人系家庭暴力受害人，主张离婚及损害赔偿。" in text
        assert "三日内指派法律援助人员" in text and aid_case.code in text


def test_refusal_states_the_reason_and_the_objection_to_the_justice_bureau(seats, aid_case):
    means(aid_case, seats["judicial"], income="1200", standard="450")
    decide(aid_case, seats["judicial"], granted=False, reason="家庭人均月收入高于当地经济困难标准。")
    for text in texts(aid_case, "legal_aid_refusal"):
        assert "不予法律援助决定书" in text and APPLICANT in text
        assert "家庭人均月收入1200.00元" in text and "不符合经济困难标准" in text
        assert "理由：家庭人均月收入高于当地经济困难标准。" in text
        assert "全州县司法局" in text and "异议" in text and "五日内" in text
        assert "行政复议" in text and "第四十九条" in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_decision_downloads_from_the_case_documents(client, seats, aid_case, fmt):
    decide(aid_case, seats["judicial"], exemption=Exemption.ABUSE_VICTIM)
    listed = client.get(f"/api/v1/cases/{aid_case.code}/documents", headers=bearer(seats["judicial"])).json()
    assert {d["kind"] for d in listed} >= {"legal_aid_grant"}
    client.force_login(seats["judicial"].user)
    answer = client.get(f"/cases/{aid_case.code}/documents/legal_aid_grant/", {"format": fmt})
    assert answer.status_code == 200 and len(answer.content) > 1000
    client.force_login(seats["police"].user)
    assert client.get(f"/cases/{aid_case.code}/documents/legal_aid_grant/", {"format": fmt}).status_code == 404
