"""The permission matrix for cases (DESIGN §8, API.md "Who acts"): every role against the list,
the search, the detail, the timeline, the documents and every action, over the API."""

import pytest
from django.db import transaction

from conftest import PERSONAS
from yimen.cases import services
from yimen.cases.tests.conftest import JUDICIAL, POLICE, VILLAGE, case_in, register
from yimen.cases.tests.test_api import bearer

ROLES = sorted(PERSONAS)
# 三员: no case.view. The legal adviser (an outside lawyer, not the judicial office's staff) sees
# only the legal matters of the villages served (yimen.legal), so none of these: 404.
NO_CASES = {"sysadmin", "secadmin", "auditor"}
CENTRE_VIEW = {"clerk", "dispatcher", "supervisor", "leader", "zhengfa", "gridchief"}  # first unit or jurisdiction
AFTER_DISPATCH = CENTRE_VIEW | {"police", "kuaijing", "judicial"}  # ... and the assigned units
# The 快警站's officer is a handler of the police station: on a case, the station's seat.
SAME_SEAT = {"kuaijing": "police"}
PRINTS_RECEIPT = {"clerk", "dispatcher"}  # the first receiver's intake seats: the receipt carries the public token

# action -> (state, body, {role: status} for the roles that may take it or get a special answer)
MATRIX = {
    "accept": ("registered", {}, {"clerk": 200, "dispatcher": 200}),
    "decline": ("registered", {"reason": "不属于受理范围"}, {"clerk": 200, "dispatcher": 200}),
    "merge": ("registered", {"into": None}, {"dispatcher": 200}),
    "refer": ("accepted", {"to": "110", "reason": "警情"}, {"dispatcher": 200}),
    "close": ("accepted", {"note": "当场答复"}, {"clerk": 200, "dispatcher": 200}),
    "dispatch": ("accepted", {"lead_unit": POLICE, "support_units": [JUDICIAL]}, {"dispatcher": 200}),
    "sign": ("dispatched", {}, {"police": 200, "judicial": 200}),
    "dispute": ("dispatched", {"reason": "非本所职责"}, {"police": 200}),
    "redispatch": ("disputed", {"lead_unit": JUDICIAL}, {"dispatcher": 200}),
    "reply": ("in_progress", {"text": "已调解"}, {"police": 200, "judicial": 409}),  # judicial has not signed
    "extend": ("in_progress", {"days": 3, "reason": "等待鉴定"}, {"police": 200}),
    "review": ("replied", {"approved": True}, {"dispatcher": 200}),
    "follow_up": ("closed", {"rating": 5}, {"clerk": 200, "dispatcher": 200}),
    "archive": ("followed_up", {}, {"dispatcher": 200}),
    "urge": ("in_progress", {}, {"supervisor": 200}),
    "supervise": ("in_progress", {"reason_type": "not_handled"}, {"supervisor": 200}),
    "censure": ("in_progress", {"reason_type": "overdue"}, {"supervisor": 200}),
    "raise_risk": (
        "in_progress",
        {"risk": "orange", "reason": "矛盾激化"},
        {"dispatcher": 200, "supervisor": 200, "police": 200, "judicial": 200},
    ),
    # 自办 is the first unit's, where the catalogue makes it the lead: never the centre's clerk
    # case here (its own tests: test_every_unit.py)
    "take": ("registered", {}, {}),
    "note": (
        "in_progress",
        {"text": "电话联系当事人", "contact": {"party": 0, "channel": "phone", "result": "已接通"}},
        {"clerk": 200, "dispatcher": 200, "police": 200, "judicial": 200, "gridchief": 200},
    ),
    "release": ("in_progress", {"unit": JUDICIAL, "reason": "无需协办"}, {"dispatcher": 200}),
}


def expected(role: str, state: str, special: dict[str, int]) -> int:
    role = SAME_SEAT.get(role, role)
    if role in NO_CASES:
        return 403
    seen = CENTRE_VIEW if state in ("registered", "accepted") else AFTER_DISPATCH
    if role not in seen:
        return 404
    return special.get(role, 403)


@pytest.fixture
def headers(seats):
    return {role: bearer(seats[role]) for role in ROLES}


@pytest.mark.parametrize("action", MATRIX)
def test_every_role_against_every_action(client, seats, headers, action):
    state, body, special = MATRIX[action]
    case = case_in(state, seats)
    if action == "merge":
        body = {**body, "into": register(seats["clerk"], title="先登记的同一纠纷").code}
    failures = []
    for role in ROLES:
        with transaction.atomic():
            answer = client.post(
                f"/api/v1/cases/{case.code}/actions/{action}",
                {"version": case.version, **body},
                content_type="application/json",
                headers=headers[role],
            )
            transaction.set_rollback(True)
        want = expected(role, state, special)
        if answer.status_code != want:
            failures.append(f"{role}: {answer.status_code} (expected {want}) {answer.json().get('detail')}")
        if answer.status_code >= 400:
            assert set(answer.json()) == {"detail", "code", "errors"}
    assert failures == []


def test_every_role_against_list_search_detail_timeline_and_documents(client, seats, headers):
    case = case_in("dispatched", seats)
    for role in ROLES:
        listed = client.get("/api/v1/cases", headers=headers[role])
        found = client.get("/api/v1/cases", {"q": case.code}, headers=headers[role])
        if role in NO_CASES:
            assert listed.status_code == found.status_code == 403, role
            want = 403
        else:
            assert listed.status_code == found.status_code == 200, role
            seen = role in AFTER_DISPATCH
            assert (case.code in {i["code"] for i in listed.json()["items"]}) is seen, role
            assert found.json()["count"] == int(seen), role
            want = 200 if seen else 404
        for path in ("", "/timeline", "/documents"):
            status = client.get(f"/api/v1/cases/{case.code}{path}", headers=headers[role]).status_code
            assert status == want, f"{role} {path}: {status}"
        receipt = client.get(f"/api/v1/cases/{case.code}/documents/receipt", headers=headers[role]).status_code
        assert receipt == (200 if role in PRINTS_RECEIPT else 403 if role in NO_CASES else 404), (
            f"{role} receipt: {receipt}"
        )


# 吹哨报到: step -> {role: status} for the roles that may take it (the others: 403, or 404 when
# the case is hidden from them). Police and the village committee are summoned; the judicial
# office holds the case (support) but is not summoned. A grid worker of the village committee
# sees the case through the summons and may report the committee's arrival from the spot, as
# may the committee's own handler (`village`).
SUMMONED = {"gridchief", "gridworker", "village"}
WHISTLE_MATRIX = {
    "": (
        {"units": [POLICE], "place": "现场", "reason": "冲突", "arrive_within_minutes": 30},
        {"zhengfa": 201, "dispatcher": 201},
    ),
    "/arrive": ({}, {"police": 200, "gridchief": 200, "gridworker": 200, "village": 200}),
    "/rate": ({"unit": POLICE, "rating": 5}, {"zhengfa": 200, "dispatcher": 200}),
    "/release": ({"reason": "已处置"}, {"zhengfa": 200, "dispatcher": 200}),
}


@pytest.mark.parametrize("step", WHISTLE_MATRIX)
def test_every_role_against_every_whistle_step(client, seats, headers, step):
    body, special = WHISTLE_MATRIX[step]
    case = case_in("dispatched", seats)
    whistle = services.whistle_blow(
        case=case,
        actor=seats["zhengfa"],
        units=[POLICE, VILLAGE],
        place="现场",
        reason="冲突",
        arrive_within_minutes=30,
    )
    services.whistle_arrive(whistle=whistle, actor=seats["police"])
    path = f"/api/v1/cases/{case.code}/whistles" + (f"/{whistle.pk}{step}" if step else "")
    failures = []
    for role in ROLES:
        with transaction.atomic():
            answer = client.post(path, body, content_type="application/json", headers=headers[role])
            transaction.set_rollback(True)
        want = 403 if role in NO_CASES else 404 if role not in AFTER_DISPATCH | SUMMONED else 403
        want = special.get(role, want)
        if step == "/arrive" and SAME_SEAT.get(role, role) == "police":
            want = 409  # the station arrived above
        if answer.status_code != want:
            failures.append(f"{role}: {answer.status_code} (expected {want}) {answer.json().get('detail')}")
    assert failures == []
