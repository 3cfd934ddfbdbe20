"""A joint meeting's agenda and minutes through the API (issue 20 part 3: "agenda drawn from
red cases, whistles and topics, attendance, minutes, decisions"): what the convener may put on
it, what each unit reads of it, and minutes kept under the meeting's version."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yimen.cases import services as cases_services
from yimen.cases.tests.conftest import JUDICIAL, POLICE, VILLAGE, case_in, register
from yimen.core.models import AuditEntry
from yimen.geo.models import Region
from yimen.insight.models import JointMeeting, Topic
from yimen.insight.tests.test_api import bearer
from yimen.insight.tests.test_meetings_api import get, post
from yimen.insight.topics.selectors import add_months


def schedule(client, held_at, units=(POLICE, JUDICIAL)) -> dict:
    body = {"held_at": held_at.isoformat(), "kind": "regular", "topic": "半月联席会议", "units": list(units)}
    got = post(client, "dispatcher", "/meetings", body)
    assert got.status_code == 201, got.json()
    return got.json()


@pytest.fixture
def coming(client, seats):
    return schedule(client, timezone.localtime() + timedelta(days=2))


@pytest.fixture
def held(client, seats):
    return schedule(client, timezone.localtime() - timedelta(hours=2))


def whistled_case(seats):
    case = case_in("dispatched", seats, title="河堤边多户用水纠纷")
    cases_services.whistle_blow(
        case=case,
        actor=seats["dispatcher"],
        units=[POLICE, JUDICIAL, VILLAGE],
        place="才湾村河堤",
        reason="多户再起冲突，需多部门到场",
        arrive_within_minutes=30,
    )
    return case


def test_the_convener_sees_red_whistled_and_topics_to_draw_from(client, seats, coming):
    red = register(seats["clerk"], title="村民聚集堵路", risk="red")
    register(seats["clerk"], title="邻里噪音", risk="orange")  # neither red nor summoned
    whistled = whistled_case(seats)
    town = Region.objects.get(code=seats["leader"].jurisdiction.code)
    month = add_months(timezone.localdate().replace(day=1), -1)
    Topic.objects.create(
        region=town, region_path=town.path, month=month, label="宅基地边界", terms=[["宅基地", 0.6]], size=7
    )
    proposed = get(client, "leader", f"/meetings/{coming['id']}/agenda").json()["proposed"]
    assert [c["case"] for c in proposed["red"]] == [red.code]
    assert [w["case"] for w in proposed["whistled"]] == [whistled.code]
    assert proposed["whistled"][0]["reason"] == "多户再起冲突，需多部门到场"
    assert [(t["label"], t["size"], t["project"]) for t in proposed["topics"]] == [("宅基地边界", 7, False)]
    assert get(client, "police", f"/meetings/{coming['id']}/agenda").json()["proposed"] is None  # invited only


def test_putting_cases_on_the_meeting_takes_them_off_the_proposals(client, seats, coming):
    red = register(seats["clerk"], risk="red")
    whistled = whistled_case(seats)
    url = f"/meetings/{coming['id']}/agenda"
    put = post(client, "dispatcher", url, {"case": red.code, "note": "聚集风险"})
    assert put.status_code == 201 and put.json()["case"] == red.code and put.json()["note"] == "聚集风险"
    assert post(client, "leader", url, {"case": whistled.code}).status_code == 201
    agenda = get(client, "leader", url).json()
    assert [i["case"] for i in agenda["items"]] == [red.code, whistled.code]
    assert agenda["proposed"]["red"] == [] and agenda["proposed"]["whistled"] == []
    again = post(client, "leader", url, {"case": red.code})
    assert again.status_code == 409 and again.json()["code"] == "already_on_agenda"
    plain = post(client, "dispatcher", url, {"case": register(seats["clerk"]).code})
    assert plain.status_code == 409 and plain.json()["code"] == "no_slot_needed"
    assert post(client, "dispatcher", url, {"case": "450324106-2026-999999"}).status_code == 404
    assert post(client, "police", url, {"case": red.code}).status_code == 403  # invited, not the convener
    # The police read the slot of the case they lead, not the red case they cannot see.
    assert [i["case"] for i in get(client, "police", url).json()["items"]] == [whistled.code]


def test_minutes_are_recorded_once_held_and_never_overwritten(client, seats, coming, held):
    body = {"attendees": "综治中心 张主任\n派出所 李所长", "decisions": "河堤纠纷由司法所牵头调处"}
    early = post(client, "dispatcher", f"/meetings/{coming['id']}/minutes", {**body, "version": 1})
    assert early.status_code == 409 and early.json()["code"] == "not_held"
    url = f"/meetings/{held['id']}/minutes"
    blank = get(client, "police", url).json()
    assert blank["recorded"] is False and blank["decisions"] == ""
    empty = post(client, "dispatcher", url, {**body, "decisions": "   ", "version": blank["version"]})
    assert empty.status_code == 422 and "decisions" in empty.json()["errors"]
    first = post(client, "dispatcher", url, {**body, "version": blank["version"]})
    assert first.status_code == 200 and first.json()["recorded"] is True
    stale = post(client, "leader", url, {**body, "decisions": "另议", "version": blank["version"]})
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    assert get(client, "police", url).json()["decisions"] == "河堤纠纷由司法所牵头调处"  # the invited read it
    assert post(client, "police", url, {**body, "version": first.json()["version"]}).status_code == 403
    assert get(client, "court", url).status_code == 404  # not invited
    assert AuditEntry.objects.filter(action="meeting_minutes", target=f"meeting:{held['id']}").count() == 1
    minuted = post(client, "dispatcher", f"/meetings/{held['id']}/agenda", {"case": register(seats["clerk"]).code})
    assert minuted.status_code == 409 and minuted.json()["code"] == "minuted"
    assert JointMeeting.objects.get(pk=held["id"]).attendees.startswith("综治中心")


@pytest.mark.parametrize("n", [1, 5])
def test_the_agenda_costs_the_same_for_many(client, seats, coming, n, django_assert_max_num_queries):
    for k in range(n):
        red = register(seats["clerk"], title=f"红色风险事项{k}", risk="red")
        post(client, "dispatcher", f"/meetings/{coming['id']}/agenda", {"case": red.code})
        whistled_case(seats)
    headers = bearer(client, "leader")
    with django_assert_max_num_queries(16):
        got = client.get(f"/api/v1/meetings/{coming['id']}/agenda", headers=headers)
    assert len(got.json()["items"]) == n and len(got.json()["proposed"]["whistled"]) == n


def test_the_meeting_page_draws_the_agenda_and_keeps_the_minutes(client, seats, coming, held):
    red = register(seats["clerk"], title="村民聚集堵路", risk="red")
    client.force_login(seats["dispatcher"].user)
    page = client.get(f"/dashboard/meetings/{coming['id']}/").content.decode()
    assert 'data-testid="proposed"' in page and red.code in page
    assert 'data-testid="minutes-form"' not in page  # not held yet
    slotted = client.post(f"/dashboard/meetings/{coming['id']}/agenda/", {"case": red.code}, follow=True)
    assert f"已列入本次会议议程：{red.code}" in slotted.content.decode()
    url = f"/dashboard/meetings/{held['id']}/minutes/"
    typed = {"attendees": "综治中心 张主任", "decisions": "", "version": 1}
    blank = client.post(url, typed)
    assert blank.status_code == 422 and "请填写议定事项" in blank.content.decode()
    assert "综治中心 张主任" in blank.content.decode()  # nothing typed is lost
    saved = client.post(url, {**typed, "decisions": "河堤纠纷由司法所牵头调处"}, follow=True)
    assert "会议纪要已保存" in saved.content.decode() and "河堤纠纷由司法所牵头调处" in saved.content.decode()
    stale = client.post(url, {**typed, "decisions": "另议"})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode() and "另议" in stale.content.decode()
    client.force_login(seats["supervisor"].user)
    assert client.post(url, {**typed, "decisions": "x"}).status_code == 403
