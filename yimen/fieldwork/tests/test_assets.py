"""Camera points, their maintenance log and the cameras a case cites; patrol teams and their
rosters (issue 15 part 4): create, edit under a version, retire with a reason, and the
refusals a user meets."""

import pytest

from yimen.cases import services as cases
from yimen.core.models import AuditEntry
from yimen.fieldwork import services
from yimen.fieldwork.models import Camera, CameraCitation, Report
from yimen.people import services as people
from yimen.people.models import PatrolTeam

GRID = "45032410620001"  # 才湾村's first grid: gridworker's
XIAOTANG_GRID = "45032410620101"  # gridworker2's


@pytest.fixture
def call(client):
    """call("gridchief", "post", "/cameras", {...}) -> the API's answer for that persona's session."""

    def send(member, method: str, path: str, body: dict | None = None):
        client.force_login(member.user)
        if method == "get":
            return client.get(f"/api/v1{path}")
        return getattr(client, method)(f"/api/v1{path}", body or {}, "application/json")

    return send


def point(call, who, code="CW-001", region=GRID, lat=25.855, lng=110.985, **extra):
    body = {"code": code, "name": "才湾村委门口", "lat": lat, "lng": lng, "region": region, "owner": "才湾村委会"}
    return call(who, "post", "/cameras", {**body, **extra})


def test_chief_sets_up_a_camera_and_logs_its_breakdown_and_repair(call, chief):
    made = point(call, chief)
    assert made.status_code == 201, made.json()
    camera = made.json()
    assert camera["status"] == "online" and camera["covers"] == [GRID] and camera["version"] == 1
    path = f"/cameras/{camera['id']}"
    broke = call(chief, "post", f"{path}/log", {"version": 1, "status": "broken", "note": "雷击损坏"})
    assert broke.status_code == 201 and broke.json()["from_status"] == "online"
    assert call(chief, "get", path).json()["status"] == "broken"
    stale = call(chief, "post", f"{path}/log", {"version": 1, "status": "online", "note": "已修复"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    nothing = call(chief, "post", f"{path}/log", {"version": 2, "status": "broken"})
    assert nothing.status_code == 422 and nothing.json()["errors"]["note"] == ["请填写维护说明。"]
    log = call(chief, "get", f"{path}/log").json()
    assert [(e["from_status"], e["to_status"]) for e in log] == [("online", "broken"), ("online", "online")]


def test_camera_refusals_code_taken_outside_area_stale_edit_and_retired(call, chief, worker2, persona):
    assert point(call, chief).status_code == 201
    taken = point(call, chief)
    assert taken.status_code == 409 and taken.json()["errors"]["code"] == ["该编号已登记。"]
    assert point(call, chief, code="CW-002", region=XIAOTANG_GRID).status_code == 422
    assert point(call, chief, code="CW-003", lat=95).status_code == 422
    assert point(call, persona("leader"), code="CW-004").status_code == 403
    camera = Camera.objects.get(code="CW-001")
    path = f"/cameras/{camera.pk}"
    assert call(worker2, "get", path).status_code == 404
    moved = call(chief, "patch", path, {"version": 1, "name": "村委大门", "lat": 25.856})
    assert moved.status_code == 200 and moved.json()["name"] == "村委大门" and moved.json()["version"] == 2
    assert call(chief, "patch", path, {"version": 1, "name": "再改"}).status_code == 409
    blank = call(chief, "post", f"{path}/retire", {"version": 2, "reason": ""})
    assert blank.status_code == 422 and blank.json()["errors"]["reason"] == ["请填写撤除原因。"]
    gone = call(chief, "post", f"{path}/retire", {"version": 2, "reason": "道路改造，杆件拆除"})
    assert gone.status_code == 200 and gone.json()["retired_reason"] == "道路改造，杆件拆除"
    assert call(chief, "get", "/cameras").json() == []  # off the map
    assert call(chief, "patch", path, {"version": 3, "name": "x"}).json()["code"] == "retired"
    assert AuditEntry.objects.filter(action="camera_retire", purpose="道路改造，杆件拆除").exists()


@pytest.fixture
def hazard(persona):
    clerk = persona("clerk")
    return cases.case_register(
        actor=clerk,
        kind="hazard",
        title="村口桥面塌陷",
        channel="visit",
        region=GRID,
        location={"lat": 25.855, "lng": 110.985},
        parties=[{"name": "报告人", "role": "applicant"}],
    ).case


def test_a_case_cites_a_camera_near_it_and_not_one_far_away(call, chief, persona, hazard):
    near = point(call, chief).json()
    # In another village and ~1 km east: neither the same grid nor within reach.
    far = point(call, persona("dispatcher"), code="XT-001", region=XIAOTANG_GRID, lng=110.995).json()
    clerk = persona("clerk")
    listed = call(clerk, "get", f"/cases/{hazard.code}/cameras").json()
    assert [c["code"] for c in listed["nearby"]] == ["CW-001"] and listed["nearby"][0]["metres"] == 0
    refused = call(clerk, "post", f"/cases/{hazard.code}/cameras", {"camera": far["id"]})
    assert refused.status_code == 422 and refused.json()["errors"]["camera"] == ["请选择同一网格或附近的监控点。"]
    cited = call(clerk, "post", f"/cases/{hazard.code}/cameras", {"camera": near["id"], "note": "调取当晚录像"})
    assert cited.status_code == 201 and [c["camera"]["code"] for c in cited.json()["cited"]] == ["CW-001"]
    again = call(clerk, "post", f"/cases/{hazard.code}/cameras", {"camera": near["id"]})
    assert again.status_code == 200 and CameraCitation.objects.count() == 1
    page = call(clerk, "get", f"/cases/{hazard.code}/cameras")
    assert page.json()["nearby"] == []
    withdrawn = call(clerk, "delete", f"/cases/{hazard.code}/cameras/{near['id']}")
    assert withdrawn.status_code == 200 and withdrawn.json()["cited"] == []
    assert call(clerk, "delete", f"/cases/{hazard.code}/cameras/{near['id']}").status_code == 404


def test_the_case_page_shows_the_cited_camera_and_cites_from_its_panel(client, chief, persona, hazard):
    camera = Camera.objects.get(pk=point_id(client, chief))
    clerk = persona("clerk")
    client.force_login(clerk.user)
    page = client.get(f"/cases/{hazard.code}/").content.decode()
    assert 'data-testid="cite-form"' in page and "CW-001 才湾村委门口" in page
    done = client.post(f"/fieldwork/cases/{hazard.code}/cameras/", {"camera": camera.pk, "note": "看桥头"})
    assert done.status_code == 302
    page = client.get(done.url).content.decode()
    assert 'data-testid="cited-cameras"' in page and "看桥头" in page


def point_id(client, chief) -> int:
    client.force_login(chief.user)
    body = {"code": "CW-001", "name": "才湾村委门口", "lat": 25.855, "lng": 110.985, "region": GRID, "owner": "村委"}
    return client.post("/api/v1/cameras", body, "application/json").json()["id"]


def test_the_camera_card_records_maintenance_and_keeps_the_note_on_a_refusal(client, chief):
    camera = Camera.objects.get(pk=point_id(client, chief))
    bad = client.post(f"/fieldwork/cameras/{camera.pk}/log/", {"version": 1, "status": "online", "note": ""})
    assert bad.status_code == 422 and "请填写维护说明。" in bad.content.decode()
    ok = client.post(f"/fieldwork/cameras/{camera.pk}/log/", {"version": 1, "status": "offline", "note": "光纤中断"})
    assert ok.status_code == 302
    card = client.get(ok.url).content.decode()
    assert "在线 → 离线：光纤中断" in card


def test_patrol_teams_are_formed_renamed_retired_and_rostered(call, chief, persona):
    made = call(chief, "post", "/patrol-teams", {"name": "才湾村夜巡队", "region": "450324106200"})
    assert made.status_code == 201, made.json()
    team = made.json()
    path = f"/patrol-teams/{team['id']}"
    again = call(chief, "post", "/patrol-teams", {"name": "才湾村夜巡队", "region": "450324106200"})
    assert again.status_code == 409
    renamed = call(chief, "patch", path, {"version": 1, "name": "才湾村护村队"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "才湾村护村队"
    assert call(chief, "patch", path, {"version": 1, "name": "x"}).status_code == 409
    member, _ = people.patrol_member_upsert(
        actor=chief, team=PatrolTeam.objects.get(pk=team["id"]), name="李巡", phone="13800001111"
    )
    shift = call(chief, "post", f"{path}/shifts", {"on": "2026-12-20", "shift": "night", "members": [member.pk]})
    assert shift.status_code == 201 and shift.json()["members"][0]["name"] == "李巡"
    roster = call(chief, "get", f"{path}/shifts?since=2026-12-18").json()
    assert [(s["on"], s["shift"]) for s in roster] == [("2026-12-20", "night")]
    assert call(persona("gridworker2"), "get", path).status_code == 403  # no fieldwork.manage
    retired = call(chief, "post", f"{path}/retire", {"version": 2, "reason": "并入镇巡防队"})
    assert retired.status_code == 200 and retired.json()["members"] == 0
    late = call(chief, "post", f"{path}/shifts", {"on": "2026-12-21", "shift": "day", "members": [member.pk]})
    assert late.status_code == 422 and late.json()["errors"]["team"] == ["该巡防队已撤销，不能再排班。"]
    assert [t["id"] for t in call(chief, "get", "/patrol-teams").json()] == []


def test_a_village_chief_rosters_the_town_team_but_may_not_rename_it(call, chief, persona):
    town_team = call(persona("dispatcher"), "post", "/patrol-teams", {"name": "镇平安巡防队", "region": "450324106"})
    assert town_team.status_code == 201
    path = f"/patrol-teams/{town_team.json()['id']}"
    assert call(chief, "get", path).status_code == 200
    assert call(chief, "patch", path, {"version": 1, "name": "夺名"}).status_code == 403


def test_the_team_pages_form_and_retire_a_team(client, chief):
    client.force_login(chief.user)
    blank = client.post("/fieldwork/patrols/new/", {"name": "", "region": "450324106200"})
    assert blank.status_code == 422 and "请填写队名。" in blank.content.decode()
    assert client.post("/fieldwork/patrols/new/", {"name": "护村队", "region": "450324106200"}).status_code == 302
    team = PatrolTeam.objects.get(name="护村队")
    assert "护村队" in client.get("/fieldwork/patrols/").content.decode()
    no_reason = client.post(f"/fieldwork/patrols/{team.pk}/retire/", {"version": 1, "reason": ""})
    assert no_reason.status_code == 422
    assert client.post(f"/fieldwork/patrols/{team.pk}/retire/", {"version": 1, "reason": "合并"}).status_code == 302
    assert PatrolTeam.objects.get(pk=team.pk).retired_reason == "合并"


def test_the_hazard_report_page_names_the_cameras_its_case_cites(client, chief, worker):
    camera = Camera.objects.get(pk=point_id(client, chief))
    body = {"kind": "hazard", "title": "塘坝渗水", "location": {"lat": 25.855, "lng": 110.985}, "photos": []}
    done = services.report_submit(actor=worker, idempotency_key="k-cam", **body)
    report = Report.objects.get(pk=done.object_id)
    services.camera_cite(actor=worker, case=report.case, camera=camera, note="看塘坝")
    client.force_login(worker.user)
    page = client.get(f"/m/reports/{report.pk}/").content.decode()
    assert 'data-testid="report-cameras"' in page and "CW-001 才湾村委门口" in page and "看塘坝" in page


@pytest.mark.parametrize("n", [1, 6])
def test_the_camera_list_and_a_cases_cameras_cost_the_same_for_one_or_many(
    call, chief, persona, hazard, django_assert_max_num_queries, n
):
    clerk = persona("clerk")
    for i in range(n):
        camera = point(call, chief, code=f"CW-{i:03d}").json()
        call(clerk, "post", f"/cases/{hazard.code}/cameras", {"camera": camera["id"]})
    # The session's own reads (user, seat, policy, axes) are most of these; none grows with n.
    with django_assert_max_num_queries(26):
        assert len(call(chief, "get", "/cameras").json()) == n
    with django_assert_max_num_queries(33):
        assert len(call(clerk, "get", f"/cases/{hazard.code}/cameras").json()["cited"]) == n
