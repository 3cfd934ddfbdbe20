"""排送点餐: the menu (排餐, public page and API), an order by the village (点餐: gridchief,
village; others 403), the talk delivered on the order (送餐: judicial, adviser) and its
attendance; bad input 422."""

from datetime import timedelta

from django.utils import timezone

from yimen.cases.tests.test_api import bearer
from yimen.legal.models import OutreachOrder

VILLAGE = "450324106200"


def post(client, member, path, body):
    return client.post(path, body, content_type="application/json", headers=bearer(member))


def test_the_menu_is_public_and_in_the_api(client, seats):
    page = client.get("/public/outreach/")
    assert page.status_code == 200 and "防范电信网络诈骗与养老诈骗" in page.content.decode()
    menu = client.get("/api/v1/outreach/menu", headers=bearer(seats["gridworker"])).json()
    assert {"id", "title", "season", "audience", "summary"} == set(menu[0]) and len(menu) >= 6


def test_order_deliver_and_attend(client, seats, time_machine):
    wanted = (timezone.localdate() + timedelta(days=10)).isoformat()
    body = {"village": VILLAGE, "topic": "防范养老诈骗", "wanted_by": wanted}
    for who in ("gridworker", "police", "judicial"):
        assert post(client, seats[who], "/api/v1/outreach/orders", body).status_code == 403, who
    ordered = post(client, seats["gridchief"], "/api/v1/outreach/orders", body)
    assert ordered.status_code == 201 and ordered.json()["state"] == "ordered"
    assert post(client, seats["village"], "/api/v1/outreach/orders", body).status_code == 201
    elsewhere = post(client, seats["gridchief"], "/api/v1/outreach/orders", {**body, "village": "450324106201"})
    assert elsewhere.status_code == 422 and "village" in elsewhere.json()["errors"]
    past = post(client, seats["gridchief"], "/api/v1/outreach/orders", {**body, "wanted_by": "2020-01-01"})
    assert past.status_code == 422 and "wanted_by" in past.json()["errors"]

    at = (timezone.now() + timedelta(days=3)).isoformat()
    event = {
        "topic": "防范养老诈骗",
        "place": "才湾村委会",
        "at": at,
        "speakers": ["韦志坚"],
        "order": ordered.json()["id"],
    }
    assert post(client, seats["gridchief"], "/api/v1/outreach/events", event).status_code == 403
    given = post(client, seats["adviser"], "/api/v1/outreach/events", event)
    assert given.status_code == 201 and given.json()["order"] == ordered.json()["id"]
    assert OutreachOrder.objects.get(pk=ordered.json()["id"]).state == "delivered"
    assert post(client, seats["judicial"], "/api/v1/outreach/events", event).status_code == 409
    assert (
        post(client, seats["judicial"], "/api/v1/outreach/events", {**event, "order": None, "speakers": []}).status_code
        == 422
    )

    path = f"/api/v1/outreach/events/{given.json()['id']}/attendance"
    early = post(client, seats["adviser"], path, {"count": 40, "feedback": "好"})
    assert early.status_code == 409
    time_machine.move_to(timezone.now() + timedelta(days=4))
    attended = post(client, seats["judicial"], path, {"count": 46, "feedback": "群众反映案例贴近生活"})
    assert attended.status_code == 200 and attended.json()["attendance"] == 46
    assert post(client, seats["judicial"], path, {"count": -1}).status_code == 422
    # The slips' average is any number: kept to one decimal, half up, as the reports show it.
    rated = post(client, seats["judicial"], path, {"count": 46, "feedback": "", "rating": 4.25})
    assert rated.status_code == 200 and rated.json()["rating"] == "4.3"
    too_high = post(client, seats["judicial"], path, {"count": 46, "feedback": "", "rating": 5.2})
    assert too_high.status_code == 422 and "rating" in too_high.json()["errors"]
    assert post(client, seats["judicial"], "/api/v1/outreach/events/999999/attendance", {"count": 1}).status_code == 404


def test_the_month_report_counts_talks_people_and_orders(client, seats):
    wanted = (timezone.localdate() + timedelta(days=10)).isoformat()
    order = post(
        client,
        seats["gridchief"],
        "/api/v1/outreach/orders",
        {"village": VILLAGE, "topic": "防诈骗", "wanted_by": wanted},
    )
    post(
        client,
        seats["village"],
        "/api/v1/outreach/orders",
        {"village": VILLAGE, "topic": "土地承包", "wanted_by": wanted},
    )
    held = timezone.now() - timedelta(minutes=5)
    event = {
        "topic": "防诈骗",
        "place": "才湾村文化室",
        "at": held.isoformat(),
        "speakers": ["韦志坚"],
        "order": order.json()["id"],
    }
    given = post(client, seats["adviser"], "/api/v1/outreach/events", event).json()
    post(client, seats["adviser"], f"/api/v1/outreach/events/{given['id']}/attendance", {"count": 30, "feedback": ""})
    month = timezone.localdate().strftime("%Y-%m")
    report = client.get("/api/v1/outreach/report", {"month": month}, headers=bearer(seats["judicial"])).json()
    assert report == {
        "month": month,
        "events": 1,
        "attendance": 30,
        "ordered_events": 1,
        "rating": None,
        "rated": 0,
        "orders": 2,
        "scheduled": 0,
        "scheduled_on_time": 0,
        "delivered": 1,
        "on_time": 1,
        "by_topic": [{"topic": "防诈骗", "events": 1, "attendance": 30}],
        "by_village": [{"village": "才湾村", "events": 1, "attendance": 30, "rating": None}],
    }
    # The grid chief who ordered reads whether the village's talks came; the police do not order.
    village = client.get("/api/v1/outreach/report", {"month": month}, headers=bearer(seats["gridchief"])).json()
    assert village["events"] == 1 and village["by_village"][0]["village"] == "才湾村"
    assert client.get("/api/v1/outreach/report", {"month": month}, headers=bearer(seats["police"])).status_code == 403
