"""微心愿: recorded, then fulfilled or declined with a reason, once."""

import pytest

from yimen.core.errors import Conflict, Invalid
from yimen.points import services
from yimen.points.models import Wish


def test_a_wish_is_declined_only_with_a_reason_and_closed_once(seats, homes):
    wish = services.wish_record(actor=seats["gridworker"], household=homes["wang"], text="希望村口装一盏路灯")
    assert wish.village.code == "450324106200" and wish.state == Wish.State.OPEN
    with pytest.raises(Invalid):
        services.wish_close(actor=seats["village"], wish=wish, state=Wish.State.DECLINED, outcome=" ")
    services.wish_close(actor=seats["village"], wish=wish, state=Wish.State.FULFILLED, outcome="村委会已安装路灯")
    with pytest.raises(Conflict):
        services.wish_close(actor=seats["village"], wish=wish, state=Wish.State.DECLINED, outcome="重复")


def test_wishes_are_recorded_on_the_household_page_and_closed_on_the_list(client, seats, homes):
    client.force_login(seats["gridworker"].user)
    client.post(f"/points/households/{homes['wang'].pk}/wishes/", {"text": "希望村口装一盏路灯"})
    wish = Wish.objects.get()
    assert wish.recorded_by == seats["gridworker"]
    assert client.post(f"/points/wishes/{wish.pk}/close/", {"state": "fulfilled", "outcome": "x"}).status_code == 403
    client.force_login(seats["village"].user)
    listed = client.get("/points/wishes/").content.decode()
    assert "希望村口装一盏路灯" in listed and "待认领" in listed
    refused = client.post(f"/points/wishes/{wish.pk}/close/", {"state": "declined", "outcome": ""})
    assert refused.status_code == 422 and "请写明结果或不予办理的理由。" in refused.content.decode()
    client.post(f"/points/wishes/{wish.pk}/close/", {"state": "fulfilled", "outcome": "村委会已安装太阳能路灯"})
    wish.refresh_from_db()
    assert (
        wish.state == Wish.State.FULFILLED
        and "村委会已安装太阳能路灯" in client.get("/points/wishes/").content.decode()
    )
    other = services.wish_record(actor=seats["clerk"], household=homes["xiaotang"], text="修小塘村的桥")
    assert "修小塘村的桥" not in client.get("/points/wishes/").content.decode()  # another village's wish
    assert client.post(f"/points/wishes/{other.pk}/close/", {"state": "fulfilled", "outcome": "x"}).status_code == 404


def test_a_wish_the_village_cannot_meet_becomes_a_case_with_its_code_kept(client, seats, homes):
    from yimen.cases.models import Case

    wish = services.wish_record(actor=seats["gridworker"], household=homes["wang"], text="组里的灌溉水渠垮了一段")
    client.force_login(seats["village"].user)
    opened = client.post(f"/points/wishes/{wish.pk}/case/")
    wish.refresh_from_db()
    case = Case.objects.get(code=wish.case_code)
    assert opened.url == f"/cases/{case.code}/" and wish.state == Wish.State.CASE
    assert case.channel == "grid" and "灌溉水渠" in case.title and case.first_unit == seats["village"].unit
    assert (
        client.post(f"/points/wishes/{wish.pk}/case/", follow=True)
        .content.decode()
        .count("该心愿已办结（已转为案件），不能再处理。")
        == 1
    )
    listed = client.get("/points/wishes/").content.decode()
    assert f'已转为案件 <a href="/cases/{case.code}/">' in listed
