"""小事不出村 on one definition (issue 14 part 2): the dashboard's 村级化解率 and the mediation
statistics' share read the same cases through yimen.cases.selectors.village_resolution, so on
the same data they give the same figure."""

from yimen.insight import selectors
from yimen.insight.tests.builders import make_case
from yimen.mediation.selectors import mediation_stats

GRID1, GRID2 = "45032410620001", "45032410620101"  # 才湾村第一网格, 小塘村第一网格


def test_the_dashboard_and_the_mediation_statistics_agree(persona, units):
    police, village, centre = units["police"], units["village"], units["centre"]
    closed = {"state": "closed", "accepted_at": "2026-03-02 11:00"}
    make_case(GRID1, centre, received="2026-03-02 10:00", lead=village, closed_at="2026-03-09 16:00", **closed)
    make_case(GRID2, village, received="2026-03-03 10:00", lead=village, closed_at="2026-03-10 16:00", **closed)
    make_case(GRID1, centre, received="2026-03-04 10:00", lead=police, closed_at="2026-03-11 16:00", **closed)
    make_case(GRID2, centre, received="2026-03-05 10:00", closed_at="2026-03-05 11:00", **closed)  # at the window
    make_case(GRID1, centre, received="2026-03-06 10:00", lead=village, state="in_progress")  # open: out
    make_case(GRID1, centre, received="2026-03-06 10:00", kind="hazard", lead=village, closed_at="2026-03-12 10:00")
    dispatcher = persona("dispatcher")
    dashboard = selectors.kpi_board(member=dispatcher, since="2026-03-01", until="2026-03-31").values
    assert dashboard["village_resolution_rate"] == 0.5  # two of the four closed disputes
    assert mediation_stats(dispatcher).village_share == dashboard["village_resolution_rate"]
    assert mediation_stats(dispatcher).village_percent == "50.0%"
