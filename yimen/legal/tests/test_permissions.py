"""Who sees a legal-aid file (issue 18): the judicial office, the centre's seats and the legal
adviser of the case's village; every other seat gets 404 — the village committee, its grid
workers, the police, the court — on the case, its legal-aid file and its panel; the three
administrators have no cases at all (403). Only the judicial office decides."""

import pytest

from conftest import PERSONAS
from yimen.cases.tests.conftest import OTHER_GRID, VILLAGE, act, register
from yimen.cases.tests.test_api import bearer
from yimen.legal.models import Exemption
from yimen.legal.tests.conftest import application

SEES = {"judicial", "clerk", "dispatcher", "supervisor", "leader", "zhengfa", "adviser"}
NO_CASES = {"sysadmin", "secadmin", "auditor"}


def status_for(role: str) -> int:
    return 200 if role in SEES else 403 if role in NO_CASES else 404


@pytest.mark.parametrize("role", sorted(PERSONAS))
def test_every_role_against_the_legal_aid_file(client, seats, village_adviser, role):
    case = application(seats)
    headers = bearer(seats[role])
    want = status_for(role)
    for path in ("", "/legal-aid", "/timeline", "/documents"):
        answer = client.get(f"/api/v1/cases/{case.code}{path}", headers=headers)
        assert answer.status_code == want, (role, path, answer.status_code)
    decision = client.post(
        f"/api/v1/cases/{case.code}/legal-aid/decision",
        {"granted": True, "reason": "家暴受害人", "exemption": Exemption.ABUSE_VICTIM},
        content_type="application/json",
        headers=headers,
    )
    assert decision.status_code == (200 if role == "judicial" else 403 if want == 200 else want), role
    client.force_login(seats[role].user)
    page = client.get(f"/cases/{case.code}/")
    assert page.status_code == (200 if want == 200 else 404 if want == 404 else 403), role
    if page.status_code == 200:
        assert 'data-testid="legal-aid-panel"' in page.content.decode()


def test_legal_aid_sent_to_the_village_stays_out_of_the_committees_hands(client, seats):
    case = register(seats["clerk"], kind="legal_aid", title="申请法律援助（工伤赔偿）")
    act("accept", case, seats["dispatcher"])
    act("dispatch", case, seats["dispatcher"], lead_unit=VILLAGE)
    for who in ("gridchief", "village", "gridworker"):
        assert client.get(f"/api/v1/cases/{case.code}", headers=bearer(seats[who])).status_code == 404, who
    listed = client.get("/api/v1/cases", headers=bearer(seats["gridchief"])).json()["items"]
    assert case.code not in {i["code"] for i in listed}


def test_the_adviser_sees_only_the_legal_matters_of_the_villages_served(client, seats, village_adviser):
    mine = application(seats)
    elsewhere = application(seats, region=OTHER_GRID, title="小塘村村民申请法律援助")
    consultation = register(seats["clerk"], kind="legal_service", category="legal_service.family", title="离婚咨询")
    dispute = register(seats["clerk"], title="才湾村宅基地纠纷")
    headers = bearer(seats["adviser"])
    listed = {i["code"] for i in client.get("/api/v1/cases", headers=headers).json()["items"]}
    assert listed == {mine.code, consultation.code}
    assert dispute.code not in listed and elsewhere.code not in listed
    village_adviser.villages.clear()
    assert client.get(f"/api/v1/cases/{mine.code}", headers=headers).status_code == 404


def test_the_adviser_signs_and_answers_a_consultation_sent_to_the_judicial_office(client, seats, village_adviser):
    case = register(seats["clerk"], kind="legal_service", category="legal_service.family", title="离婚与家暴咨询")
    act("accept", case, seats["clerk"])
    act("dispatch", case, seats["dispatcher"], lead_unit="450324106-judicial")
    case = act("sign", case, seats["adviser"])
    case = act("reply", case, seats["adviser"], text="已告知起诉离婚的条件及申请人身安全保护令的途径。")
    assert case.state == "replied"
