"""The clocks of 法律援助法 art. 43 over the holiday calendar: 7 days from the application, 3
days from the grant; the start day is not counted and a last day on a holiday moves to the next
working day. A late decision or assignment is still taken, and flagged."""

from yimen.cases.tests.conftest import at
from yimen.legal import services
from yimen.legal.models import Exemption, LegalAidFile
from yimen.legal.tests.conftest import application, decide


def end_of(y, m, d):
    return at(y, m, d, 23, 59).replace(second=59)


def test_the_seven_days_ending_in_national_day_move_past_it(seats, time_machine):
    time_machine.move_to(at(2025, 9, 26, 9))
    case = application(seats, received=at(2025, 9, 26, 9))  # 7 days → 10-03, inside 国庆 10-01..10-08
    assert LegalAidFile.objects.get(case=case).decide_due == end_of(2025, 10, 9)
    time_machine.move_to(at(2025, 10, 9, 16))
    aid = decide(case, seats["judicial"], exemption=Exemption.ABUSE_VICTIM)
    assert not aid.decided_late


def test_a_decision_after_the_seven_days_is_taken_and_flagged(client, seats, time_machine):
    time_machine.move_to(at(2025, 9, 26, 9))
    case = application(seats, received=at(2025, 9, 26, 9))
    time_machine.move_to(at(2025, 10, 10, 9))
    aid = decide(case, seats["judicial"], exemption=Exemption.ABUSE_VICTIM)
    assert aid.granted is True and aid.decided_late
    event = case.events.get(action="legal_aid_decision")
    assert event.data["late"] is True and "超过七日审查期限" in event.note


def test_the_three_days_to_assign_ending_in_a_holiday_move_past_it(seats, time_machine):
    time_machine.move_to(at(2025, 9, 28, 9))  # a make-up working Sunday
    case = application(seats, received=at(2025, 9, 28, 9))
    time_machine.move_to(at(2025, 9, 29, 10))
    aid = decide(case, seats["judicial"], exemption=Exemption.MIGRANT_WORKER)
    assert aid.assign_due == end_of(2025, 10, 9)  # 3 days → 10-02, inside 国庆
    time_machine.move_to(at(2025, 10, 9, 17))
    aid = services.legal_aid_assign(case=case, actor=seats["judicial"], version=None, lawyer="莫志远")
    assert not aid.assigned_late


def test_a_late_assignment_is_taken_and_flagged(seats, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9))
    case = application(seats, received=at(2026, 3, 2, 9))
    aid = decide(case, seats["judicial"], exemption=Exemption.MIGRANT_WORKER)
    assert aid.assign_due == end_of(2026, 3, 5)
    time_machine.move_to(at(2026, 3, 6, 9))
    aid = services.legal_aid_assign(case=case, actor=seats["judicial"], version=None, lawyer="莫志远")
    assert aid.assigned_late and "超过三日指派期限" in case.events.get(action="legal_aid_assign").note
