"""The 快警站: lost and found with matching and ID-checked return; missing persons with alerts."""

from datetime import timedelta

from django.utils import timezone

from yimen.emergency import services

from .conftest import call


def record(client, member, kind, description, place="才湾圩", at=None):
    at = (at or timezone.now()).isoformat()
    body = {"kind": kind, "description": description, "place": place, "at": at}
    return call(client, member, "post", "/api/v1/lost-items", body)


def test_matching_finds_the_found_wallet_not_the_umbrella(client, seats):
    lost = record(client, seats["kuaijing"], "lost", "黑色皮钱包，内有身份证")
    assert lost.status_code == 201
    wallet = record(client, seats["kuaijing"], "found", "黑色钱包一个").json()
    record(client, seats["kuaijing"], "found", "蓝色雨伞")
    record(client, seats["kuaijing"], "lost", "黑色钱包")  # same kind: never a candidate
    old = timezone.now() - timedelta(days=90)
    record(client, seats["kuaijing"], "found", "黑色钱包", at=old)  # outside the window
    matches = call(client, seats["kuaijing"], "get", f"/api/v1/lost-items/{lost.json()['id']}/matches").json()
    assert [m["id"] for m in matches] == [wallet["id"]]


def test_return_needs_the_id_checked(client, seats):
    item = record(client, seats["kuaijing"], "found", "手机").json()
    url = f"/api/v1/lost-items/{item['id']}/return"
    refused = call(client, seats["kuaijing"], "post", url, {"to_name": "唐某", "id_checked": False})
    assert refused.status_code == 422 and "id_checked" in refused.json()["errors"]
    done = call(client, seats["kuaijing"], "post", url, {"to_name": "唐某", "id_checked": True})
    assert done.status_code == 200 and done.json()["state"] == "returned"
    assert call(client, seats["kuaijing"], "post", url, {"to_name": "唐某", "id_checked": True}).status_code == 409


def test_lost_and_found_is_the_police_and_centre_only(client, seats):
    assert record(client, seats["emergency"], "lost", "钱包").status_code == 403
    assert record(client, seats["gridworker"], "lost", "钱包").status_code == 403
    item = record(client, seats["police"], "lost", "钱包").json()
    assert call(client, seats["court"], "get", f"/api/v1/lost-items/{item['id']}/matches").status_code == 403
    assert call(client, seats["dispatcher"], "get", f"/api/v1/lost-items/{item['id']}/matches").status_code == 200


def test_missing_person_alerts_the_call_list_and_times_the_search(client, seats, outbox):
    for n in range(3):
        services.call_list_add(actor=seats["kuaijing"], name=f"联防队员{n}", phone=f"1390000000{n}")
    body = {
        "name": "唐阿婆",
        "description": "78岁，灰色上衣",
        "last_seen_at": timezone.now().isoformat(),
        "place": "才湾村口",
    }
    made = call(client, seats["kuaijing"], "post", "/api/v1/missing-persons", body)
    assert made.status_code == 201 and made.json()["alerted"] == 3
    assert {phone for phone, _ in outbox} == {"13900000000", "13900000001", "13900000002"}
    assert all("唐阿婆" in message for _, message in outbox)
    found = call(
        client, seats["kuaijing"], "post", f"/api/v1/missing-persons/{made.json()['id']}/found", {"note": "在邻村找到"}
    )
    assert found.status_code == 200 and found.json()["state"] == "found"
    assert found.json()["minutes_to_find"] == 0


def test_the_dashboard_shows_the_stations_day(client, seats):
    services.tourist_help_record(actor=seats["kuaijing"], kind="directions")
    services.tourist_help_record(actor=seats["kuaijing"], kind="first_aid")
    item = services.lost_item_record(
        actor=seats["kuaijing"], kind="found", description="钱包", place="广场", at=timezone.now()
    )
    services.lost_item_return(actor=seats["kuaijing"], item=item, to_name="唐某", id_checked=True)
    client.force_login(seats["leader"].user)
    card = client.get("/dashboard/").content.decode()
    assert 'data-testid="station-day"' in card
    assert "服务游客 <strong>2</strong> 次" in card and "发还物品 <strong>1</strong> 件" in card


def test_matching_counts_latin_words_case_aside(seats):
    from yimen.emergency import selectors

    lost = services.lost_item_record(
        actor=seats["kuaijing"], kind="lost", description="iPhone 手机", place="广场", at=timezone.now()
    )
    found = services.lost_item_record(
        actor=seats["kuaijing"], kind="found", description="IPHONE 黑色", place="停车场", at=timezone.now()
    )
    services.lost_item_record(
        actor=seats["kuaijing"], kind="found", description="雨伞", place="广场", at=timezone.now()
    )
    assert [item.pk for item, _ in selectors.lost_item_matches(seats["kuaijing"], lost)] == [found.pk]
