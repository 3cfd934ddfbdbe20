"""The API for the field and the station (issue 17 parts 2, 7, 8): the tasked unit accepts its
task and reports progress with a photo and its position; sightings on a search; the station's
one-tap tourist help and its day figures."""

import base64
from datetime import timedelta

from django.utils import timezone

from yimen.emergency import services
from yimen.emergency.models import TaskProgress

from .conftest import call

POLICE = "450324106-police"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def tasked(seats):
    incident = services.incident_declare(
        actor=seats["emergency"], title="唐某上山未归", kind="missing", level=4, region="450324106", units=[POLICE]
    )
    task = services.incident_task_create(
        actor=seats["emergency"],
        incident=incident,
        unit=POLICE,
        title="沿山路搜寻",
        due_at=timezone.now() + timedelta(hours=2),
    )
    return f"/api/v1/incidents/{incident.pk}/tasks/{task.pk}"


def test_the_tasked_unit_accepts_then_reports_progress_with_photo_and_position(client, seats, outbox, media):
    url = tasked(seats)
    assert call(client, seats["emergency"], "post", f"{url}/accept").status_code == 403  # not its task
    accepted = call(client, seats["police"], "post", f"{url}/accept")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    again = call(client, seats["police"], "post", f"{url}/accept")
    assert again.status_code == 409 and "执行中" in again.json()["detail"]
    body = {
        "note": "已搜到半山腰，发现脚印",
        "photo": "data:image/jpeg;base64," + base64.b64encode(JPEG).decode(),
        "location": {"lat": 25.861, "lng": 110.982},
    }
    made = call(client, seats["police"], "post", f"{url}/progress", body)
    assert made.status_code == 201, made.json()
    assert made.json()["photo"] is True and made.json()["lat"] == 25.861
    row = TaskProgress.objects.get()
    assert row.photo.read() == JPEG  # kept through the sealed storage
    detail = call(client, seats["emergency"], "get", url.rsplit("/tasks", 1)[0]).json()
    assert detail["tasks"][0]["state"] == "accepted" and detail["tasks"][0]["overdue"] is False
    done = call(client, seats["police"], "post", f"{url}/done", {"note": "人已找到"})
    assert done.status_code == 200 and done.json()["state"] == "done"
    late = call(client, seats["police"], "post", f"{url}/progress", {"note": "再报"})
    assert late.status_code == 409


def test_progress_refuses_bad_input_and_other_units(client, seats, outbox, media):
    url = tasked(seats)
    not_a_photo = {"note": "进展", "photo": base64.b64encode(b"GIF89a....").decode()}
    refused = call(client, seats["police"], "post", f"{url}/progress", not_a_photo)
    assert refused.status_code == 422 and refused.json()["errors"]["photo"] == ["第 1 张不是 JPEG 或 PNG 图片。"]
    garbage = call(client, seats["police"], "post", f"{url}/progress", {"note": "进展", "photo": "%%%"})
    assert garbage.status_code == 422
    off_map = call(
        client, seats["police"], "post", f"{url}/progress", {"note": "进展", "location": {"lat": 99, "lng": 0}}
    )
    assert off_map.status_code == 422
    assert call(client, seats["emergency"], "post", f"{url}/progress", {"note": "我来报"}).status_code == 403
    assert call(client, seats["court"], "post", f"{url}/progress", {"note": "x"}).status_code == 404  # not in it
    assert not TaskProgress.objects.exists()


def test_sightings_on_an_open_search(client, seats, outbox):
    person = services.missing_person_report(
        actor=seats["kuaijing"], name="唐阿婆", description="78岁", last_seen_at=timezone.now(), place="才湾村口"
    )
    url = f"/api/v1/missing-persons/{person.pk}/sightings"
    seen = {"place": "小塘村桥头", "at": timezone.now().isoformat(), "note": "村民看到往山上走"}
    made = call(client, seats["kuaijing"], "post", url, seen)
    assert made.status_code == 201 and made.json()["place"] == "小塘村桥头"
    future = {**seen, "at": (timezone.now() + timedelta(hours=1)).isoformat()}
    refused = call(client, seats["kuaijing"], "post", url, future)
    assert refused.status_code == 422 and "at" in refused.json()["errors"]
    assert call(client, seats["dispatcher"], "post", url, seen).status_code == 403  # the centre reads only
    assert call(client, seats["court"], "post", url, seen).status_code == 403
    services.missing_person_found(actor=seats["kuaijing"], person=person, note="找到")
    assert call(client, seats["kuaijing"], "post", url, seen).status_code == 409


def test_tourist_help_counts_in_the_day_figures(client, seats, outbox):
    for kind in ("directions", "directions", "first_aid"):
        assert call(client, seats["kuaijing"], "post", "/api/v1/station/help", {"kind": kind}).status_code == 201
    assert call(client, seats["kuaijing"], "post", "/api/v1/station/help", {"kind": "taxi"}).status_code == 422
    assert call(client, seats["emergency"], "post", "/api/v1/station/help", {"kind": "directions"}).status_code == 403
    item = services.lost_item_record(
        actor=seats["kuaijing"], kind="found", description="手机", place="才湾圩", at=timezone.now()
    )
    services.lost_item_return(actor=seats["kuaijing"], item=item, to_name="唐某", id_checked=True)
    today = call(client, seats["kuaijing"], "get", "/api/v1/station/day").json()
    assert today["services"] == 3 and today["items_returned"] == 1 and today["items_registered"] == 1
    assert today["date"] == timezone.localdate().isoformat()
    # The centre reads the same figures; another day has none; a bad date is a 422.
    assert call(client, seats["dispatcher"], "get", "/api/v1/station/day").json()["services"] == 3
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert call(client, seats["kuaijing"], "get", f"/api/v1/station/day?date={yesterday}").json()["services"] == 0
    assert call(client, seats["kuaijing"], "get", "/api/v1/station/day?date=2026-13-01").status_code == 422
    assert call(client, seats["court"], "get", "/api/v1/station/day").status_code == 403


def test_resources_through_the_api(client, seats, outbox):
    made = call(
        client,
        seats["emergency"],
        "post",
        "/api/v1/resources",
        {"kind": "team", "name": "联防巡逻队", "quantity": 308, "place": "镇综治中心"},
    )
    assert made.status_code == 201 and made.json()["incident"] is None
    rid = made.json()["id"]
    assert (
        call(
            client,
            seats["police"],
            "post",
            "/api/v1/resources",
            {"kind": "team", "name": "x", "quantity": 1, "place": "y"},
        ).status_code
        == 403
    )
    url = tasked(seats).rsplit("/tasks", 1)[0]
    sent = call(client, seats["emergency"], "post", f"{url}/resources", {"resource": rid})
    assert sent.status_code == 201 and sent.json()["incident"] == int(url.rsplit("/", 1)[1])
    assert call(client, seats["emergency"], "post", f"{url}/resources", {"resource": rid}).status_code == 409
    assert call(client, seats["emergency"], "post", f"{url}/resources", {"resource": 999999}).status_code == 404
    listed = call(client, seats["police"], "get", "/api/v1/resources").json()
    assert [r["incident"] for r in listed] == [sent.json()["incident"]]
    freed = call(client, seats["emergency"], "post", f"{url}/resources/{rid}/release")
    assert freed.status_code == 200 and freed.json()["incident"] is None
    assert call(client, seats["emergency"], "post", f"{url}/resources/{rid}/release").status_code == 409
