"""The 快警站's call list (add, remove with a reason kept, only those on it alerted) and the
retention of unclaimed found items (民法典 art. 318: a year after the notice, handed over with a
record of to whom and who signed)."""

from datetime import timedelta

from django.utils import timezone

from yimen.emergency import services
from yimen.emergency.models import LostItem

from .conftest import call


def found_item(seats, description="黑色双肩包", age_days=0) -> LostItem:
    item = services.lost_item_record(
        actor=seats["kuaijing"], kind="found", description=description, place="广场", at=timezone.now()
    )
    LostItem.objects.filter(pk=item.pk).update(registered_at=timezone.now() - timedelta(days=age_days))
    item.refresh_from_db()
    return item


def missing(client, seats):
    body = {"name": "唐某", "description": "灰衣", "last_seen_at": timezone.now().isoformat(), "place": "村口"}
    return call(client, seats["kuaijing"], "post", "/api/v1/missing-persons", body)


def test_a_removed_member_keeps_the_reason_and_hears_no_more(client, seats, outbox):
    url = "/api/v1/station/call-list"
    kept = call(client, seats["kuaijing"], "post", url, {"name": "保安甲", "phone": "13977360001", "note": "景区保安"})
    gone = call(client, seats["kuaijing"], "post", url, {"name": "保安乙", "phone": "13977360002"})
    assert kept.status_code == gone.status_code == 201 and kept.json()["phone"] == "139****0001"
    bad = call(client, seats["kuaijing"], "post", url, {"name": "丙", "phone": "12345"})
    assert bad.status_code == 422 and "phone" in bad.json()["errors"]
    remove = f"{url}/{gone.json()['id']}/remove"
    assert call(client, seats["kuaijing"], "post", remove, {"reason": " "}).status_code == 422
    removed = call(client, seats["kuaijing"], "post", remove, {"reason": "调离景区"})
    assert removed.status_code == 200 and removed.json()["removed_reason"] == "调离景区"
    assert call(client, seats["kuaijing"], "post", remove, {"reason": "再次"}).status_code == 409
    assert missing(client, seats).json()["alerted"] == 1
    assert [phone for phone, _ in outbox] == ["13977360001"]
    listed = call(client, seats["dispatcher"], "get", url).json()  # the centre reads the list
    assert {e["name"]: e["removed_reason"] for e in listed} == {"保安甲": "", "保安乙": "调离景区"}
    assert call(client, seats["dispatcher"], "post", url, {"name": "丁", "phone": "13977360003"}).status_code == 403


def test_the_call_list_page_adds_and_removes_with_a_reason(client, seats, outbox):
    client.force_login(seats["kuaijing"].user)
    bad = client.post("/station/call-list/add/", {"name": "联防队员", "phone": "abc"})
    assert bad.status_code == 422 and "联防队员" in bad.content.decode()
    assert client.post("/station/call-list/add/", {"name": "联防队员", "phone": "13977360009"}).status_code == 302
    entry = services.call_list_add(actor=seats["kuaijing"], name="志愿者", phone="13977360010")
    blank = client.post(f"/station/call-list/{entry.pk}/remove/", {"reason": ""}, follow=True)
    assert "请填写移出原因" in blank.content.decode()
    client.post(f"/station/call-list/{entry.pk}/remove/", {"reason": "本人申请退出"})
    page = client.get("/station/call-list/").content.decode()
    assert "本人申请退出" in page and "139****0009" in page
    client.force_login(seats["court"].user)
    assert client.get("/station/call-list/").status_code == 403


def test_a_found_item_is_due_for_hand_over_after_a_year(client, seats):
    young = found_item(seats, "红色雨伞", age_days=364)
    old = found_item(seats, "黑色双肩包", age_days=366)
    services.lost_item_record(actor=seats["kuaijing"], kind="lost", description="钱包", place="广场", at=timezone.now())
    due = call(client, seats["kuaijing"], "get", "/api/v1/lost-items/due").json()
    assert [i["id"] for i in due] == [old.pk]
    early = call(
        client,
        seats["kuaijing"],
        "post",
        f"/api/v1/lost-items/{young.pk}/hand-over",
        {"to": "县财政局", "signed_by": "李"},
    )
    assert early.status_code == 409 and "三百一十八" in early.json()["detail"]
    url = f"/api/v1/lost-items/{old.pk}/hand-over"
    assert call(client, seats["kuaijing"], "post", url, {"to": "县财政局", "signed_by": ""}).status_code == 422
    done = call(client, seats["kuaijing"], "post", url, {"to": "全州县财政局", "signed_by": "李会计"})
    assert done.status_code == 200, done.json()
    assert done.json()["state"] == "handed_over" and done.json()["handed_signed_by"] == "李会计"
    assert call(client, seats["kuaijing"], "get", "/api/v1/lost-items/due").json() == []
    # Handed over, it can no longer be returned to a claimant.
    back = call(
        client, seats["kuaijing"], "post", f"/api/v1/lost-items/{old.pk}/return", {"to_name": "x", "id_checked": True}
    )
    assert back.status_code == 409


def test_the_retention_page_lists_due_items_and_records_the_hand_over(client, seats, django_assert_max_num_queries):
    for n in range(3):
        found_item(seats, f"无人认领的雨伞{n}", age_days=400)
    client.force_login(seats["kuaijing"].user)
    station = client.get("/station/").content.decode()
    assert "3 件待上交" in station
    with django_assert_max_num_queries(10):
        page = client.get("/station/retention/")
    assert page.content.decode().count("登记上交") == 3
    item = LostItem.objects.filter(description="无人认领的雨伞0").get()
    refused = client.post(f"/station/items/{item.pk}/hand-over/", {f"h{item.pk}-to": "全州县财政局"})
    assert refused.status_code == 422 and "全州县财政局" in refused.content.decode()
    client.post(
        f"/station/items/{item.pk}/hand-over/", {f"h{item.pk}-to": "全州县财政局", f"h{item.pk}-signed_by": "李会计"}
    )
    text = client.get("/station/retention/").content.decode()
    assert "全州县财政局（李会计 签收" in text and text.count("登记上交") == 2
