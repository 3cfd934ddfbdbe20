"""吹哨报到 (issue 14 part 5; API.md "吹哨报到"): blow, arrive once, rate after arrival, release
with a reason; late arrivals feed 催办; summoned units see the case; every refusal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yimen.cases import selectors, services
from yimen.cases.models import Case, Notification, TimelineEvent, WhistleCall
from yimen.cases.tests.conftest import JUDICIAL, POLICE, VILLAGE, case_in
from yimen.cases.tests.test_api import bearer
from yimen.core.errors import Conflict, Invalid, NotAllowed
from yimen.org.models import Unit

OTHER_VILLAGE = "450324106201-village"  # 小塘村委会: the case lies in 才湾村


def blow(case, actor, units=(POLICE, JUDICIAL, VILLAGE), minutes=30, **fields):
    values = {"place": "才湾村唐家老屋前", "reason": "叔侄两家再起冲突，需多部门到场", "arrive_within_minutes": minutes}
    values.update(fields)
    return services.whistle_blow(case=case, actor=actor, units=list(units), **values)


@pytest.fixture
def case(seats):
    """A dispatched dispute in 才湾村: police lead, judicial support, the village not assigned."""
    return case_in("dispatched", seats)


def events(case, action):
    return list(TimelineEvent.objects.filter(case=case, action=action))


def test_zhengfa_blows_and_each_unit_gets_its_clock(case, seats):
    version = Case.objects.get(pk=case.pk).version
    whistle = blow(case, seats["zhengfa"])
    calls = {c.unit.code: c for c in whistle.calls.all()}
    assert set(calls) == {POLICE, JUDICIAL, VILLAGE}
    assert all(c.due_at == whistle.summoned_at + timedelta(minutes=30) for c in calls.values())
    assert whistle.is_open and whistle.summoned_by_unit == seats["zhengfa"].unit
    [event] = events(case, "whistle")
    assert event.unit == seats["zhengfa"].unit and "唐家老屋前" in event.note
    # Beside the case, not on it: a handler's form drawn before the whistle is not stale.
    assert Case.objects.get(pk=case.pk).version == version


def test_dispatcher_blows_too_but_not_a_handler_or_the_leader(case, seats):
    assert blow(case, seats["dispatcher"], units=[VILLAGE]).calls.count() == 1
    for who in ("police", "leader", "supervisor"):
        with pytest.raises(NotAllowed):
            blow(case, seats[who])


def test_blow_outside_the_jurisdiction_is_403(case, seats):
    from yimen.geo.models import Region

    zhengfa = seats["zhengfa"]
    zhengfa.jurisdiction = Region.objects.get(code="450324106201")  # 小塘村 only
    zhengfa.save()
    Case.objects.filter(pk=case.pk).update(first_unit=Unit.objects.get(code=POLICE))  # not the centre's
    with pytest.raises(NotAllowed, match="管辖范围"):
        blow(Case.objects.get(pk=case.pk), zhengfa)


@pytest.mark.parametrize("state", ["registered", "in_progress", "replied"])
def test_whistles_on_active_cases(state, seats):
    assert blow(case_in(state, seats), seats["zhengfa"]).pk


@pytest.mark.parametrize("state", ["closed", "declined", "archived"])
def test_whistle_on_a_case_not_active_is_409(state, seats):
    with pytest.raises(Conflict, match="不能吹哨"):
        blow(case_in(state, seats), seats["zhengfa"])


def test_blow_fields_are_checked_in_chinese(case, seats):
    with pytest.raises(Invalid) as refused:
        blow(case, seats["zhengfa"], units=[], place="  ", reason="", minutes=3)
    assert set(refused.value.errors) == {"units", "place", "reason", "arrive_within_minutes"}
    assert refused.value.errors["place"] == ["请填写报到地点。"]
    for minutes in (4, 1441):
        with pytest.raises(Invalid):
            blow(case, seats["zhengfa"], minutes=minutes)
    assert blow(case, seats["zhengfa"], minutes=1440).arrive_within_minutes == 1440
    assert not events(case, "whistle")[1:]


def test_only_active_units_of_the_case_area_are_summoned(case, seats, persona):
    persona("gridworker2")  # seats 小塘村委会
    with pytest.raises(Invalid, match="信息有误") as refused:
        blow(case, seats["zhengfa"], units=[POLICE, OTHER_VILLAGE])
    assert OTHER_VILLAGE in refused.value.errors["units"][0]
    Unit.objects.filter(code=JUDICIAL).update(is_active=False)
    with pytest.raises(Invalid):
        blow(case, seats["zhengfa"], units=[JUDICIAL])


def test_units_arrive_once_each_and_late_is_flagged(case, seats):
    whistle = blow(case, seats["zhengfa"])
    police = services.whistle_arrive(whistle=whistle, actor=seats["police"], location={"lat": 25.86, "lng": 110.99})
    assert police.arrived_at and not police.late and (police.lat, police.lng) == (25.86, 110.99)
    # Two units arriving at once do not refuse each other: no case version is taken.
    services.whistle_arrive(whistle=whistle, actor=seats["judicial"])
    with pytest.raises(Conflict, match="已报到过"):
        services.whistle_arrive(whistle=whistle, actor=seats["police"])
    WhistleCall.objects.filter(whistle=whistle, unit__code=VILLAGE).update(due_at=timezone.now() - timedelta(minutes=1))
    village = services.whistle_arrive(whistle=whistle, actor=seats["gridchief"])
    assert village.late
    assert [e.data["late"] for e in events(case, "arrive")] == [False, False, True]


def test_a_late_arrival_feeds_urge_once(case, seats):
    whistle = blow(case, seats["zhengfa"], units=[VILLAGE])
    WhistleCall.objects.filter(whistle=whistle).update(due_at=timezone.now() - timedelta(minutes=5))
    services.whistle_arrive(whistle=whistle, actor=seats["gridchief"])
    notices = Notification.objects.filter(unit=seats["gridchief"].unit, case=case)
    assert [n.text[:12] for n in notices] == ["催办（吹哨报到）：才湾村"[:12]]
    assert "迟到" in notices.get().text
    assert services.whistle_sweep() == 0  # already told


def test_the_sweep_urges_units_still_missing_past_due(case, seats):
    whistle = blow(case, seats["zhengfa"], units=[POLICE, JUDICIAL])
    services.whistle_arrive(whistle=whistle, actor=seats["police"])
    assert services.whistle_sweep() == 0  # nobody late yet
    later = timezone.now() + timedelta(minutes=31)
    assert services.whistle_sweep(now=later) == 1
    notice = Notification.objects.get(unit__code=JUDICIAL, case=case)
    assert "未按时报到" in notice.text
    assert services.whistle_sweep(now=later) == 0
    assert not Notification.objects.filter(unit__code=POLICE).exists()


def test_a_released_whistle_is_not_swept(case, seats):
    whistle = blow(case, seats["zhengfa"], units=[JUDICIAL])
    services.whistle_release(whistle=whistle, actor=seats["zhengfa"], reason="双方已冷静，改由司法所约谈")
    assert services.whistle_sweep(now=timezone.now() + timedelta(hours=2)) == 0


def test_arrive_by_a_unit_not_summoned_is_refused(case, seats):
    whistle = blow(case, seats["zhengfa"], units=[POLICE])
    # The judicial office is assigned (it sees the case) but not summoned: 403.
    with pytest.raises(NotAllowed, match="不在这次吹哨"):
        services.whistle_arrive(whistle=whistle, actor=seats["judicial"])
    # The dispatcher sees every case of the town, but its unit is not summoned: 403.
    with pytest.raises(NotAllowed):
        services.whistle_arrive(whistle=whistle, actor=seats["dispatcher"])


def test_arrival_on_a_closed_case_is_409(seats):
    case = case_in("in_progress", seats)
    whistle = blow(case, seats["zhengfa"], units=[VILLAGE])
    Case.objects.filter(pk=case.pk).update(state=Case.State.CLOSED)
    with pytest.raises(Conflict):
        services.whistle_arrive(whistle=whistle, actor=seats["gridchief"])


def test_a_bad_location_is_422(case, seats):
    whistle = blow(case, seats["zhengfa"], units=[POLICE])
    for bad in ({"lat": 91, "lng": 110}, {"lat": "北纬", "lng": 110}, {"lat": 25.8}):
        with pytest.raises(Invalid) as refused:
            services.whistle_arrive(whistle=whistle, actor=seats["police"], location=bad)
        assert set(refused.value.errors) == {"location"}
    assert WhistleCall.objects.get(whistle=whistle).arrived_at is None


def test_rating_after_arrival_by_the_summoners_side(case, seats):
    whistle = blow(case, seats["zhengfa"], units=[POLICE, JUDICIAL])
    with pytest.raises(Conflict, match="尚未报到"):
        services.whistle_rate(whistle=whistle, actor=seats["zhengfa"], unit=POLICE, rating=5)
    services.whistle_arrive(whistle=whistle, actor=seats["police"])
    services.whistle_arrive(whistle=whistle, actor=seats["judicial"])
    assert services.whistle_rate(whistle=whistle, actor=seats["zhengfa"], unit=POLICE, rating=5).rating == 5
    # Any dispatcher responsible for the case is on the summoner's side too.
    assert services.whistle_rate(whistle=whistle, actor=seats["dispatcher"], unit=JUDICIAL, rating=4).rating == 4
    with pytest.raises(Conflict, match="已评价过"):
        services.whistle_rate(whistle=whistle, actor=seats["zhengfa"], unit=POLICE, rating=3)
    [first, second] = events(case, "rate_arrival")
    assert (first.data["rating"], second.data["unit"]) == (5, JUDICIAL)


def test_rating_refusals(case, seats):
    whistle = blow(case, seats["zhengfa"], units=[POLICE])
    services.whistle_arrive(whistle=whistle, actor=seats["police"])
    with pytest.raises(NotAllowed):  # the summoned unit does not rate itself
        services.whistle_rate(whistle=whistle, actor=seats["police"], unit=POLICE, rating=5)
    for rating in (0, 6):
        with pytest.raises(Invalid, match="评价有误"):
            services.whistle_rate(whistle=whistle, actor=seats["zhengfa"], unit=POLICE, rating=rating)
    with pytest.raises(Invalid, match="评价的单位"):
        services.whistle_rate(whistle=whistle, actor=seats["zhengfa"], unit=JUDICIAL, rating=5)


def test_release_needs_a_reason_and_happens_once(case, seats):
    whistle = blow(case, seats["zhengfa"])
    with pytest.raises(NotAllowed):
        services.whistle_release(whistle=whistle, actor=seats["police"], reason="我们先走了")
    with pytest.raises(Invalid) as refused:
        services.whistle_release(whistle=whistle, actor=seats["zhengfa"], reason="  ")
    assert refused.value.errors == {"reason": ["请填写撤哨理由。"]}
    released = services.whistle_release(whistle=whistle, actor=seats["zhengfa"], reason="现场已平息，双方同意调解")
    assert not released.is_open and released.release_note == "现场已平息，双方同意调解"
    with pytest.raises(Conflict, match="已撤哨"):
        services.whistle_release(whistle=whistle, actor=seats["dispatcher"], reason="再撤一次")
    assert len(events(case, "release_whistle")) == 1


def test_a_released_whistle_can_still_be_released_after_the_case_closed(seats):
    case = case_in("in_progress", seats)
    whistle = blow(case, seats["zhengfa"], units=[VILLAGE])
    Case.objects.filter(pk=case.pk).update(state=Case.State.CLOSED)
    assert not services.whistle_release(whistle=whistle, actor=seats["zhengfa"], reason="案件已办结").is_open


def test_a_summoned_unit_sees_the_case_and_an_unrelated_one_does_not(seats, persona):
    case = case_in("accepted", seats)
    village = seats["gridchief"]
    village.role = "handler"  # a village handler seat: not jurisdiction-wide
    village.save()
    assert not Case.objects.visible_to(village).filter(pk=case.pk).exists()
    whistle = blow(case, seats["zhengfa"], units=[VILLAGE])
    assert Case.objects.visible_to(village).filter(pk=case.pk).exists()
    services.whistle_release(whistle=whistle, actor=seats["zhengfa"], reason="已处置")
    assert Case.objects.visible_to(village).filter(pk=case.pk).exists()  # released: still held
    other = persona("gridworker2")
    assert not Case.objects.visible_to(other).filter(pk=case.pk).exists()


def test_an_accused_summoned_unit_still_never_sees_the_accusation(seats):
    case = case_in("accepted", seats)
    case.accused_units.add(Unit.objects.get(code=POLICE))
    blow(case, seats["zhengfa"], units=[POLICE])
    assert not Case.objects.visible_to(seats["police"]).filter(pk=case.pk).exists()


def test_whistles_open_for_lists_my_units_open_whistles(case, seats):
    first = blow(case, seats["zhengfa"], units=[POLICE, VILLAGE])
    second = blow(case, seats["zhengfa"], units=[VILLAGE])
    services.whistle_release(whistle=second, actor=seats["zhengfa"], reason="已处置")
    mine = selectors.whistles_open_for(member=seats["police"])
    assert [w.pk for w in mine] == [first.pk] and mine[0].mine.unit.code == POLICE
    assert selectors.whistles_open_for(member=seats["judicial"]) == []
    assert selectors.whistles_open_for(member=seats["auditor"]) == []


def test_case_whistles_open_first_and_flat_cost(case, seats, django_assert_max_num_queries):
    old = blow(case, seats["zhengfa"], units=[POLICE])
    services.whistle_release(whistle=old, actor=seats["zhengfa"], reason="已处置")
    for _ in range(3):
        new = blow(case, seats["zhengfa"])
    with django_assert_max_num_queries(2):
        rows = selectors.case_whistles(case=case)
        assert [len(w.calls.all()) for w in rows] == [3, 3, 3, 1]
    assert rows[0].pk == new.pk and rows[-1].pk == old.pk


# ---------------------------------------------------------------------------------------------
# API


def post(client, member, path, payload):
    return client.post(path, payload, content_type="application/json", headers=bearer(member))


def test_api_story(client, case, seats):
    base = f"/api/v1/cases/{case.code}/whistles"
    payload = {"units": [POLICE, VILLAGE], "place": "唐家老屋前", "reason": "再起冲突", "arrive_within_minutes": 20}
    created = post(client, seats["zhengfa"], base, payload)
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["summoned_at"].endswith("+08:00") and data["open"] is True
    assert [(u["unit"], u["arrived_at"], u["late"]) for u in data["units"]] == [
        (POLICE, None, False),
        (VILLAGE, None, False),
    ]
    path = f"{base}/{data['id']}"
    arrived = post(client, seats["police"], f"{path}/arrive", {"location": {"lat": 25.86, "lng": 110.99}})
    assert arrived.status_code == 200 and arrived.json()["units"][0]["location"] == {"lat": 25.86, "lng": 110.99}
    again = post(client, seats["police"], f"{path}/arrive", {})
    assert again.status_code == 409 and again.json()["code"] == "already_arrived"
    early = post(client, seats["zhengfa"], f"{path}/rate", {"unit": VILLAGE, "rating": 5})
    assert early.status_code == 409 and early.json()["code"] == "not_arrived"
    rated = post(client, seats["zhengfa"], f"{path}/rate", {"unit": POLICE, "rating": 5})
    assert rated.json()["units"][0]["rating"] == 5
    blank = post(client, seats["zhengfa"], f"{path}/release", {"reason": " "})
    assert blank.status_code == 422 and "reason" in blank.json()["errors"]
    released = post(client, seats["zhengfa"], f"{path}/release", {"reason": "现场已平息"})
    assert released.json()["open"] is False and released.json()["release_note"] == "现场已平息"
    listed = client.get(base, headers=bearer(seats["gridchief"]))
    assert listed.status_code == 200 and [w["id"] for w in listed.json()] == [data["id"]]


def test_api_refusals(client, case, seats, persona):
    base = f"/api/v1/cases/{case.code}/whistles"
    payload = {"units": [POLICE], "place": "唐家老屋前", "reason": "再起冲突", "arrive_within_minutes": 20}
    assert post(client, seats["police"], base, payload).status_code == 403
    bad = post(client, seats["zhengfa"], base, {**payload, "arrive_within_minutes": 2, "units": []})
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"units", "arrive_within_minutes"}
    whistle = post(client, seats["zhengfa"], base, payload).json()
    # A unit that neither holds nor was summoned to the case: 404, the case is hidden.
    stranger = persona("gridworker2")
    assert post(client, stranger, f"{base}/{whistle['id']}/arrive", {}).status_code == 404
    # Visible to the dispatcher's seat, but its unit is not summoned: 403.
    assert post(client, seats["dispatcher"], f"{base}/{whistle['id']}/arrive", {}).status_code == 403
    assert post(client, seats["police"], f"{base}/abc/arrive", {}).status_code == 422
    assert post(client, seats["police"], f"{base}/999999/arrive", {}).status_code == 404
    far = post(client, seats["police"], f"{base}/{whistle['id']}/arrive", {"location": {"lat": 99, "lng": 1}})
    assert far.status_code == 422


# ---------------------------------------------------------------------------------------------
# The case page


def page(client, member, case):
    client.force_login(member.user)
    return client.get(f"/cases/{case.code}/").content.decode()


def test_page_blow_with_typed_text_kept_on_refusal(client, case, seats):
    html = page(client, seats["zhengfa"], case)
    assert 'data-testid="whistle-blow"' in html and "才湾村" in html
    refused = client.post(f"/cases/{case.code}/whistles/", {"place": "唐家老屋前", "reason": "", "units": [POLICE]})
    body = refused.content.decode()
    assert refused.status_code == 422 and "请填写吹哨事由。" in body and 'value="唐家老屋前"' in body
    done = client.post(
        f"/cases/{case.code}/whistles/",
        {"place": "唐家老屋前", "reason": "再起冲突", "units": [POLICE, VILLAGE], "arrive_within_minutes": "20"},
    )
    assert done.status_code == 302
    html = page(client, seats["zhengfa"], case)
    assert "未撤哨" in html and html.count('data-testid="whistle-call"') == 2 and "待报到" in html
    assert 'data-testid="whistle-arrive"' not in html  # the centre is not summoned


def test_page_arrive_rate_release(client, case, seats):
    whistle = blow(case, seats["zhengfa"], units=[POLICE, VILLAGE])
    assert 'data-testid="whistle-blow"' not in page(client, seats["police"], case)
    assert 'data-testid="whistle-arrive"' in page(client, seats["police"], case)
    arrived = client.post(f"/cases/{case.code}/whistles/{whistle.pk}/arrive/", {"lat": "25.86", "lng": "110.99"})
    assert arrived.status_code == 302
    html = page(client, seats["police"], case)
    assert "按时报到" in html and 'data-testid="whistle-arrive"' not in html and "whistle-rate" not in html
    html = page(client, seats["zhengfa"], case)
    assert html.count('data-testid="whistle-rate"') == 1  # only the unit that arrived
    assert (
        client.post(f"/cases/{case.code}/whistles/{whistle.pk}/rate/", {"unit": POLICE, "rating": "4"}).status_code
        == 302
    )
    assert "4 分" in page(client, seats["zhengfa"], case)
    refused = client.post(f"/cases/{case.code}/whistles/{whistle.pk}/release/", {"reason": " "})
    assert refused.status_code == 422 and "请填写撤哨理由。" in refused.content.decode()
    ok = client.post(f"/cases/{case.code}/whistles/{whistle.pk}/release/", {"reason": "现场已平息"})
    assert ok.status_code == 302
    html = page(client, seats["zhengfa"], case)
    assert "已撤哨" in html and "现场已平息" in html and "whistle-release" not in html


def test_page_refusals(client, case, seats, persona):
    whistle = blow(case, seats["zhengfa"], units=[POLICE])
    client.force_login(seats["judicial"].user)  # sees the case, not summoned
    refused = client.post(f"/cases/{case.code}/whistles/{whistle.pk}/arrive/", {})
    assert refused.status_code == 403 and "不在这次吹哨" in refused.content.decode()
    assert client.post(f"/cases/{case.code}/whistles/x1/arrive/", {}).status_code == 404
    client.force_login(persona("gridworker2").user)
    assert client.post(f"/cases/{case.code}/whistles/{whistle.pk}/arrive/", {}).status_code == 404
    client.force_login(seats["police"].user)
    assert client.post(f"/cases/{case.code}/whistles/{whistle.pk}/release/", {"reason": "走了"}).status_code == 403


@pytest.mark.parametrize("n", [1, 6])
def test_whistles_open_for_costs_the_same_for_many(seats, n, django_assert_max_num_queries):
    for _ in range(n):
        blow(case_in("dispatched", seats), seats["zhengfa"], units=[POLICE, VILLAGE])
    with django_assert_max_num_queries(2):
        mine = selectors.whistles_open_for(member=seats["police"])
        assert [w.mine.unit.code for w in mine] == [POLICE] * n and all(w.case.code for w in mine)
