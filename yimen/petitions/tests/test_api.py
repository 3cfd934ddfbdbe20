"""The petition API: POST /cases takes review_of and accused_users; the petition record, its
notice and opinion under /cases/{code}/petition/...; 信访台账 with the repeat-petition rate."""

import uuid

from yimen.cases.tests.conftest import GRID
from yimen.cases.tests.test_api import bearer
from yimen.petitions.tests.conftest import PLAN, REPRESENTATIVES, answered, petition


def post(client, member, url, payload, **headers):
    return client.post(url, payload, content_type="application/json", headers={**bearer(member), **headers})


def body(**fields):
    values = {
        "kind": "petition",
        "title": "小塘村村民集体反映征地补偿款未足额到位",
        "channel": "visit",
        "region": GRID,
        "category": "petition.land",
        "parties": REPRESENTATIVES,
    }
    return {**values, **fields}


def create(client, member, payload):
    return post(client, member, "/api/v1/cases", payload, **{"Idempotency-Key": str(uuid.uuid4())})


def test_a_sixth_representative_is_422_in_chinese_on_parties(client, seats):
    answer = create(
        client, seats["petition"], body(parties=[*REPRESENTATIVES, {"name": "六", "role": "representative"}])
    )
    assert answer.status_code == 422
    assert set(answer.json()) == {"detail", "code", "errors"}
    assert "代表人数不超过 5 人" in answer.json()["errors"]["parties"][0]


def test_review_of_links_the_chain_and_the_record_reads_back(client, seats, dated):
    dated(2026, 3, 2)
    original = answered(seats, petition(seats))
    answer = create(client, seats["petition"], body(review_of=original.code, category=None, title="申请复查"))
    assert answer.status_code == 201, answer.json()
    code = answer.json()["code"]
    assert answer.json()["category"] == "petition.review"
    record = client.get(f"/api/v1/cases/{code}/petition", headers=bearer(seats["petition"])).json()
    assert (record["level"], record["review_of"], record["reviews"]) == ("review", original.code, [original.code])
    assert record["deadlines"][0]["label"].startswith("受理告知")
    first = client.get(f"/api/v1/cases/{original.code}/petition", headers=bearer(seats["dispatcher"])).json()
    assert first["request_until"].startswith("2026-04-01T23:59:59+08:00") and first["reviews"] == [code]


def test_a_rereview_after_rereview_is_409(client, seats, dated):
    dated(2026, 3, 2)
    original = answered(seats, petition(seats))
    review = answered(seats, petition(seats, review_of=original.code, category=None))
    rereview = answered(seats, petition(seats, review_of=review.code, category=None))
    answer = create(client, seats["petition"], body(review_of=rereview.code, category=None))
    assert answer.status_code == 409
    assert answer.json()["detail"] == "该信访事项已经复核，不再受理（信访工作条例第三十六条）。"


def test_notice_and_opinion_by_api(client, seats):
    from yimen.petitions.tests.conftest import PETITION, act

    case = act("accept", petition(seats), seats["dispatcher"])
    url = f"/api/v1/cases/{case.code}/petition"
    answer = post(client, seats["petition"], f"{url}/notice", {"version": 1})
    assert answer.status_code == 200 and answer.json()["notice_accepted"] is True and answer.json()["version"] == 2
    assert post(client, seats["petition"], f"{url}/notice", {"version": 2}).status_code == 409
    case = act("dispatch", case, seats["dispatcher"], lead_unit=PETITION, plan=PLAN)
    case = act("sign", case, seats["petition"])
    answer = post(
        client, seats["petition"], f"{url}/opinion", {"version": 2, "facts": "", "basis": "b", "opinion": "o"}
    )
    assert answer.status_code == 422
    good = {"version": 2, "facts": "查明", "basis": "依据", "opinion": "意见"}
    answer = post(client, seats["petition"], f"{url}/opinion", good)
    assert answer.status_code == 200 and answer.json()["opinion_issued_at"]
    kinds = {
        d["kind"] for d in client.get(f"/api/v1/cases/{case.code}/documents", headers=bearer(seats["petition"])).json()
    }
    assert {"acceptance_notice", "handling_opinion"} <= kinds
    pdf = client.get(
        f"/api/v1/cases/{case.code}/documents/handling_opinion?format=pdf", headers=bearer(seats["petition"])
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert post(client, seats["police"], f"{url}/notice", {"version": 3}).status_code == 404  # not visible


def test_register_lists_and_counts_the_repeat_rate(client, seats, dated):
    dated(2026, 3, 2)
    first = petition(seats)
    dated(2026, 3, 9)
    petition(seats, title="再次反映征地补偿款")
    petition(seats, category=None, title="反映路灯不亮", parties=[{"name": "别人", "role": "applicant"}])
    data = client.get("/api/v1/petitions", headers=bearer(seats["dispatcher"])).json()
    assert (data["count"], data["repeats"]) == (3, 1) and abs(data["repeat_rate"] - 1 / 3) < 1e-9
    repeats = client.get("/api/v1/petitions?repeat=true", headers=bearer(seats["dispatcher"])).json()
    assert [i["repeat_of"] for i in repeats["items"]] == [first.code]
    assert "重复信访率" in data["repeat_rate_definition"]
    assert client.get("/api/v1/petitions?since=2026-01-01", headers=bearer(seats["dispatcher"])).status_code == 422
    assert client.get("/api/v1/petitions", headers=bearer(seats["police"])).status_code == 403
