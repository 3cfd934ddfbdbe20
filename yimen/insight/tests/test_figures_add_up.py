"""Figures that add up (issue 21 item 9): a village's rows are its grids plus what was registered
at the village itself; a month not over yet is drawn as part of a month."""

from datetime import date

from yimen.insight import selectors
from yimen.insight.kpis import compute
from yimen.insight.rollups import store
from yimen.insight.tests.builders import at, make_case

VILLAGE, GRID1 = "450324106200", "45032410620001"  # 才湾村 and its first grid


def test_a_villages_rows_are_its_grids_and_its_own(persona, units):
    centre = units["centre"]
    make_case(GRID1, centre, received="2026-03-02 10:00")
    make_case(GRID1, centre, received="2026-03-03 10:00")
    make_case(VILLAGE, units["village"], received="2026-03-04 10:00")  # at the village committee, no grid
    store.rebuild(at("2026-03-01 00:00").date(), at("2026-03-31 00:00").date())
    board = selectors.kpi_board(member=persona("dispatcher"), region=VILLAGE, since="2026-03-01", until="2026-03-31")
    rows = selectors.drill_rows(member=persona("leader"), board=board)
    assert sum(r["received"] for r in rows) == board.values["received"] == 3
    own = [r for r in rows if r["url"] is None]
    assert len(own) == 1 and own[0]["received"] == 1 and "本级" in own[0]["name"]
    assert next(r for r in rows if r["code"] == GRID1)["received"] == 2


def test_a_month_two_days_old_is_partial_and_later_months_have_no_figure(persona, units):
    make_case(GRID1, units["centre"], received="2026-12-01 10:00")
    store.rebuild(date(2026, 10, 1), date(2026, 12, 2))
    board = selectors.kpi_board(member=persona("leader"), since="2026-07-01", until="2027-01-31")
    trend = compute.rollup_trend(board.scope, today=date(2026, 12, 2))
    by_month = {row["at"]: row for row in trend}
    assert by_month["2026-11-01"]["partial"] is False
    assert by_month["2026-12-01"] == {
        "at": "2026-12-01",
        "grain": "month",
        "received": 1,
        "closed": 0,
        "partial": True,
        "through": "2026-12-02",
    }
    assert by_month["2027-01-01"]["received"] is None
