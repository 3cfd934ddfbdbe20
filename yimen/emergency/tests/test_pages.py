"""The 应急指挥 and 快警站 pages as their users meet them: who may open them, the forms' Chinese
messages, the grave stand-down asking its summary, and a board that costs the same for 1 or 6
incidents."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from tests.factories import MembershipFactory, RegionFactory, UnitFactory
from yimen.emergency import services
from yimen.emergency.models import Incident, IncidentTask, LostItem, MissingPerson
from yimen.org.roles import Role

POLICE = "450324106-police"
TOWN = "450324106"


def declare(seats, title="才湾村村民唐某上山采药未归", units=(POLICE,)) -> Incident:
    return services.incident_declare(
        actor=seats["emergency"], title=title, kind="missing", level=4, region=TOWN, units=list(units)
    )


def task(seats, incident, title="沿山路搜寻", due=timedelta(hours=2)) -> IncidentTask:
    return services.incident_task_create(
        actor=seats["emergency"], incident=incident, unit=POLICE, title=title, due_at=timezone.now() + due
    )


def text(response) -> str:
    return response.content.decode()


def test_board_puts_active_incidents_first_flags_overdue_tasks_and_missing_alerts(client, seats, outbox):
    closed = declare(seats, title="才湾河汛期洪水转移群众")
    services.incident_stand_down(actor=seats["emergency"], incident=closed, summary="转移及时，无人员伤亡。")
    active = declare(seats)
    task(seats, active, title="调取村口监控", due=-timedelta(minutes=30))
    services.missing_person_report(
        actor=seats["kuaijing"],
        name="唐阿婆",
        description="78岁，灰色上衣",
        last_seen_at=timezone.now(),
        place="才湾村口",
    )
    client.force_login(seats["dispatcher"].user)
    page = text(client.get("/emergency/"))
    assert page.index(active.title) < page.index(closed.title)
    assert "逾期任务 1" in page and "调取村口监控" in page
    assert "唐阿婆" in page  # the centre sees the station's open alert
    # The police station sees the incident it was called into, and its own task to do.
    client.force_login(seats["police"].user)
    board = client.get("/emergency/")
    assert active.title in text(board)
    assert [t.title for t in board.context["mine"]] == ["调取村口监控"]
    client.force_login(seats["court"].user)
    assert client.get("/emergency/").context["mine"] == []


@pytest.mark.parametrize("role", ["clerk", "supervisor", "gridworker", "mediator", "auditor"])
def test_roles_without_incident_view_are_refused_the_board(client, seats, role):
    client.force_login(seats[role].user)
    assert client.get("/emergency/").status_code == 403
    assert "应急指挥" not in text(client.get("/"))  # nor offered it in the menu


@pytest.mark.parametrize("role", ["clerk", "court", "emergency", "gridworker", "mediator", "auditor"])
def test_only_the_station_police_and_centre_open_the_station(client, seats, role):
    client.force_login(seats[role].user)
    assert client.get("/station/").status_code == 403


def test_a_unit_outside_the_incident_gets_404(client, seats, outbox):
    incident = declare(seats, units=())
    client.force_login(seats["court"].user)
    assert incident.title not in text(client.get("/emergency/"))
    assert client.get(f"/emergency/{incident.pk}/").status_code == 404
    assert client.post(f"/emergency/{incident.pk}/reports/", {"text": "到场"}).status_code == 404


@pytest.mark.parametrize("n", [1, 6])
@pytest.mark.parametrize("role", ["dispatcher", "police"])
def test_board_cost_is_flat(client, seats, outbox, django_assert_num_queries, n, role):
    """The centre sees the jurisdiction; the police station its incidents and its own tasks."""
    for k in range(n):
        incident = declare(seats, title=f"事件{k}")
        task(seats, incident, due=-timedelta(minutes=k + 1))
        task(seats, incident, title="第二项任务")
    services.missing_person_report(
        actor=seats["kuaijing"], name="唐某", description="灰衣", last_seen_at=timezone.now(), place="村口"
    )
    client.force_login(seats[role].user)
    client.get("/emergency/")
    with django_assert_num_queries(10):
        response = client.get("/emergency/")
    assert len(response.context["incidents"]) == n and len(response.context["overdue"]) == n
    assert all(i.open_tasks == 2 and i.overdue_tasks == 1 for i in response.context["incidents"])
    assert len(response.context["mine"]) == (2 * n if role == "police" else 0)


def test_declare_form_pages_the_units_and_opens_the_incident(client, seats, outbox):
    seats["police"].service_phone = "13800000001"
    seats["police"].save()
    client.force_login(seats["emergency"].user)
    form = client.get("/emergency/new/")
    assert form.status_code == 200 and "才湾镇" in text(form)
    response = client.post(
        "/emergency/new/",
        {"title": "唐某上山未归", "kind": "missing", "level": "3", "region": TOWN, "units": [POLICE]},
    )
    incident = Incident.objects.get(title="唐某上山未归")
    assert response.status_code == 302 and response.url == f"/emergency/{incident.pk}/"
    assert incident.level == 3 and {u.unit.code for u in incident.units.all()} >= {POLICE}
    assert any(phone == "13800000001" for phone, _ in outbox)


def test_declare_form_says_what_is_wrong_in_chinese(client, seats, outbox):
    client.force_login(seats["emergency"].user)
    blank = client.post("/emergency/new/", {"kind": "missing", "level": "4", "region": TOWN})
    assert blank.status_code == 422 and "此项为必填项。" in text(blank)
    half = client.post(
        "/emergency/new/", {"title": "山洪", "kind": "flood", "level": "4", "region": TOWN, "lat": "25.86"}
    )
    assert half.status_code == 422 and "经纬度须同时填写。" in text(half)
    no_case = client.post(
        "/emergency/new/", {"title": "山洪", "kind": "flood", "level": "4", "region": TOWN, "case": "NOPE"}
    )
    assert no_case.status_code == 422 and "案件不存在或不在您的范围内。" in text(no_case)
    assert not Incident.objects.exists()
    client.force_login(seats["police"].user)
    assert client.get("/emergency/new/").status_code == 403


def test_incident_page_tasks_reports_stand_down_and_report(client, seats, outbox):
    incident = declare(seats)
    client.force_login(seats["emergency"].user)
    page = client.get(f"/emergency/{incident.pk}/")
    assert page.status_code == 200 and "启动应急响应" in text(page) and "下达任务" in text(page)
    bad = client.post(f"/emergency/{incident.pk}/tasks/", {"unit": "", "title": "", "due_at": "明天"})
    assert bad.status_code == 422
    assert "此项为必填项。" in text(bad) and "请输入有效的日期和时间。" in text(bad)
    due = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    made = client.post(f"/emergency/{incident.pk}/tasks/", {"unit": POLICE, "title": "沿山路搜寻", "due_at": due})
    assert made.status_code == 302
    tasked = incident.tasks.get()
    # The duty officer's unit did not take the task: no done form for them, and the service refuses.
    assert f"task-done-{tasked.pk}" not in text(client.get(f"/emergency/{incident.pk}/"))
    client.post(f"/emergency/{incident.pk}/tasks/{tasked.pk}/done/", {"note": "x"})
    tasked.refresh_from_db()
    assert tasked.state == "open"

    client.force_login(seats["police"].user)
    page = text(client.get(f"/emergency/{incident.pk}/"))
    assert f"task-done-{tasked.pk}" in page and "下达任务" not in page
    client.post(f"/emergency/{incident.pk}/tasks/{tasked.pk}/done/", {"note": "在后山找到，已送回家"})
    assert client.post(f"/emergency/{incident.pk}/reports/", {"text": ""}).status_code == 422
    client.post(f"/emergency/{incident.pk}/reports/", {"text": "人员身体无恙。"})
    timeline = text(client.get(f"/emergency/{incident.pk}/"))
    assert "在后山找到，已送回家" in timeline and "人员身体无恙。" in timeline
    assert client.post(f"/emergency/{incident.pk}/stand-down/", {"summary": "找到了"}).status_code == 403

    client.force_login(seats["emergency"].user)
    asked = client.post(f"/emergency/{incident.pk}/stand-down/", {"summary": "  "})
    assert asked.status_code == 422 and "此项为必填项。" in text(asked)
    assert client.get(f"/emergency/{incident.pk}/after-action/").status_code == 404  # not closed yet
    closed = client.post(f"/emergency/{incident.pk}/stand-down/", {"summary": "三小时内找到，村组联动有效。"})
    assert closed.status_code == 302
    page = text(client.get(f"/emergency/{incident.pk}/"))
    assert "已终止" in page and "下载 Word" in page and "终止应急响应" not in page
    docx = client.get(f"/emergency/{incident.pk}/after-action/?format=docx")
    body = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    assert "三小时内找到" in body and "人员身体无恙" in body
    assert client.get(f"/emergency/{incident.pk}/after-action/?format=pdf").content.startswith(b"%PDF")


def test_station_registers_matches_and_returns_with_the_id_checked(client, seats):
    client.force_login(seats["kuaijing"].user)
    page = client.get("/station/")
    assert page.status_code == 200 and "失物/拾物登记" in text(page)
    at = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    blank = client.post("/station/items/", {"kind": "lost", "description": "", "place": "", "at": at})
    assert blank.status_code == 422 and "此项为必填项。" in text(blank)
    client.post(
        "/station/items/", {"kind": "lost", "description": "黑色皮钱包，内有身份证", "place": "才湾圩", "at": at}
    )
    client.post("/station/items/", {"kind": "found", "description": "蓝色雨伞", "place": "才湾圩", "at": at})
    made = client.post("/station/items/", {"kind": "found", "description": "黑色钱包一个", "place": "才湾圩", "at": at})
    wallet = LostItem.objects.get(description="黑色钱包一个")
    assert made.url == f"/station/items/{wallet.pk}/"
    shown = client.get(made.url)
    assert [c.description for c, _ in shown.context["matches"]] == ["黑色皮钱包，内有身份证"]
    assert "黑色皮钱包，内有身份证" in text(shown)
    refused = client.post(f"/station/items/{wallet.pk}/return/", {"to_name": "唐某"})
    assert refused.status_code == 422 and "发还前须核验领取人身份证件。" in text(refused)
    client.post(f"/station/items/{wallet.pk}/return/", {"to_name": "唐某", "id_checked": "on"})
    wallet.refresh_from_db()
    assert wallet.state == "returned" and wallet.returned_to == "唐某"
    day = client.get("/station/").context["day"]
    assert day["items_returned"] == 1 and day["items_registered"] == 3


def test_missing_person_alert_and_found_from_the_pages(client, seats, outbox):
    services.call_list_add(actor=seats["kuaijing"], name="联防队员", phone="13900000009")
    client.force_login(seats["kuaijing"].user)
    at = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    blank = client.post("/station/missing/", {"name": "", "description": "", "place": "", "last_seen_at": ""})
    assert blank.status_code == 422 and "此项为必填项。" in text(blank)
    body = {"name": "唐阿婆", "description": "78岁，灰色上衣，拄拐杖", "place": "才湾村口", "last_seen_at": at}
    made = client.post("/station/missing/", body)
    person = MissingPerson.objects.get()
    assert made.url == f"/station/missing/{person.pk}/" and person.alerted == 1
    assert outbox and "唐阿婆" in outbox[0][1]
    client.post(f"/station/missing/{person.pk}/found/", {"note": "在邻村找到"})
    person.refresh_from_db()
    assert person.state == "found"
    assert client.get("/station/").context["day"]["persons_found"] == 1
    # The centre reads the register but records nothing; the court sees none of it.
    client.force_login(seats["dispatcher"].user)
    assert client.get(f"/station/missing/{person.pk}/").status_code == 200
    assert client.post("/station/missing/", body).status_code == 403
    client.force_login(seats["court"].user)
    assert client.get(f"/station/missing/{person.pk}/").status_code == 403


def test_another_station_sees_404(client, seats):
    item = services.lost_item_record(
        actor=seats["kuaijing"], kind="found", description="手机", place="才湾圩", at=timezone.now()
    )
    other_town = RegionFactory(
        code="450324107", name="两河镇", level="town", parent=seats["kuaijing"].unit.region.parent
    )
    unit = UnitFactory(code="450324107-police", kind="police", region=other_town, name="两河派出所")
    other = MembershipFactory(user__username="lianghe", unit=unit, role=Role.HANDLER, jurisdiction=other_town)
    client.force_login(other.user)
    assert client.get(f"/station/items/{item.pk}/").status_code == 404
    assert "手机" not in text(client.get("/station/"))


def test_the_tasked_unit_accepts_reports_progress_with_a_photo_and_finishes(client, seats, outbox, media):
    incident = declare(seats)
    tasked = task(seats, incident)
    client.force_login(seats["police"].user)
    client.post(f"/emergency/{incident.pk}/tasks/{tasked.pk}/accept/")
    tasked.refresh_from_db()
    assert tasked.state == "accepted"
    page = text(client.get(f"/emergency/{incident.pk}/"))
    assert "执行中" in page and f"task-accept-{tasked.pk}" not in page
    prefix = f"p{tasked.pk}"
    blank = client.post(f"/emergency/{incident.pk}/tasks/{tasked.pk}/progress/", {f"{prefix}-note": ""})
    assert blank.status_code == 422 and "此项为必填项。" in text(blank)
    gif = SimpleUploadedFile("x.gif", b"GIF89a....", content_type="image/gif")
    wrong = client.post(
        f"/emergency/{incident.pk}/tasks/{tasked.pk}/progress/", {f"{prefix}-note": "半山腰", f"{prefix}-photo": gif}
    )
    assert wrong.status_code == 422 and "第 1 张不是 JPEG 或 PNG 图片。" in text(wrong)
    huge = SimpleUploadedFile("x.jpg", b"\xff\xd8\xff" + b"\x00" * 700_000, content_type="image/jpeg")
    big = client.post(
        f"/emergency/{incident.pk}/tasks/{tasked.pk}/progress/", {f"{prefix}-note": "半山腰", f"{prefix}-photo": huge}
    )
    assert big.status_code == 422 and "照片过大" in text(big)
    jpeg = SimpleUploadedFile("x.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, content_type="image/jpeg")
    body = {
        f"{prefix}-note": "搜到半山腰，发现脚印",
        f"{prefix}-photo": jpeg,
        f"{prefix}-lat": "25.86",
        f"{prefix}-lng": "110.98",
    }
    assert client.post(f"/emergency/{incident.pk}/tasks/{tasked.pk}/progress/", body).status_code == 302
    progress = tasked.progress.get()
    assert progress.lat == 25.86 and progress.photo
    assert "搜到半山腰，发现脚印" in text(client.get(f"/emergency/{incident.pk}/"))


def test_resources_allocate_release_and_stand_down_frees_them(client, seats, outbox):
    team = services.resource_register(
        actor=seats["emergency"], kind="team", name="才湾镇联防巡逻队", quantity=30, place="镇综治中心"
    )
    truck = services.resource_register(
        actor=seats["emergency"], kind="vehicle", name="应急皮卡车", quantity=1, place="镇政府车库"
    )
    incident, other = declare(seats), declare(seats, title="小塘村山火")
    client.force_login(seats["emergency"].user)
    assert "才湾镇联防巡逻队" in text(client.get(f"/emergency/{incident.pk}/"))
    assert client.post(f"/emergency/{incident.pk}/resources/", {"resource": ""}).status_code == 422
    client.post(f"/emergency/{incident.pk}/resources/", {"resource": team.pk})
    client.post(f"/emergency/{incident.pk}/resources/", {"resource": truck.pk})
    # The team serves one incident at a time: the other incident is not offered it.
    busy = client.post(f"/emergency/{other.pk}/resources/", {"resource": team.pk})
    assert busy.status_code == 422 and "该资源不可调用。" in text(busy)
    client.post(f"/emergency/{incident.pk}/resources/{truck.pk}/release/")
    assert client.post(f"/emergency/{other.pk}/resources/", {"resource": truck.pk}).status_code == 302
    client.post(f"/emergency/{incident.pk}/stand-down/", {"summary": "人已找到。"})
    assert not incident.allocations.filter(released_at__isnull=True).exists()
    assert "调用资源：才湾镇联防巡逻队" in text(client.get(f"/emergency/{incident.pk}/"))
    client.force_login(seats["police"].user)
    assert client.post(f"/emergency/{other.pk}/resources/", {"resource": team.pk}).status_code == 403


def test_sightings_and_one_tap_help_on_the_station_pages(client, seats, outbox):
    person = services.missing_person_report(
        actor=seats["kuaijing"], name="唐阿婆", description="78岁", last_seen_at=timezone.now(), place="才湾村口"
    )
    client.force_login(seats["kuaijing"].user)
    blank = client.post(f"/station/missing/{person.pk}/sightings/", {"place": "", "at": ""})
    assert blank.status_code == 422 and "此项为必填项。" in text(blank)
    at = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    client.post(f"/station/missing/{person.pk}/sightings/", {"place": "小塘村桥头", "at": at, "note": "往山上走"})
    assert "小塘村桥头：往山上走" in text(client.get(f"/station/missing/{person.pk}/"))
    for kind in ("directions", "first_aid"):
        assert client.post("/station/help/", {"kind": kind}).status_code == 302
    client.post("/station/help/", {"kind": "nonsense"})
    assert client.get("/station/").context["day"]["services"] == 2


@pytest.mark.parametrize("n", [1, 6])
def test_resource_register_page_shows_who_serves_where_at_flat_cost(
    client, seats, outbox, django_assert_num_queries, n
):
    incident = declare(seats)
    for k in range(n):
        made = services.resource_register(
            actor=seats["emergency"], kind="vehicle", name=f"皮卡{k}", quantity=1, place="车库"
        )
    services.incident_resource_allocate(actor=seats["emergency"], incident=incident, resource=made)
    client.force_login(seats["emergency"].user)
    client.get("/emergency/resources/")
    with django_assert_num_queries(8):
        response = client.get("/emergency/resources/")
    assert len(response.context["rows"]) == n and f"使用中：{incident.code}" in text(response)


def test_resource_register_form_in_chinese_and_for_the_command_only(client, seats):
    client.force_login(seats["emergency"].user)
    blank = client.post("/emergency/resources/new/", {"kind": "team", "name": "", "quantity": "1", "place": "镇上"})
    assert blank.status_code == 422 and "此项为必填项。" in text(blank)
    none = client.post("/emergency/resources/new/", {"kind": "team", "name": "队", "quantity": "0", "place": "镇上"})
    assert none.status_code == 422 and "数量须为 1–100000。" in text(none)
    good = client.post(
        "/emergency/resources/new/", {"kind": "team", "name": "应急工作队", "quantity": "40", "place": "镇上"}
    )
    assert good.status_code == 302 and "应急工作队" in text(client.get("/emergency/resources/"))
    client.force_login(seats["police"].user)
    page = client.get("/emergency/resources/")
    assert page.status_code == 200 and "登记应急资源" not in text(page)
    assert (
        client.post(
            "/emergency/resources/new/", {"kind": "team", "name": "x", "quantity": "1", "place": "y"}
        ).status_code
        == 403
    )
