"""值班表: the roster page and API, and an incident declared in a shift paging its commander and
team at once (issue 17 part 1)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from yimen.core.errors import Invalid
from yimen.emergency import selectors, services
from yimen.emergency.models import DutyShift

from .conftest import call

TOWN = "450324106"


def phone(member, number: str):
    member.service_phone = number
    member.save(update_fields=["service_phone"])
    return member


def on_duty_now(seats, commander, members):
    day, shift = selectors.shift_at(timezone.now())
    return DutyShift.objects.create(
        region=seats["emergency"].jurisdiction,
        on=day,
        shift=shift,
        commander=commander,
        set_by=seats["emergency"],
        set_at=timezone.now(),
    ), members


def test_declaring_pages_the_shift_commander_and_team_and_joins_their_units(client, seats, outbox):
    leader = phone(seats["leader"], "13900000001")
    court = phone(seats["court"], "13900000002")
    duty, members = on_duty_now(seats, leader, [court])
    duty.members.set(members)
    made = call(
        client,
        seats["emergency"],
        "post",
        "/api/v1/incidents",
        {"title": "山洪", "kind": "flood", "level": 3, "region": TOWN},
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["commander"] == "leader" and body["on_duty"] == ["court"]
    assert "450324106-court" in body["units"]  # the on-duty member's unit joined the incident
    to_commander = [m for p, m in outbox if p == "13900000001"]
    assert len(to_commander) == 1 and "值班领导" in to_commander[0]
    assert [p for p, _ in outbox].count("13900000002") == 1  # paged once, not again as a unit member
    # The on-duty court handler now sees the incident it was paged for.
    assert call(client, court, "get", f"/api/v1/incidents/{body['id']}").status_code == 200


def test_without_a_roster_the_declaration_still_pages_the_units(client, seats, outbox):
    made = call(
        client,
        seats["emergency"],
        "post",
        "/api/v1/incidents",
        {"title": "火情", "kind": "fire", "level": 4, "region": TOWN},
    )
    assert made.status_code == 201 and made.json()["commander"] is None


@pytest.mark.parametrize(
    ("hour", "day_offset", "shift"), [(9, 0, "day"), (19, 0, "day"), (20, 0, "night"), (3, -1, "night")]
)
def test_the_night_shift_runs_past_midnight(hour, day_offset, shift):
    at = timezone.make_aware(datetime(2026, 12, 3, hour, 30))
    assert selectors.shift_at(at) == (at.date() + timedelta(days=day_offset), shift)


def test_roster_api_sets_replaces_and_refuses(client, seats, outbox):
    today = timezone.localdate().isoformat()
    body = {"on": today, "shift": "night", "commander": seats["zhengfa"].pk, "members": [seats["police"].pk]}
    first = call(client, seats["dispatcher"], "post", "/api/v1/duty-roster", body)
    assert first.status_code == 200, first.json()
    assert first.json()["commander"]["name"] == "zhengfa" and first.json()["version"] == 1
    again = call(client, seats["dispatcher"], "post", "/api/v1/duty-roster", {**body, "members": [seats["court"].pk]})
    assert again.json()["version"] == 2 and [m["name"] for m in again.json()["members"]] == ["court"]
    stale = call(client, seats["dispatcher"], "post", "/api/v1/duty-roster", {**body, "version": 1})
    assert stale.status_code == 409
    assert call(client, seats["leader"], "get", "/api/v1/duty-roster?from=9999-12-31").status_code == 422
    listed = call(client, seats["leader"], "get", f"/api/v1/duty-roster?from={today}&days=1").json()
    assert [(s["shift"], s["commander"]["name"]) for s in listed] == [("night", "zhengfa")]
    past = (timezone.localdate() - timedelta(days=2)).isoformat()  # that night shift ended yesterday
    refused = call(client, seats["dispatcher"], "post", "/api/v1/duty-roster", {**body, "on": past})
    assert refused.status_code == 422 and "on" in refused.json()["errors"]
    far = call(client, seats["dispatcher"], "post", "/api/v1/duty-roster", {**body, "on": "9999-12-31"})
    assert far.status_code == 422 and "on" in far.json()["errors"]
    empty = call(client, seats["dispatcher"], "post", "/api/v1/duty-roster", {**body, "members": []})
    assert empty.status_code == 422
    assert call(client, seats["police"], "post", "/api/v1/duty-roster", body).status_code == 403


def test_a_member_outside_the_jurisdiction_cannot_stand_a_shift(seats):
    from tests.factories import MembershipFactory

    stranger = MembershipFactory()
    with pytest.raises(Invalid) as refused:
        services.duty_shift_set(
            actor=seats["dispatcher"],
            on=timezone.localdate(),
            shift="day",
            commander=stranger.pk,
            members=[seats["police"].pk],
        )
    assert "commander" in refused.value.errors


def test_roster_page_shows_the_week_and_sets_a_shift(client, seats, django_assert_max_num_queries):
    client.force_login(seats["dispatcher"].user)
    page = client.get("/emergency/roster/")
    assert page.status_code == 200 and page.content.decode().count("未排班") == 14
    assert client.get("/emergency/roster/?from=9999-12-31").status_code == 200  # the week from today
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    sent = client.post(
        "/emergency/roster/set/",
        {"on": tomorrow, "shift": "day", "commander": seats["leader"].pk, "members": [seats["police"].pk]},
    )
    assert sent.status_code == 302
    with django_assert_max_num_queries(12):
        shown = client.get(sent.url)
    text = shown.content.decode()
    assert "值班领导 leader" in text and text.count("未排班") == 13
    bad = client.post("/emergency/roster/set/", {"on": tomorrow, "shift": "day", "commander": "", "members": []})
    assert bad.status_code == 422 and "请至少安排一名值班人员" in bad.content.decode()
    client.force_login(seats["police"].user)
    assert "roster-form" not in client.get("/emergency/roster/").content.decode()  # reads, does not keep
    assert client.post("/emergency/roster/set/", {}).status_code == 403
