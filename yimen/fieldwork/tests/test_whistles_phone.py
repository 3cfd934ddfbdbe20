"""吹哨报到 on the phone app (/m/): the summoned village committee's members see their open
whistles with a big 报到 button; arrival goes straight to the API (online only)."""

from yimen.cases import services
from yimen.cases.tests.conftest import POLICE, VILLAGE, case_in
from yimen.cases.tests.test_whistles import blow


def test_the_summoned_units_members_see_the_whistle_and_report_arrival(client, persona):
    seats = {name: persona(name) for name in ("clerk", "dispatcher", "zhengfa", "police", "gridworker", "gridworker2")}
    case = case_in("accepted", seats)
    whistle = blow(case, seats["zhengfa"], units=[VILLAGE, POLICE])
    client.force_login(seats["gridworker"].user)
    html = client.get("/m/").content.decode()
    assert 'data-testid="m-whistle"' in html and "才湾村唐家老屋前" in html
    url = f"/api/v1/cases/{case.code}/whistles/{whistle.pk}/arrive"
    assert f'data-arrive="{url}"' in html
    answer = client.post(url, {"location": {"lat": 25.86, "lng": 110.99}}, content_type="application/json")
    assert answer.status_code == 200
    html = client.get("/m/").content.decode()
    assert "本单位已于" in html and 'data-testid="m-arrive"' not in html
    client.force_login(seats["gridworker2"].user)  # 小塘村: not summoned
    assert 'data-testid="m-whistle"' not in client.get("/m/").content.decode()
    services.whistle_release(whistle=whistle, actor=seats["zhengfa"], reason="已处置")
    client.force_login(seats["gridworker"].user)
    assert 'data-testid="m-whistle"' not in client.get("/m/").content.decode()
