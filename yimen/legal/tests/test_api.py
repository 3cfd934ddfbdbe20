"""API shape (API.md "Legal services"): the decision and the assignment over HTTP, the error
shape of a refused decision (422 naming the missing means check), the advisers' roster."""

from yimen.cases.tests.test_api import bearer
from yimen.legal.models import Exemption
from yimen.legal.tests.conftest import VILLAGE_REGION


def post(client, member, path, body):
    return client.post(path, body, content_type="application/json", headers=bearer(member))


def test_decision_without_a_basis_is_422_naming_the_means_check(client, seats, aid_case):
    answer = post(
        client,
        seats["judicial"],
        f"/api/v1/cases/{aid_case.code}/legal-aid/decision",
        {"granted": True, "reason": "符合条件"},
    )
    assert answer.status_code == 422
    body = answer.json()
    assert set(body) == {"detail", "code", "errors"} and body["code"] == "means_check_missing"
    assert "经济困难状况核查" in body["errors"]["means_check"][0]


def test_bad_bodies_are_422(client, seats, aid_case):
    base = f"/api/v1/cases/{aid_case.code}/legal-aid"
    assert (
        post(
            client, seats["judicial"], f"{base}/decision", {"granted": True, "reason": "x", "exemption": "rich"}
        ).status_code
        == 422
    )
    assert post(client, seats["judicial"], f"{base}/decision", {"granted": True, "reason": ""}).status_code == 422
    assert (
        post(
            client, seats["judicial"], f"{base}/means", {"monthly_income": -5, "assets": 0, "income_standard": 450}
        ).status_code
        == 422
    )
    assert post(client, seats["judicial"], f"{base}/assign", {}).status_code == 422


def test_means_decision_and_assignment_over_the_api(client, seats, aid_case):
    base = f"/api/v1/cases/{aid_case.code}/legal-aid"
    checked = post(
        client,
        seats["judicial"],
        f"{base}/means",
        {"monthly_income": "380", "assets": "1500", "income_standard": "450", "key_groups": ["woman", "dv_victim"]},
    )
    assert checked.status_code == 200 and checked.json()["means_eligible"] is True
    decided = post(client, seats["judicial"], f"{base}/decision", {"granted": True, "reason": "经济困难，家暴受害人"})
    aid = decided.json()
    assert decided.status_code == 200 and aid["granted"] is True and aid["decide_overdue"] is False
    assert aid["decide_due"].endswith("+08:00") and aid["assign_due"].endswith("+08:00")
    stale = post(client, seats["judicial"], f"{base}/assign", {"lawyer": "莫志远", "version": aid["version"] - 1})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    assigned = post(client, seats["judicial"], f"{base}/assign", {"lawyer": "莫志远", "version": aid["version"]})
    assert assigned.status_code == 200 and assigned.json()["lawyer"] == "莫志远"
    again = post(client, seats["judicial"], f"{base}/assign", {"lawyer": "黄律师"})
    assert again.status_code == 409
    timeline = client.get(f"/api/v1/cases/{aid_case.code}/timeline", headers=bearer(seats["judicial"])).json()
    assert [e["action"] for e in timeline][-3:] == ["legal_aid_means", "legal_aid_decision", "legal_aid_assign"]


def test_exemption_decision_over_the_api(client, seats, aid_case):
    decided = post(
        client,
        seats["judicial"],
        f"/api/v1/cases/{aid_case.code}/legal-aid/decision",
        {"granted": True, "reason": "家暴受害人主张相关权益", "exemption": Exemption.ABUSE_VICTIM},
    )
    assert decided.status_code == 200 and decided.json()["exemption"] == "art32_abuse"


def test_not_a_legal_aid_case_is_404(client, seats):
    from yimen.cases.tests.conftest import register

    case = register(seats["clerk"], title="邻里纠纷")
    answer = client.get(f"/api/v1/cases/{case.code}/legal-aid", headers=bearer(seats["dispatcher"]))
    assert answer.status_code == 404


def test_advisers_by_region(client, seats, village_adviser):
    headers = bearer(seats["gridworker"])  # a grid of 才湾村: its village's adviser
    rows = client.get("/api/v1/legal/advisers", headers=headers).json()
    assert rows == [
        {
            "id": village_adviser.pk,
            "name": "韦志坚",
            "kind": "lawyer",
            "firm": "广西桂全律师事务所",
            "villages": [{"code": VILLAGE_REGION, "name": "才湾村"}],
            "duty": "每周二上午在村委会坐班",
        }
    ]
    dispatcher = bearer(seats["dispatcher"])
    assert len(client.get("/api/v1/legal/advisers", {"region": VILLAGE_REGION}, headers=dispatcher).json()) == 1
    assert client.get("/api/v1/legal/advisers", {"region": "450324106201"}, headers=dispatcher).json() == []
    assert client.get("/api/v1/legal/advisers", {"region": "999999"}, headers=dispatcher).status_code == 404
    assert client.get("/api/v1/legal/advisers", {"region": "abc"}, headers=dispatcher).status_code == 422
    assert client.get("/api/v1/legal/advisers", headers=bearer(seats["gridworker2"])).json() == []
