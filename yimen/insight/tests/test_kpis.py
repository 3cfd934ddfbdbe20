"""KPI definitions on small hand-built data, with the answers worked out by hand (see each
comment), through the rollups (whole months and edge days) and through GET /kpis."""

import pytest

from yimen.insight import selectors
from yimen.insight.rollups import store
from yimen.insight.tests.builders import at, make_case, make_lead

GRID1, GRID2 = "45032410620001", "45032410620101"  # 才湾村第一网格, 小塘村第一网格


@pytest.fixture
def march(units):
    """Six cases around March 2026 (Beijing time), rollups rebuilt."""
    police, village, centre = units["police"], units["village"], units["centre"]
    c1 = make_case(
        GRID1,
        centre,
        received="2026-03-02 10:00",
        accepted_at="2026-03-02 11:00",
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
        accepted_at="2026-03-05 09:30",
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
    make_case(GRID2, centre, received="2026-03-31 23:30", kind="appeal")
    c4 = make_case(
        GRID2,
        centre,
        received="2026-02-28 23:59",
        kind="hazard",
        accepted_at="2026-03-01 00:05",
        lead=police,
        state="in_progress",
        deadline="2026-03-20 23:59",
    )
    make_lead(c4, police, dispatched="2026-03-01 00:10", signed="2026-03-01 08:00")
    make_case(
        GRID1,
        centre,
        received="2026-03-20 10:00",
        kind="petition",
        accepted_at="2026-03-20 11:00",
        closed_at="2026-03-25 10:00",
        state="closed",
    )
    make_case(GRID1, centre, received="2026-04-01 00:00", state="registered")
    store.rebuild(at("2026-02-01 00:00").date(), at("2026-04-30 00:00").date())


def board(member, since, until, **kw):
    return selectors.kpi_board(member=member, since=since, until=until, **kw).values


def test_a_whole_month_for_the_town_leader(persona, march):
    got = board(persona("leader"), "2026-03-01", "2026-03-31")
    assert got["received"] == 4  # c1, c2, c3 (23:30 on the 31st), c5; c4 came on 28 Feb, c6 on 1 Apr
    assert got["accepted_rate"] == 0.75  # c1, c2, c5 of 4; c3 waits
    assert got["signed_on_time_rate"] == 2 / 3  # c1 and c4 (no sign deadline) of c1, c2, c4
    assert got["closed_on_time_rate"] == 2 / 3  # c1 and c5 (no deadline) of c1, c2, c5
    assert got["satisfaction_rate"] == 2 / 3  # c1's 5 and c2's public 4 of 5, 2, 4
    assert got["village_resolution_rate"] == 0.5  # c2 (village lead) of the disputes closed, c1 and c2
    assert got["overdue"] == 1  # c4: in progress, due 20 March


def test_edge_days_and_whole_months_add_up(persona, march):
    leader = persona("leader")
    assert board(leader, "2026-02-28", "2026-04-01")["received"] == 6  # 28 Feb + March + 1 Apr
    assert board(leader, "2026-03-02", "2026-03-05")["received"] == 2  # c1 and c2: daily rows only
    assert board(leader, "2026-03-31", "2026-03-31")["received"] == 1  # late in the evening, Beijing time
    got = board(leader, "2026-05-01", "2026-05-31")
    assert got["received"] == 0 and got["accepted_rate"] is None and got["satisfaction_rate"] is None


def test_the_grid_chief_sees_the_village_without_petitions(persona, march):
    got = board(persona("gridchief"), "2026-03-01", "2026-03-31")
    assert got["received"] == 2  # c1, c2 in 才湾村; the petition c5 is not theirs to see
    assert got["accepted_rate"] == 1.0
    assert got["signed_on_time_rate"] == 0.5
    assert got["closed_on_time_rate"] == 0.5  # c1 of c1, c2 (c5 left out)
    assert got["overdue"] == 0  # c4 lies in 小塘村


def test_filters_by_kind_and_unit(persona, march, units):
    leader = persona("leader")
    assert board(leader, "2026-03-01", "2026-03-31", kind="petition")["received"] == 1
    assert board(leader, "2026-03-01", "2026-03-31", unit=units["police"].code)["received"] == 1  # c1
    assert board(leader, "2026-03-01", "2026-03-31", unit=units["centre"].code)["received"] == 2  # c3, c5: no lead


def test_mediation_success_and_repeat_petitions(persona, units):
    from yimen.mediation.models import Mediation
    from yimen.petitions.models import PetitionRecord

    judicial = units["centre"]
    ended = {
        "agreement": "2026-03-03 10:00",
        "partial": "2026-03-04 10:00",
        "failed": "2026-03-05 10:00",
        "declined": "2026-03-06 10:00",
    }
    for result, when in [*ended.items(), ("agreement", "2026-04-02 10:00")]:
        case = make_case(GRID1, judicial, received="2026-03-01 09:00")
        Mediation.objects.create(
            case=case,
            unit=judicial,
            committee="才湾镇人民调解委员会",
            level="town",
            result=result,
            started_at=at("2026-03-01 10:00"),
            due=at("2026-03-31 23:59"),
            ended_at=at(when),
        )
    first = make_case(GRID1, judicial, received="2026-02-10 09:00", kind="petition")
    PetitionRecord.objects.create(case=first, form="visit")
    for repeat in (first, None, None):
        PetitionRecord.objects.create(
            case=make_case(GRID1, judicial, received="2026-03-10 09:00", kind="petition"),
            form="visit",
            repeat_of=repeat,
        )
    got = board(persona("leader"), "2026-03-01", "2026-03-31")
    # agreement of agreement, partial, failed ended in March; declined is no result; April is out
    assert got["mediation_success_rate"] == 1 / 3
    assert got["repeat_petition_rate"] == 1 / 3  # one repeat of three March petitions
    assert board(persona("leader"), "2026-05-01", "2026-05-31")["mediation_success_rate"] is None
