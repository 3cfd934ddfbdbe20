"""村民议事 (issue 16 part 5): a meeting held, its agenda from the open wishes, decisions with owners."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yimen.points import services
from yimen.points.models import Meeting

pytestmark = pytest.mark.django_db


def form(**changes) -> dict:
    body = {
        "kind": "courtyard",
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "place": "才湾村3组唐家院坝",
        "attendance": "23",
        "notes": "",
        "decision_0": "村口路灯由村集体出资安装",
        "owner_0": "村主任",
    }
    return {**body, **changes}


def test_a_meeting_takes_open_wishes_as_its_agenda_and_names_owners(client, seats, homes):
    light = services.wish_record(actor=seats["gridworker"], household=homes["wang"], text="村口装一盏路灯")
    other = services.wish_record(actor=seats["clerk"], household=homes["xiaotang"], text="修小塘村的桥")
    client.force_login(seats["village"].user)
    page = client.get("/points/meetings/new/").content.decode()
    assert "村口装一盏路灯" in page and "修小塘村的桥" not in page  # only this village's open wishes
    ownerless = client.post("/points/meetings/new/", form(owner_0="", wishes=[str(light.pk)]))
    html = ownerless.content.decode()
    assert ownerless.status_code == 422 and "每项议定事项都须写明负责人。" in html
    assert 'value="才湾村3组唐家院坝"' in html and "checked" in html  # nothing typed is lost
    foreign = client.post("/points/meetings/new/", form(wishes=[str(other.pk)]))
    assert foreign.status_code == 422 and "议题只能选本村待认领的微心愿。" in foreign.content.decode()
    client.post("/points/meetings/new/", form(wishes=[str(light.pk)]))
    meeting = Meeting.objects.get()
    assert list(meeting.wishes.all()) == [light] and meeting.decisions.get().owner == "村主任"
    listed = client.get("/points/meetings/").content.decode()
    assert "院坝会" in listed and "村口装一盏路灯" in listed and "负责人：村主任" in listed


def test_only_meetings_held_are_recorded_and_only_by_the_village(client, seats, homes):
    client.force_login(seats["village"].user)
    ahead = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    planned = client.post("/points/meetings/new/", form(held_at=ahead))
    assert planned.status_code == 422 and "只记录已召开的会议。" in planned.content.decode()
    client.force_login(seats["gridworker"].user)
    assert client.get("/points/meetings/new/").status_code == 403
    assert client.get("/points/meetings/").status_code == 200


def test_the_village_report_counts_participation_and_fulfilled_wishes_not_entries_per_worker(client, seats, homes):
    from .conftest import award

    award(seats, homes["wang"], rule="vir-volunteer")
    award(seats, homes["wang"], rule="san-yard")
    done = services.wish_record(actor=seats["gridworker"], household=homes["li"], text="村口装路灯")
    services.wish_close(actor=seats["village"], wish=done, state="fulfilled", outcome="已安装太阳能路灯")
    services.wish_record(actor=seats["gridworker"], household=homes["li"], text="修水渠")
    client.force_login(seats["village"].user)
    page = client.get("/points/report/").content.decode()
    assert "1 / 2" in page  # one of 才湾村's two households took part; one of two wishes came true
    assert "已安装太阳能路灯" in page and seats["gridworker"].user.name not in page
    assert client.get("/points/report/", {"month": "2026-00"}).status_code == 422
