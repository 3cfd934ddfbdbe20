"""Joint meetings and 会商 through the API (issue 20 part 3): scheduling, items owned by a unit
and answered by it alone (another unit → 403), the unit's own page, and the 会商 window."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yimen.cases.tests.conftest import COURT, JUDICIAL, POLICE, act, register
from yimen.core.models import AuditEntry
from yimen.insight.models import JointMeeting, MeetingAction
from yimen.insight.tests.test_api import bearer


def post(client, user: str, url: str, body: dict):
    return client.post(f"/api/v1{url}", body, "application/json", headers=bearer(client, user))


def get(client, user: str, url: str):
    return client.get(f"/api/v1{url}", headers=bearer(client, user))


@pytest.fixture
def meeting(client, seats):
    held = timezone.localtime() - timedelta(hours=1)
    got = post(
        client,
        "dispatcher",
        "/meetings",
        {"held_at": held.isoformat(), "kind": "special", "topic": "汛期矛盾纠纷专题会", "units": [POLICE, JUDICIAL]},
    )
    assert got.status_code == 201, got.json()
    return got.json()


@pytest.fixture
def item(client, meeting):
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    got = post(
        client, "leader", f"/meetings/{meeting['id']}/items", {"unit": POLICE, "text": "排查河堤周边纠纷", "due": due}
    )
    assert got.status_code == 201, got.json()
    return got.json()


def test_a_meeting_is_seen_by_its_units_and_not_by_others(client, meeting):
    assert meeting["kind"] == "special" and {u["code"] for u in meeting["units"]} == {POLICE, JUDICIAL}
    assert [m["id"] for m in get(client, "police", "/meetings").json()["items"]] == [meeting["id"]]
    assert get(client, "leader", f"/meetings/{meeting['id']}").status_code == 200
    assert get(client, "court", f"/meetings/{meeting['id']}").status_code == 404  # not invited
    assert get(client, "court", "/meetings").json()["count"] == 0
    assert get(client, "clerk", "/meetings").status_code == 403  # the window takes no part


def test_only_the_centre_and_leaders_schedule_and_give_items(client, meeting):
    body = {"held_at": timezone.localtime().isoformat(), "kind": "regular", "topic": "例会", "units": [POLICE]}
    assert post(client, "police", "/meetings", body).status_code == 403
    due = timezone.localdate().isoformat()
    got = post(client, "police", f"/meetings/{meeting['id']}/items", {"unit": POLICE, "text": "自派", "due": due})
    assert got.status_code == 403


def test_the_owner_unit_reads_and_answers_its_item_and_another_unit_may_not(client, meeting, item):
    mine = get(client, "police", f"/meetings/{meeting['id']}/items").json()
    assert [i["id"] for i in mine] == [item["id"]]
    assert get(client, "judicial", f"/meetings/{meeting['id']}/items").json() == []  # invited, owns nothing
    url = f"/meetings/{meeting['id']}/items/{item['id']}/answer"
    other = post(client, "judicial", url, {"text": "代为答复"})
    assert other.status_code == 403 and other.json()["code"] == "not_owner"
    assert post(client, "court", url, {"text": "代为答复"}).status_code == 404  # cannot see the meeting
    assert post(client, "police", url, {"text": ""}).status_code == 422
    answered = post(client, "kuaijing", url, {"text": "已走访河堤周边 12 户，化解 2 起"})  # any member of the unit
    assert answered.status_code == 200
    assert answered.json()["answer"] == "已走访河堤周边 12 户，化解 2 起" and answered.json()["answered_at"]
    assert get(client, "leader", f"/meetings/{meeting['id']}").json()["items"][0]["answer"].startswith("已走访")
    MeetingAction.objects.filter(pk=item["id"]).update(status="done", done_on=timezone.localdate())
    assert post(client, "police", url, {"text": "补充"}).status_code == 409


def test_the_police_answer_their_items_on_their_own_page(client, seats, meeting, item):
    client.force_login(seats["police"].user)
    assert client.get(f"/dashboard/meetings/{meeting['id']}/").status_code == 403  # the centre's page
    page = client.get("/meetings/items/")
    assert page.status_code == 200 and "排查河堤周边纠纷" in page.content.decode()
    empty = client.post(f"/meetings/items/{item['id']}/answer/", {"text": ""})
    assert empty.status_code == 422 and "请填写落实情况" in empty.content.decode()
    done = client.post(f"/meetings/items/{item['id']}/answer/", {"text": "已排查完毕"}, follow=True)
    assert "落实情况：已排查完毕" in done.content.decode()
    client.force_login(seats["judicial"].user)
    assert client.post(f"/meetings/items/{item['id']}/answer/", {"text": "x"}).status_code == 404


@pytest.fixture
def case(seats):
    case = register(seats["clerk"])
    act("accept", case, seats["clerk"])
    return act("dispatch", case, seats["dispatcher"], lead_unit=POLICE)


def consult(client, case, start, end=None, extra: dict | None = None):
    body = {"held_at": start.isoformat(), "kind": "consultation", "topic": "宅基地纠纷会商", "units": [JUDICIAL, COURT]}
    body |= {"case": case.code} | ({"ends_at": end.isoformat()} if end else {}) | (extra or {})
    return post(client, "dispatcher", "/meetings", body)


def test_a_consultation_opens_the_case_file_for_the_session_only_and_logs_each_read(client, case):
    now = timezone.localtime()
    assert get(client, "judicial", f"/cases/{case.code}").status_code == 404  # not the judicial office's case
    later = consult(client, case, now + timedelta(hours=2))
    assert later.status_code == 201 and later.json()["ends_at"]  # 4 hours by default
    assert get(client, "judicial", f"/cases/{case.code}").status_code == 404  # not yet
    running = consult(client, case, now - timedelta(minutes=30), now + timedelta(hours=1)).json()
    assert running["reading_open"] is True
    assert get(client, "judicial", f"/cases/{case.code}").status_code == 200
    assert get(client, "court", f"/cases/{case.code}/timeline").status_code == 200
    reads = AuditEntry.objects.filter(action="consultation_read", target=f"case:{case.code}")
    assert reads.count() == 2
    assert {r.unit_code for r in reads} == {JUDICIAL, COURT}
    assert all(r.purpose == f"会商：宅基地纠纷会商（meeting:{running['id']}）" for r in reads)
    last = get(client, "leader", f"/cases/{case.code}/timeline").json()[-1]
    assert last["action"] == "meeting_consultation" and last["note"].startswith("会商：宅基地纠纷会商")
    JointMeeting.objects.filter(pk=running["id"]).update(ends_at=now - timedelta(minutes=1))  # the session is over
    assert get(client, "judicial", f"/cases/{case.code}").status_code == 404
    assert get(client, "police", f"/cases/{case.code}").status_code == 200  # its own case, never logged as 会商
    assert AuditEntry.objects.filter(action="consultation_read").count() == 2


@pytest.mark.parametrize(
    ("extra", "end", "field"),
    [({"case": None}, None, "case"), ({}, timedelta(days=4), "ends_at"), ({}, -timedelta(hours=1), "ends_at")],
)
def test_a_consultation_needs_its_case_and_a_short_window(client, case, extra, end, field):
    start = timezone.localtime()
    got = consult(client, case, start, start + end if end else None, extra)
    assert got.status_code == 422 and field in got.json()["errors"]


def test_a_case_the_dispatcher_cannot_see_cannot_be_consulted(client, case):
    got = consult(client, case, timezone.localtime(), extra={"case": "450324106-2026-999999"})
    assert got.status_code == 422 and "case" in got.json()["errors"]


@pytest.mark.parametrize("n", [1, 6])
def test_the_lists_cost_the_same_for_many(client, seats, n, django_assert_max_num_queries):
    held = timezone.localtime() - timedelta(hours=1)
    for k in range(n):
        body = {"held_at": held.isoformat(), "kind": "regular", "topic": f"例会{k}", "units": [POLICE, JUDICIAL]}
        meeting = post(client, "dispatcher", "/meetings", body).json()
        due = timezone.localdate().isoformat()
        post(client, "dispatcher", f"/meetings/{meeting['id']}/items", {"unit": POLICE, "text": f"任务{k}", "due": due})
    headers = bearer(client, "police")
    with django_assert_max_num_queries(8):
        got = client.get("/api/v1/meetings", headers=headers)
    assert got.json()["count"] == n
    client.force_login(seats["police"].user)
    with django_assert_max_num_queries(12):
        page = client.get("/meetings/items/")
    assert page.content.decode().count('data-testid="answer-form"') == n
