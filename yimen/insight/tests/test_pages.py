"""The dashboard, its data, the big screen, the boards and the empty state; scoping by role."""

import pytest
from django.urls import reverse

from yimen.insight.rollups import store
from yimen.insight.tests.builders import at, make_case, make_lead
from yimen.insight.tests.test_kpis import GRID1, GRID2


@pytest.fixture
def cases(units):
    police, centre = units["police"], units["centre"]
    late = make_case(
        GRID1,
        centre,
        received="2026-03-02 10:00",
        accepted_at="2026-03-02 11:00",
        lead=police,
        state="in_progress",
        deadline="2026-03-10 23:59",
        risk="red",
        joint_plan="派出所牵头，村委配合",
    )
    make_lead(late, police, dispatched="2026-03-02 12:00", signed="2026-03-02 13:00")
    make_case(
        GRID2,
        centre,
        received="2026-03-05 09:00",
        kind="hazard",
        lat=25.855,
        lng=110.995,
        state="accepted",
        accepted_at="2026-03-05 10:00",
        deadline="2099-01-01 00:00",
    )
    store.rebuild(at("2026-03-01 00:00").date(), at("2026-03-31 00:00").date())
    return late


def test_the_dashboard_shows_cards_boards_and_drill_down(client, persona, cases, django_assert_max_num_queries):
    client.force_login(persona("leader").user)
    with django_assert_max_num_queries(60):
        response = client.get(reverse("insight:dashboard"), {"since": "2026-03-01", "until": "2026-03-31"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "化解成功率" in body and "满意率 = 其中评为 4 分或 5 分的次数" in body  # card and its tooltip
    assert cases.code in body  # on the overdue board and the risk board, with its plan
    assert "派出所牵头" in body
    drill = response.context["drill"]
    assert [row["name"] for row in drill] == ["才湾村", "小塘村"]
    assert [row["received"] for row in drill] == [1, 1]
    assert drill[0]["url"].startswith("/dashboard/?region=450324106200")


def test_the_data_endpoint_draws_trend_map_and_boards(client, persona, cases):
    client.force_login(persona("leader").user)
    got = client.get(reverse("insight:data"), {"since": "2026-03-01", "until": "2026-03-31"}).json()
    assert sum(day["received"] for day in got["trend"]) == 2 and len(got["trend"]) == 31
    assert got["map"]["level"] == "grid" and got["map"]["density"] == {GRID1: 1, GRID2: 1}
    assert [h["code"] for h in got["map"]["hazards"]] != []
    assert got["boards"]["risky"][0]["plan"] == "派出所牵头，村委配合"
    assert {k["name"] for k in got["kinds"]} == {"矛盾纠纷", "隐患"}


def test_a_village_drill_down_leads_to_the_case_list(client, persona, cases):
    client.force_login(persona("leader").user)
    response = client.get(
        reverse("insight:dashboard"), {"region": "450324106200", "since": "2026-03-01", "until": "2026-03-31"}
    )
    row = response.context["drill"][0]
    assert row["url"].startswith("/cases/?tab=all&region=45032410620001") and row["received"] == 1


def test_bad_periods_and_regions(client, persona, cases):
    client.force_login(persona("leader").user)
    response = client.get(reverse("insight:dashboard"), {"since": "2026-03-31", "until": "2026-03-01"})
    assert response.status_code == 422 and "截止日期不能早于起始日期" in response.content.decode()
    bad = client.get(reverse("insight:data"), {"since": "2026-02-30"})
    assert bad.status_code == 422 and bad.json()["errors"]["since"] == ["没有这一天，请检查年月日。"]
    assert client.get(reverse("insight:data"), {"region": "999999"}).status_code == 404
    assert client.get(reverse("insight:dashboard"), {"region": "450324"}).status_code == 404  # above the town


def test_the_village_grid_chief_sees_only_the_village(client, persona, cases):
    client.force_login(persona("gridchief").user)
    got = client.get(reverse("insight:data"), {"since": "2026-03-01", "until": "2026-03-31"}).json()
    assert got["region"]["code"] == "450324106200"
    assert got["map"]["density"] == {GRID1: 1}
    assert client.get(reverse("insight:data"), {"region": "450324106201"}).status_code == 404  # the other village


def test_an_empty_region_shows_a_message(client, persona, town):
    client.force_login(persona("leader").user)
    response = client.get(reverse("insight:dashboard"))
    assert response.status_code == 200
    assert "暂无案件数据" in response.content.decode()
    assert client.get(reverse("insight:data")).json()["empty"] is True


@pytest.mark.parametrize("role", ["clerk", "police", "gridworker", "auditor"])
def test_others_may_not_open_it(client, persona, town, role):
    client.force_login(persona(role).user)
    assert client.get(reverse("insight:dashboard")).status_code == 403
    assert client.get(reverse("insight:screen")).status_code == 403


def test_the_big_screen_refreshes_itself(client, persona, cases):
    client.force_login(persona("leader").user)
    body = client.get(reverse("insight:screen")).content.decode()
    assert 'data-refresh="60"' in body and "insight/screen.js" in body and "<script>" not in body


def declare_and_report_missing(leader, station):
    """An active Ⅱ-level flood and a Ⅳ-level search, one closed incident, one person still missing."""
    from datetime import timedelta

    from django.utils import timezone

    from yimen.emergency import services

    for title, level in (("唐家河洪水", 2), ("唐某上山未归", 4), ("已结束的演练", 3)):
        incident = services.incident_declare(actor=leader, title=title, kind="flood", level=level, region="450324106")
    services.incident_stand_down(actor=leader, incident=incident, summary="演练结束")
    services.missing_person_report(
        actor=station,
        name="蒋阿婆",
        description="78岁，灰色上衣，拄拐杖",
        last_seen_at=timezone.now() - timedelta(hours=2),
        place="毛泽东广场东门",
    )


def test_the_big_screen_data_puts_active_incidents_and_missing_persons_first(client, persona, town):
    leader = persona("leader")
    declare_and_report_missing(leader, persona("kuaijing"))
    client.force_login(leader.user)
    now = client.get(reverse("insight:data")).json()["now"]
    assert [(i["level"], i["title"]) for i in now["incidents"]] == [("Ⅱ级", "唐家河洪水"), ("Ⅳ级", "唐某上山未归")]
    assert [(p["place"], p["minutes"] >= 120) for p in now["missing"]] == [("毛泽东广场东门", True)]
    assert "蒋阿婆" not in str(now)  # the hall screen is seen by visitors: no name
    client.force_login(persona("gridchief").user)  # reads the village's figures, not the station's registers
    assert client.get(reverse("insight:data")).json()["now"]["missing"] == []
