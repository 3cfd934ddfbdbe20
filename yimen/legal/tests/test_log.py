"""The adviser's monthly service log, counted from the records (consultations from the villages
served, the adviser's answers and notes, legal-aid applications and grants); readable by the
adviser, the judicial office and the centre, 404 for others."""

from yimen.cases.tests.conftest import OTHER_GRID, act, at, register
from yimen.cases.tests.test_api import bearer
from yimen.legal.models import Exemption
from yimen.legal.tests.conftest import application, decide


def consultation(seats, **fields):
    values = {"kind": "legal_service", "category": "legal_service.family", "title": "离婚咨询"}
    return register(seats["clerk"], **{**values, **fields})


def test_the_month_log_counts_the_records(client, seats, village_adviser, time_machine):
    time_machine.move_to(at(2026, 3, 10))
    answered = consultation(seats)
    act("accept", answered, seats["clerk"])
    act("dispatch", answered, seats["dispatcher"], lead_unit="450324106-judicial")
    act("sign", answered, seats["adviser"])
    act("note", answered, seats["adviser"], text="电话约定面谈时间")
    act("reply", answered, seats["adviser"], text="已解答离婚程序及财产分割问题。")
    consultation(seats, title="宅基地继承咨询")
    consultation(seats, title="小塘村咨询", region=OTHER_GRID)  # not the adviser's village
    aid = application(seats)
    decide(aid, seats["judicial"], exemption=Exemption.ABUSE_VICTIM)
    time_machine.move_to(at(2026, 4, 2))
    consultation(seats, title="四月的咨询")
    path = f"/api/v1/legal/advisers/{village_adviser.pk}/log"
    log = client.get(path, {"month": "2026-03"}, headers=bearer(seats["adviser"])).json()
    assert log["adviser"]["name"] == "韦志坚" and log["month"] == "2026-03"
    assert (log["consultations"], log["answered"], log["notes"]) == (2, 1, 1)
    assert (log["aid_applications"], log["aid_granted"]) == (1, 1)
    april = client.get(path, {"month": "2026-04"}, headers=bearer(seats["judicial"])).json()
    assert (april["consultations"], april["answered"], april["aid_granted"]) == (1, 0, 0)
    assert client.get(path, {"month": "2026-13"}, headers=bearer(seats["judicial"])).status_code == 422
    for who in ("gridchief", "police"):
        assert client.get(path, {"month": "2026-03"}, headers=bearer(seats[who])).status_code == 404, who
    client.force_login(seats["adviser"].user)
    page = client.get(f"/legal/advisers/{village_adviser.pk}/log/", {"month": "2026-03"})
    assert page.status_code == 200 and page.context["log"].consultations == 2
