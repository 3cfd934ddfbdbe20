"""Each statutory period of mediation on dates across the National Day holiday of 2026
(10-01 to 10-07 off, 10-10 a make-up Saturday): the start day is not counted, and a last day on a
holiday moves to the next working day. Also the reminders the daily sweep sends."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from yimen.cases.models import Notification
from yimen.core.calendar import SHANGHAI
from yimen.core.errors import Invalid
from yimen.mediation import policies, services
from yimen.mediation.models import Mediation, Reminder

from .conftest import AGREEMENT, dispute, version
from .test_services import session

pytestmark = pytest.mark.django_db


def day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def at(y: int, m: int, d: int, hh: int = 10) -> datetime:
    return datetime(y, m, d, hh, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("code", "start", "expected"),
    [
        (policies.APPLY, date(2026, 9, 20), date(2026, 10, 20)),  # 30 days span the holiday, end on a workday
        (policies.APPLY, date(2026, 9, 2), date(2026, 10, 8)),  # day 30 is 10-02 → first workday after
        (policies.ACCEPT, date(2026, 9, 28), date(2026, 10, 8)),  # day 3 is 10-01
        (policies.ACCEPT, date(2026, 10, 7), date(2026, 10, 10)),  # the make-up Saturday is a workday
        (policies.DECIDE, date(2026, 9, 20), date(2026, 10, 8)),  # day 15 is 10-05
        (policies.MONTH, date(2026, 9, 3), date(2026, 10, 8)),  # the one-month norm ends 10-03
    ],
)
def test_policy_periods(town, code, start, expected):
    found = policies.due(code, start)
    assert day(found) == expected
    assert (found.hour, found.minute, found.second) == (23, 59, 59)


def test_the_courts_extension_is_one_25_day_period(town):
    assert day(policies.extended_by(policies.DECIDE, date(2026, 9, 20), 10)) == date(2026, 10, 15)
    assert day(policies.extended_by(policies.DECIDE, date(2026, 9, 16), 10)) == date(2026, 10, 12)  # 10-11 Sunday


def test_agreement_on_2026_09_20_to_court_decision_across_national_day(seats, roster):
    with time_machine.travel(at(2026, 9, 18), tick=False):
        case = dispute(seats)
    with time_machine.travel(at(2026, 9, 20), tick=False):
        session(case, seats["judicial"], [roster["people"]], outcome="agreement")
        agreement, _ = services.mediation_agreement_record(
            case=case, actor=seats["judicial"], version=version(case), **AGREEMENT, performance_due=date(2026, 10, 31)
        )
    assert day(agreement.confirm_by) == date(2026, 10, 20)
    with time_machine.travel(at(2026, 9, 28), tick=False):
        applied = services.court_confirmation_apply(
            case=case, actor=seats["judicial"], version=version(case), applied_on=date(2026, 9, 28)
        )
    assert day(applied.accept_due) == date(2026, 10, 8)
    with time_machine.travel(at(2026, 9, 30), tick=False):
        accepted = services.court_confirmation_accept(
            case=case, actor=seats["court"], version=version(case), accepted_on=date(2026, 9, 30)
        )
    assert day(accepted.decide_due) == date(2026, 10, 15)  # 15 days: 10-15 is a Thursday
    with time_machine.travel(at(2026, 10, 9), tick=False):
        extended = services.court_confirmation_extend(
            case=case, actor=seats["court"], version=version(case), reason="补充证据"
        )
    assert day(extended.decide_due) == date(2026, 10, 26)  # 25 days: 10-25 Sunday → Monday


def test_applying_after_the_30_days_is_refused(seats, roster):
    with time_machine.travel(at(2026, 9, 1), tick=False):
        case = dispute(seats)
        session(case, seats["judicial"], [roster["people"]], outcome="agreement")
        services.mediation_agreement_record(
            case=case, actor=seats["judicial"], version=version(case), **AGREEMENT, performance_due=date(2026, 9, 30)
        )
    with time_machine.travel(at(2026, 10, 9), tick=False), pytest.raises(Invalid) as late:
        services.court_confirmation_apply(
            case=case, actor=seats["judicial"], version=version(case), applied_on=date(2026, 10, 9)
        )
    assert "2026-10-08" in late.value.errors["applied_on"][0]


def test_reminders_before_and_after_the_month_once_each(seats, roster):
    with time_machine.travel(at(2026, 9, 3, 9), tick=False):
        case = dispute(seats)
        session(case, seats["judicial"], [roster["people"]])
    mediation = Mediation.objects.get(case=case)
    assert day(mediation.due) == date(2026, 10, 8)
    with time_machine.travel(at(2026, 10, 1, 8), tick=False):
        assert services.mediation_reminders() == 0  # a week ahead: quiet
    with time_machine.travel(at(2026, 10, 6, 8), tick=False):
        assert services.mediation_reminders() == 1
        assert services.mediation_reminders() == 0  # once
    notice = Notification.objects.get()
    assert notice.unit == case.lead_unit and notice.level == 0 and "即将到期" in notice.text
    with time_machine.travel(at(2026, 10, 9, 8), tick=False):
        assert services.mediation_reminders() == 1
    late = Notification.objects.order_by("-id").first()
    assert late.level == 1 and late.text.startswith("已超期")
    assert sorted(Reminder.objects.values_list("key", flat=True)) == ["month:late:2026-10-08", "month:soon:2026-10-08"]


def test_reminders_of_court_confirmation(seats, roster):
    with time_machine.travel(at(2026, 9, 2), tick=False):
        case = dispute(seats)
        session(case, seats["judicial"], [roster["people"]], outcome="agreement")
        services.mediation_agreement_record(
            case=case,
            actor=seats["judicial"],
            version=version(case),
            **AGREEMENT,
            performance_due=date(2026, 9, 30),
            seek_confirmation=True,
        )
    with time_machine.travel(at(2026, 10, 7, 8), tick=False):
        assert services.mediation_reminders() == 1  # apply by 10-08
    assert "司法确认" in Notification.objects.get().text
    with time_machine.travel(at(2026, 10, 8, 9), tick=False):
        services.court_confirmation_apply(
            case=case, actor=seats["judicial"], version=version(case), applied_on=date(2026, 10, 8)
        )
    with time_machine.travel(at(2026, 10, 12, 8), tick=False):  # accept due 10-12 (10-11 is Sunday)
        assert services.mediation_reminders() == 1
    to_court = Notification.objects.order_by("-id").first()
    assert "决定是否受理" in to_court.text and to_court.unit == seats["court"].unit  # the court acts itself
