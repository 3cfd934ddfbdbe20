"""公开三率排名 (issue 20 part 2): the definitions worked out by hand on a small fixture, the
page and API for anyone, bad periods, and no personal data in either."""

import re

import pytest

from yimen.cases.tests.conftest import POLICE, act, register
from yimen.insight import rankings
from yimen.insight.kpis.period import period_parse
from yimen.insight.rollups import queue, store
from yimen.insight.tests.builders import at, make_case, make_lead

GRID1, GRID2 = "45032410620001", "45032410620101"  # 才湾村第一网格, 小塘村第一网格


@pytest.fixture
def march(units):
    police, village, centre = units["police"], units["village"], units["centre"]
    c1 = make_case(
        GRID1,
        centre,
        received="2026-03-02 10:00",
        lead=police,
        deadline="2026-03-10 23:59",
        closed_at="2026-03-09 16:00",
        state="followed_up",
        followed_up_at="2026-03-12 10:00",
        rating=5,
    )
    make_lead(c1, police, dispatched="2026-03-02 12:00", sign_deadline="2026-03-03 12:00", signed="2026-03-03 09:00")
    c2 = make_case(
        GRID1,
        centre,
        received="2026-03-05 09:00",
        lead=village,
        deadline="2026-03-08 23:59",
        closed_at="2026-03-11 10:00",
        state="followed_up",
        followed_up_at="2026-03-13 10:00",
        rating=2,
        public_rated_at="2026-03-14 08:00",
        public_rating=4,
    )
    make_lead(c2, village, dispatched="2026-03-05 10:00", sign_deadline="2026-03-06 10:00", signed="2026-03-07 10:00")
    c3 = make_case(GRID2, centre, received="2026-03-20 09:00", lead=police, state="dispatched")
    make_lead(c3, police, dispatched="2026-03-20 10:00", sign_deadline="2026-03-21 10:00", state="pending")
    make_case(GRID2, centre, received="2026-03-25 09:00", state="registered")  # c4: nobody has it yet
    c5 = make_case(
        GRID1,
        centre,
        received="2026-03-06 09:00",
        kind="petition",
        lead=police,
        closed_at="2026-03-07 09:00",
        state="followed_up",
        followed_up_at="2026-03-08 09:00",
        rating=1,
    )
    make_lead(c5, police, dispatched="2026-03-06 10:00", signed="2026-03-06 11:00")
    c6 = make_case(
        GRID2, centre, received="2026-02-26 09:00", lead=police, closed_at="2026-03-03 09:00", state="closed"
    )
    make_lead(c6, police, dispatched="2026-02-26 10:00", signed="2026-02-26 11:00")
    store.rebuild(at("2026-02-01 00:00").date(), at("2026-04-30 00:00").date())
    return units


def rows(ranking, which: str) -> dict:
    return {row.code: (row.rank, row.received, row.rates) for row in getattr(ranking, which)}


def rates(response, resolution, satisfaction) -> dict:
    return {"response_rate": response, "resolution_rate": resolution, "satisfaction_rate": satisfaction}


def test_march_by_unit_worked_by_hand(march):
    got = rows(rankings.public_ranking(period=period_parse("2026-03-01", "2026-03-31")), "units")
    # police: received c1, c3 (c6 came in February; c5 is a petition, never public);
    # signed on time c1 of the leads c1, c3; closed on time c1 and c6 (no deadline) of c1, c6;
    # satisfied c1's 5 of the one rating.
    assert got[march["police"].code] == (1, 2, rates(0.5, 1.0, 1.0))
    # village committee: c2 signed late, closed late, rated 2 (回访) and 4 (the citizen's own).
    assert got[march["village"].code] == (2, 1, rates(0.0, 0.0, 0.5))
    # the centre only holds c4, waiting: nothing to divide by, so last.
    assert got[march["centre"].code] == (3, 1, rates(None, None, None))


def test_march_by_village_worked_by_hand(march):
    got = rows(rankings.public_ranking(period=period_parse("2026-03-01", "2026-03-31")), "villages")
    assert set(got) == {"450324106200", "450324106201"}
    # 才湾村: c1 and c2; one of two leads signed on time, one of two closed on time; 5, 2, 4 rated.
    assert got["450324106200"] == (1, 2, rates(0.5, 0.5, 2 / 3))
    # 小塘村: c3 and c4; c3's lead is late; c6 closed on time; nobody rated.
    assert got["450324106201"] == (2, 2, rates(0.0, 1.0, None))


def test_a_few_days_count_each_figure_on_its_own_day(march):
    # 9–12 March: c1 closed on time (9th) and rated (12th); c2 closed late (11th), rated later.
    got = rows(rankings.public_ranking(period=period_parse("2026-03-09", "2026-03-12")), "units")
    assert got[march["police"].code] == (1, 0, rates(None, 1.0, 1.0))
    assert got[march["village"].code] == (2, 0, rates(None, 0.0, None))
    assert march["centre"].code not in got  # nothing of the centre's happened on those days


def test_the_api_needs_no_login_and_prints_definitions_and_period(client, march):
    got = client.get("/api/v1/public/rankings?since=2026-03-01&until=2026-03-31")
    assert got.status_code == 200
    body = got.json()
    assert (body["since"], body["until"]) == ("2026-03-01", "2026-03-31")
    assert body["counted_at"].endswith("+08:00")
    assert [d["key"] for d in body["definitions"]] == ["response_rate", "resolution_rate", "satisfaction_rate"]
    assert "按时签收" in body["definitions"][0]["definition"]
    police = body["units"][0]
    assert police == {
        "rank": 1,
        "unit": march["police"].name,
        "code": march["police"].code,
        "received": 2,
        "response_rate": 0.5,
        "resolution_rate": 1.0,
        "satisfaction_rate": 1.0,
    }
    assert body["villages"][0]["village"] == "才湾村"


@pytest.mark.parametrize(
    ("query", "field"),
    [("since=2026-03-31&until=2026-03-01", "until"), ("since=2026-02-30", "since"), ("since=1999-12-31", "since")],
)
def test_impossible_periods_are_refused_by_field(client, town, query, field):
    got = client.get(f"/api/v1/public/rankings?{query}")
    assert got.status_code == 422
    assert field in got.json()["errors"]
    page = client.get(f"/public/rankings/?{query}")
    assert page.status_code == 422
    assert "invalid-feedback" in page.content.decode()


def test_unknown_filters_are_refused(client, town):
    assert client.get("/api/v1/public/rankings?region=450324").status_code == 422


def test_the_page_shows_period_definitions_and_ranks_on_a_phone_sized_table(client, march):
    page = client.get("/public/rankings/?since=2026-03-01&until=2026-03-31")
    assert page.status_code == 200
    html = page.content.decode()
    assert "2026年03月01日至2026年03月31日" in html
    assert "按期办结" in html and "4 分或 5 分" in html
    units_table = html[html.index('data-testid="ranking-units"') :]
    assert units_table.index(march["police"].name) < units_table.index(march["village"].name)
    assert 'data-label="满意率">100.0%' in html
    assert 'data-testid="menu"' not in html  # the public variant of the layout


PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def test_no_personal_data_in_page_or_api(client, seats, django_capture_on_commit_callbacks):
    party = {"name": "蒋秀英", "role": "applicant", "phone": "13977310428", "id_number": "450324198803150027"}
    with django_capture_on_commit_callbacks(execute=True):
        case = register(seats["clerk"], parties=[party, {"name": "唐明华", "role": "respondent"}])
        act("accept", case, seats["clerk"])
        act("dispatch", case, seats["dispatcher"], lead_unit=POLICE)
    queue.flush()
    outputs = [client.get("/public/rankings/").content.decode(), client.get("/api/v1/public/rankings").content.decode()]
    assert POLICE in outputs[1]  # the case is counted …
    for text in outputs:  # … and nobody in it is named or numbered
        for secret in ("蒋秀英", "唐明华", "13977310428", "0428", "450324198803150027", seats["clerk"].user.name):
            assert secret not in text
        assert not PHONE.search(text) and not ID_NUMBER.search(text)
