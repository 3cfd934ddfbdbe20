"""点餐's scheduling (issue 18 part 3): the town (judicial office, centre) names an adviser or an
expert and a date within the promise of SCHEDULE_PROMISE_DAYS; a late one is flagged on the
orders page; the order shows the talk that delivered it; the month's report page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yimen.cases.tests.test_api import bearer
from yimen.geo.models import Region
from yimen.legal.models import OutreachOrder
from yimen.legal.services import SCHEDULE_PROMISE_DAYS
from yimen.legal.tests.conftest import VILLAGE_REGION
from yimen.legal.tests.test_outreach import post

OTHER_VILLAGE = "450324106201"  # 小塘村


def order(client, seats, topic="防范养老诈骗", who="gridchief") -> dict:
    wanted = (timezone.localdate() + timedelta(days=20)).isoformat()
    answer = post(
        client, seats[who], "/api/v1/outreach/orders", {"village": VILLAGE_REGION, "topic": topic, "wanted_by": wanted}
    )
    assert answer.status_code == 201
    return answer.json()


def soon(days=5) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


def test_the_town_schedules_an_adviser_or_an_expert(client, seats, village_adviser):
    placed = order(client, seats)
    assert placed["state"] == "ordered" and placed["schedule_overdue"] is False
    path = f"/api/v1/outreach/orders/{placed['id']}/schedule"
    body = {"adviser": village_adviser.pk, "at": soon()}
    for who in ("gridchief", "village", "adviser", "police"):
        assert post(client, seats[who], path, body).status_code == 403, who
    both = post(client, seats["judicial"], path, {**body, "expert": "县司法局 王律师"})
    assert both.status_code == 422 and "二者选一" in both.json()["errors"]["adviser"][0]
    neither = post(client, seats["judicial"], path, {"at": soon()})
    assert neither.status_code == 422 and "adviser" in neither.json()["errors"]
    past = post(client, seats["judicial"], path, {**body, "at": (timezone.now() - timedelta(hours=1)).isoformat()})
    assert past.status_code == 422 and past.json()["errors"]["at"] == ["宣讲时间须晚于现在。"]
    stranger = post(client, seats["judicial"], path, {**body, "adviser": 999999})
    assert stranger.status_code == 422 and "名册" in stranger.json()["errors"]["adviser"][0]
    assert post(client, seats["judicial"], "/api/v1/outreach/orders/999999/schedule", body).status_code == 404

    scheduled = post(client, seats["judicial"], path, {**body, "version": placed["version"]})
    assert scheduled.status_code == 200
    got = scheduled.json()
    assert (got["state"], got["speaker"], got["adviser"]) == ("scheduled", "韦志坚", village_adviser.pk)
    stale = post(client, seats["dispatcher"], path, {**body, "version": placed["version"]})
    assert stale.status_code == 409
    moved = post(client, seats["dispatcher"], path, {"expert": "县司法局 王律师", "at": soon(6)})
    assert moved.status_code == 200 and moved.json()["speaker"] == "县司法局 王律师"
    assert moved.json()["scheduled_at"] == got["scheduled_at"]  # a reschedule keeps the promise's record

    talk = {
        "topic": "防范养老诈骗",
        "place": "才湾村委会",
        "at": soon(6),
        "speakers": ["王律师"],
        "order": placed["id"],
    }
    given = post(client, seats["judicial"], "/api/v1/outreach/events", talk).json()
    assert given["village"] == VILLAGE_REGION
    listed = client.get("/api/v1/outreach/orders", headers=bearer(seats["village"])).json()
    assert [(o["id"], o["state"], o["event"]) for o in listed] == [(placed["id"], "delivered", given["id"])]
    assert post(client, seats["judicial"], path, body).status_code == 409
    assert client.get("/api/v1/outreach/orders", headers=bearer(seats["gridworker2"])).status_code == 403


def test_an_order_past_the_promise_is_flagged_and_a_late_scheduling_stays_late(client, seats, time_machine):
    placed = order(client, seats)
    time_machine.move_to(timezone.now() + timedelta(days=SCHEDULE_PROMISE_DAYS, hours=1))
    listed = client.get("/api/v1/outreach/orders", headers=bearer(seats["judicial"])).json()
    assert listed[0]["schedule_overdue"] is True
    client.force_login(seats["judicial"].user)
    page = client.get("/legal/outreach/orders/").content.decode()
    assert 'data-testid="schedule-overdue"' in page and "安排超期" in page
    path = f"/api/v1/outreach/orders/{placed['id']}/schedule"
    late = post(client, seats["judicial"], path, {"expert": "县律师协会 李律师", "at": soon()})
    assert late.status_code == 200 and late.json()["schedule_overdue"] is True
    assert OutreachOrder.objects.get(pk=placed["id"]).scheduled_late


@pytest.mark.parametrize("n", [1, 8])
def test_the_orders_page_costs_the_same_for_many_and_hides_other_villages(
    client, seats, village_adviser, django_assert_max_num_queries, n
):
    for i in range(n):
        placed = order(client, seats, topic=f"主题{i}")
        post(
            client,
            seats["judicial"],
            f"/api/v1/outreach/orders/{placed['id']}/schedule",
            {"expert": "王律师", "at": soon()},
        )
    talk = {"topic": "主题0", "place": "才湾村文化室", "at": soon(2), "speakers": ["王律师"], "order": placed["id"]}
    post(client, seats["judicial"], "/api/v1/outreach/events", talk)
    elsewhere = OutreachOrder.objects.create(
        village=Region.objects.get(code=OTHER_VILLAGE),
        topic="小塘村的点单",
        wanted_by=timezone.localdate(),
        ordered_by=seats["gridchief"],
    )
    client.force_login(seats["judicial"].user)
    with django_assert_max_num_queries(12):
        page = client.get("/legal/outreach/orders/")
    body = page.content.decode()
    assert page.status_code == 200 and len(page.context["orders"]) == n + 1
    assert "才湾村文化室" in body and 'data-testid="schedule-overdue"' not in body
    client.force_login(seats["gridchief"].user)  # 才湾村's own orders only
    shown = client.get("/legal/outreach/orders/")
    assert len(shown.context["orders"]) == n and elsewhere.topic not in shown.content.decode()
    client.force_login(seats["gridworker"].user)  # no outreach.view
    assert client.get("/legal/outreach/orders/").status_code == 403


def test_schedule_and_order_from_the_pages(client, seats, village_adviser):
    placed = order(client, seats)
    client.force_login(seats["judicial"].user)
    url = f"/legal/outreach/orders/{placed['id']}/schedule/"
    form = client.get(url)
    assert form.status_code == 200 and "韦志坚" in form.content.decode()
    refused = client.post(url, {"version": placed["version"], "expert": "县司法局 王律师", "at": "2020-01-01T09:00"})
    assert refused.status_code == 422
    assert "宣讲时间须晚于现在。" in refused.content.decode() and "县司法局 王律师" in refused.content.decode()
    at = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    done = client.post(url, {"version": placed["version"], "adviser": str(village_adviser.pk), "at": at})
    assert done.status_code == 302 and OutreachOrder.objects.get(pk=placed["id"]).adviser == village_adviser
    assert client.post(url, {"version": "x", "adviser": "9" * 30, "at": at}).status_code == 422

    client.force_login(seats["village"].user)
    assert client.get(url).status_code == 403
    page = client.get("/legal/outreach/orders/")
    assert 'data-testid="order-form"' in page.content.decode()
    bad = client.post(
        "/legal/outreach/orders/new/", {"village": VILLAGE_REGION, "topic": "土地承包", "wanted_by": "2020-01-01"}
    )
    assert bad.status_code == 422 and "希望日期不能早于今天。" in bad.content.decode()
    assert 'value="土地承包"' in bad.content.decode()
    wanted = (timezone.localdate() + timedelta(days=9)).isoformat()
    good = client.post(
        "/legal/outreach/orders/new/", {"village": VILLAGE_REGION, "topic": "土地承包", "wanted_by": wanted}
    )
    assert good.status_code == 302 and OutreachOrder.objects.filter(topic="土地承包").exists()


@pytest.mark.parametrize("n", [1, 6])
def test_the_report_page_by_topic_and_village_at_a_flat_cost(client, seats, django_assert_max_num_queries, n):
    held = timezone.now() - timedelta(hours=2)
    for i in range(n):
        given = post(
            client,
            seats["judicial"],
            "/api/v1/outreach/events",
            {
                "topic": f"讲座{i % 2}",
                "place": "文化室",
                "at": held.isoformat(),
                "speakers": ["韦志坚"],
                "village": VILLAGE_REGION,
            },
        ).json()
        attended = {"count": 20, "feedback": "", "rating": 4 + (i % 2)}
        post(client, seats["judicial"], f"/api/v1/outreach/events/{given['id']}/attendance", attended)
    client.force_login(seats["judicial"].user)
    month = timezone.localdate().strftime("%Y-%m")
    with django_assert_max_num_queries(10):
        page = client.get("/legal/outreach/report/", {"month": month})
    report = page.context["report"]
    assert page.status_code == 200 and report["events"] == n and report["attendance"] == 20 * n
    assert report["by_village"][0]["village"] == "才湾村" and report["by_village"][0]["events"] == n
    assert {row["topic"] for row in report["by_topic"]} == ({"讲座0"} if n == 1 else {"讲座0", "讲座1"})
    assert report["rating"] == (4.0 if n == 1 else 4.5)
    assert "才湾村" in page.content.decode()
    earlier = client.get("/legal/outreach/report/", {"month": "2020-01"}).context["report"]
    assert (
        earlier["events"] == 0
        and "本月没有送法活动" in client.get("/legal/outreach/report/?month=2020-01").content.decode()
    )
    client.force_login(seats["police"].user)
    assert client.get("/legal/outreach/report/").status_code == 403
