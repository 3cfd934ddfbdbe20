"""Deadlines from the catalogue's policies over the holiday calendar (DESIGN §7): statutory ones
count from received_at, assignments from their dispatch; extensions recorded; overdue levels."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yimen.cases.deadlines import derived_level
from yimen.cases.models import Assignment
from yimen.cases.tests.conftest import PETITION, POLICE, act, at, register


def end_of(y, m, d):
    return at(y, m, d, 23, 59).replace(second=59)


def petition(seats, received, **fields):
    values = {"kind": "petition", "title": "征地补偿款未到位", "received_at": received, "category": "petition.general"}
    return register(seats["petition"], **{**values, **fields})


def test_petition_routing_15_days_lands_in_national_day_and_moves_past_it(seats):
    case = petition(seats, at(2025, 9, 20))  # 15 days → 2025-10-05, inside 国庆 10-01..10-08
    assert case.accept_deadline == end_of(2025, 10, 9)


def test_petition_handling_60_days_lands_in_spring_festival_and_moves_past_it(seats):
    case = petition(seats, at(2025, 12, 18))  # 60 days → 2026-02-16, inside 春节 02-15..02-23
    assert case.deadline == end_of(2026, 2, 24)
    assert case.policy.code == "petition.handle" and case.policy.max_extension_days == 30


def test_petition_extension_at_most_30_days(seats, time_machine):
    time_machine.move_to(at(2026, 1, 5))
    case = petition(seats, at(2025, 12, 18))
    case = act("accept", case, seats["dispatcher"])
    case = act("dispatch", case, seats["dispatcher"], lead_unit=PETITION)
    case = act("sign", case, seats["petition"])
    case = act("extend", case, seats["petition"], days=30, reason="需会同国土所核实补偿标准")
    assert case.deadline == end_of(2026, 3, 26) and case.extension_days == 30
    assert case.events.last().data["days"] == 30


def test_working_day_row_counts_the_make_up_sunday_and_skips_the_holiday(seats):
    case = register(
        seats["clerk"], kind="legal_service", category="legal_service.general", received_at=at(2025, 9, 26, 15)
    )  # 5 working days: 9-28 (调休上班), 9-29, 9-30, 10-09, 10-10
    assert case.policy.unit == "working_days" and case.deadline == end_of(2025, 10, 10)


def test_hours_row_counts_from_the_moment(seats):
    case = register(seats["clerk"], kind="incident", title="村口有人打架", received_at=at(2025, 10, 1, 9, 15))
    assert case.category.code == "incident.general" and case.deadline == at(2025, 10, 1, 11, 15)


def test_working_hours_row_runs_in_office_hours(seats):
    case = register(
        seats["gridworker"],
        kind="appeal",
        category="appeal.utilities.streetlight",
        title="路灯不亮",
        received_at=at(2025, 9, 30, 16, 30),
        parties=[],
    )
    # 8 working hours: 1 h on 9-30 (to 17:30), 国庆, 6.5 h on 10-09, the last 0.5 h on 10-10
    assert case.deadline == at(2025, 10, 10, 9, 0)


def test_assignment_deadlines_count_from_dispatch_within_the_case_deadline(seats, time_machine):
    time_machine.move_to(at(2026, 2, 10, 9))
    case = petition(seats, at(2025, 12, 18))
    case = act("accept", case, seats["dispatcher"])
    case = act("dispatch", case, seats["dispatcher"], lead_unit=PETITION)
    lead = case.assignments.get(role="lead")
    assert lead.deadline == case.deadline  # 60 days from dispatch would run past the statutory one
    assert lead.sign_deadline == end_of(2026, 2, 11)  # 1 working day
    assert lead.dispute_deadline == end_of(2026, 2, 24)  # 5 working days: 02-11..02-14 (调休), then after 春节


def test_dispatcher_may_set_a_shorter_deadline(seats, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9))
    case = act("accept", register(seats["clerk"]), seats["clerk"])
    case = act("dispatch", case, seats["dispatcher"], lead_unit=PETITION, deadline=at(2026, 3, 5, 17))
    assert case.assignments.get(role="lead").deadline == at(2026, 3, 5, 17)


def test_a_revised_catalogue_leaves_earlier_deadlines_alone(seats):
    from yimen.cases.services import catalogue_revise

    before = register(seats["clerk"], category="dispute.neighbour.noise", received_at=at(2026, 3, 2))
    catalogue_revise(
        actor=seats["dispatcher"],
        changes={"dispute.neighbour.noise": {"policy": "hotline.complex"}},
        note="噪音改为复杂类",
    )
    after = register(seats["clerk"], category="dispute.neighbour.noise", received_at=at(2026, 3, 2))
    before.refresh_from_db()
    assert before.deadline == end_of(2026, 3, 9) and before.category.catalogue.version == 1
    assert after.deadline == end_of(2026, 3, 17) and after.category.catalogue.version == 2


@pytest.mark.parametrize(
    ("late", "level"),
    [(timedelta(hours=-1), 0), (timedelta(hours=1), 1), (timedelta(days=4), 2), (timedelta(days=20), 3)],
)
def test_overdue_level_by_working_days_late(db, late, level):
    due = at(2026, 3, 2, 17)  # a Monday
    assert derived_level(due, due + late) == level


def test_assignment_is_overdue_after_its_deadline(seats, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9))
    case = act("accept", register(seats["clerk"], kind="incident", title="有人打架"), seats["clerk"])
    case = act("dispatch", case, seats["dispatcher"], lead_unit="450324106-police")
    time_machine.move_to(at(2026, 3, 2, 12))
    case.refresh_from_db()
    assert case.is_overdue and case.overdue_level == 1
    assert Assignment.objects.get(case=case).deadline < at(2026, 3, 2, 12)


def test_a_sign_window_never_ends_after_the_deadline_it_serves(seats, time_machine):
    """A case due in 24 hours with its row's longer return window: both windows end with the
    handling deadline, never after it (issue 21 item 4)."""
    time_machine.move_to(at(2026, 3, 2, 9))
    case = act("accept", register(seats["clerk"], title="家暴求助"), seats["clerk"])
    short = timezone.now() + timedelta(hours=24)
    case = act("dispatch", case, seats["dispatcher"], lead_unit=POLICE, deadline=short)
    lead = case.assignments.get(role="lead")
    assert lead.deadline == short
    assert lead.sign_deadline <= lead.deadline and lead.dispute_deadline <= lead.deadline
