"""The registry's pages: search with htmx, cards, notes, police contact, roster, coverage, groups."""

from datetime import date

import pytest
from django.utils import timezone

from yimen.core.models import AuditEntry
from yimen.people import services
from yimen.people.models import Household, ResidentNote
from yimen.people.tests.samples import XIAOTANG_MICROGRID, make_defence_group, make_id_number


def test_search_page_and_its_htmx_fragment(signed_in, resident):
    resident("张三", seq=1)
    resident("李四", seq=2)
    client = signed_in("clerk")
    page = client.get("/persons/", {"q": "张三"})
    assert page.status_code == 200 and page["Vary"].count("HX-Request")
    body = page.content.decode()
    assert 'data-testid="person-search"' in body and "张三" in body and "李四" not in body
    fragment = client.get("/persons/", {"q": "李"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "李四" in fragment and "共 1 人" in fragment
    assert "没有找到" in client.get("/persons/", {"q": "王"}).content.decode()
    bad = client.get("/persons/", {"region": "999"}).content.decode()
    assert "没有这个区域" in bad


def test_search_page_scoped_and_filtered_by_tag(signed_in, resident):
    resident("张三", seq=1, tags=["留守儿童"])
    resident("张四", seq=2, micro=XIAOTANG_MICROGRID)
    body = signed_in("gridworker2").get("/persons/", {"q": "张"}).content.decode()
    assert "张四" in body and "张三" not in body
    body = signed_in("clerk").get("/persons/", {"tag": "left_behind_child"}).content.decode()
    assert "张三" in body and "张四" not in body


@pytest.mark.parametrize("rows", [1, 15])
def test_search_page_cost_is_flat(signed_in, resident, django_assert_num_queries, rows):
    for i in range(rows):
        resident(f"张{i:02d}", seq=i, tags=["独居"])
    client = signed_in("police")
    # session, user, seat, the form's regions and tags, count, the page with its tags, and the
    # session's new expiry inside a savepoint pair
    with django_assert_num_queries(10):
        response = client.get("/persons/", {"q": "张"})
    assert f"共 {rows} 人" in response.content.decode()


def test_person_card_out_of_scope_is_404(signed_in, resident):
    person = resident()
    assert signed_in("gridworker2").get(f"/persons/{person.pk}/").status_code == 404
    assert signed_in("gridworker").get(f"/persons/{person.pk}/").status_code == 200
    assert signed_in("gridworker2").get(f"/households/{person.household_id}/").status_code == 404


def test_notes_on_person_and_household(signed_in, resident):
    person = resident("张三")
    client = signed_in("gridworker")
    today = timezone.localdate().isoformat()
    response = client.post(f"/persons/{person.pk}/notes/", {"kind": "visit", "happened_on": today, "text": "入户走访"})
    assert response.status_code == 302
    client.post(f"/households/{person.household_id}/notes/", {"kind": "note", "happened_on": today, "text": "房屋漏雨"})
    bad = client.post(f"/households/{person.household_id}/notes/", {"kind": "note", "happened_on": "2999-01-01"})
    assert bad.status_code == 302 and ResidentNote.objects.count() == 2
    card = client.get(f"/households/{person.household_id}/").content.decode()
    assert "入户走访" in card and "房屋漏雨" in card and "关于 张三" in card and "gridworker" in card
    assert AuditEntry.objects.filter(action="resident_note_add").count() == 2
    assert signed_in("leader").post(f"/persons/{person.pk}/notes/", {"text": "x"}).status_code == 403


def test_household_card_and_police_contact(signed_in, resident, clerk):
    head = resident("张三", seq=1)
    services.person_upsert(
        actor=clerk,
        id_number=make_id_number(seq=2, male=False),
        name="王芳",
        household=head.household,
        relationship="配偶",
    )
    client = signed_in("police")
    card = client.get(f"/households/{head.household_id}/").content.decode()
    assert "未加入警民联系" in card and "王芳" in card and "配偶" in card
    client.post(f"/households/{head.household_id}/police-contact/", {"joined_on": "2026-03-01"})
    assert Household.objects.get(pk=head.household_id).police_contact_on == date(2026, 3, 1)
    assert "2026-03-01 加入" in client.get(f"/households/{head.household_id}/").content.decode()


def test_roster_shows_the_grid_workers_own_households(signed_in, resident):
    resident("张三", seq=1)
    resident("张四", seq=2, micro=XIAOTANG_MICROGRID)
    body = signed_in("gridworker").get("/roster/").content.decode()
    assert "才湾村第一微网格1号" in body and "小塘村" not in body.split('data-testid="roster-count"')[1]
    assert signed_in("gridworker").get("/roster/", {"region": "450324106201"}).status_code == 404
    town = signed_in("clerk").get("/roster/").content.decode()
    assert "共 2 户" in town


def test_coverage_drill_down_and_missing_households(signed_in, resident, clerk):
    joined = resident("张三", seq=1)
    resident("张四", seq=2)
    resident("张五", seq=3, micro=XIAOTANG_MICROGRID)
    services.household_police_contact_set(actor=clerk, household=joined.household, joined_on=date(2026, 1, 1))
    client = signed_in("clerk")
    town = client.get("/coverage/")
    assert town.context["top"].households == 3 and town.context["top"].joined == 1
    rows = {row.region.name: (row.households, row.joined) for row in town.context["top"].children}
    assert rows["才湾村"] == (2, 1) and rows["小塘村"] == (1, 0)
    micro = client.get("/coverage/", {"region": "4503241062000101"}).content.decode()
    missing = micro.split('data-testid="missing"')[1].split('data-testid="missing-persons"')[0]
    assert "才湾村第一微网格2号" in missing and "才湾村第一微网格1号" not in missing
    worker = signed_in("gridworker").get("/coverage/").context["top"]
    assert (worker.households, worker.joined) == (2, 1)


def test_group_page(signed_in, clerk):
    group = make_defence_group(clerk)
    team, _ = services.patrol_team_upsert(actor=clerk, region=group.region.parent.parent, name="才湾村巡防队")
    services.patrol_member_upsert(actor=clerk, team=team, name="巡防甲", phone="13900001111", duty="队长")
    body = signed_in("gridworker").get(f"/groups/{group.pk}/").content.decode()
    assert "第一联防组" in body and "中心户" in body and "巡防甲" in body and "139****1111" in body
    assert body.count('class="list-group-item"><a href="/persons/') == 3  # the call list
    assert signed_in("gridworker2").get(f"/groups/{group.pk}/").status_code == 404
    card = signed_in("gridworker").get(f"/households/{group.lead_id}/").content.decode()
    assert "第一联防组" in card and "（中心户）" in card


def test_menu_lists_the_registry_for_those_who_may_see_it(signed_in):
    assert "实有人口" in signed_in("gridworker").get("/persons/").content.decode()
    assert "实有人口" not in signed_in("sysadmin").get("/").content.decode()
