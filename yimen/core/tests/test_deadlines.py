"""Deadlines over the holiday calendar (DESIGN §7 counting rule; 民法典 arts. 201, 203)."""

from datetime import UTC, date, datetime, time, timedelta

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yimen.core import calendar
from yimen.core.calendar import SHANGHAI
from yimen.core.deadlines import (
    OFFICE_HOURS,
    deadline_hours,
    deadline_natural_days,
    deadline_working_days,
    deadline_working_hours,
    working_days_between,
)


@pytest.fixture(autouse=True)
def fresh_calendar():
    """The per-process calendar cache outlives a test's rolled-back transaction."""
    calendar.invalidate()
    yield
    calendar.invalidate()


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=SHANGHAI)


def end_of(y: int, m: int, d: int) -> datetime:
    return at(y, m, d, 23, 59, 59)


def library_workday(d: date) -> bool:
    """The oracle: chinesecalendar itself where it knows the year, else the weekday rule."""
    return chinese_calendar.is_workday(d) if d.year <= 2026 else d.weekday() < 5


@pytest.mark.parametrize(
    ("start", "days", "deadline"),
    [
        (at(2025, 3, 3, 15), 1, end_of(2025, 3, 4)),  # the start day is not counted
        (at(2025, 3, 3, 0, 0, 1), 7, end_of(2025, 3, 10)),
        (at(2025, 3, 7, 9), 1, end_of(2025, 3, 10)),  # lands on Saturday: moves to Monday
        (at(2025, 9, 25, 10), 7, end_of(2025, 10, 9)),  # lands on 国庆 10-02: moves past the holiday
        (at(2025, 9, 21, 10), 7, end_of(2025, 9, 28)),  # lands on a make-up Sunday: stays
        (at(2026, 2, 1, 10), 15, end_of(2026, 2, 24)),  # lands in the 2026 Spring Festival
        (at(2025, 1, 1, 8), 60, end_of(2025, 3, 3)),  # 信访 60 days: 03-02 is a Sunday
    ],
)
def test_natural_days(db, start, days, deadline):
    assert deadline_natural_days(start, days) == deadline


@pytest.mark.parametrize(
    ("start", "days", "deadline"),
    [
        (at(2025, 3, 3, 9), 5, end_of(2025, 3, 10)),
        (at(2025, 3, 8, 9), 1, end_of(2025, 3, 10)),  # started on a Saturday: Monday is day 1
        # 信访 art. 23's 5 working days across 国庆 2025: 09-28 (make-up Sunday), 09-29, 09-30,
        # then 10-01..10-08 off, 10-09, 10-10.
        (at(2025, 9, 26, 16), 5, end_of(2025, 10, 10)),
        (at(2025, 9, 30, 16), 1, end_of(2025, 10, 9)),
        # 2026 Spring Festival: 02-14 (make-up Saturday), 02-15..02-23 off, 02-24, 02-25.
        (at(2026, 2, 13, 10), 3, end_of(2026, 2, 25)),
        (at(2027, 9, 30, 10), 3, end_of(2027, 10, 5)),  # 2027 unknown: weekends only, no crash
    ],
)
def test_working_days(db, start, days, deadline):
    assert deadline_working_days(start, days) == deadline


def test_working_days_across_national_day_match_the_library(db):
    deadline = deadline_working_days(at(2025, 9, 26, 16), 5)
    counted = [d for d in (date(2025, 9, 26) + timedelta(days=n) for n in range(1, 15)) if library_workday(d)]
    assert deadline.date() == counted[4]


@pytest.mark.parametrize(
    ("start", "hours", "deadline"),
    [
        (at(2025, 3, 3, 9), 2, at(2025, 3, 3, 11)),
        (at(2025, 3, 3, 11), 2, at(2025, 3, 3, 15, 30)),  # across lunch 12:00–14:30
        (at(2025, 3, 3, 11), 1, at(2025, 3, 3, 12)),  # uses the morning up exactly: 12:00, not 14:30
        (at(2025, 3, 3, 7), 1, at(2025, 3, 3, 9, 30)),  # before opening
        (at(2025, 3, 3, 12, 30), 1, at(2025, 3, 3, 15, 30)),  # during lunch
        (at(2025, 3, 3, 18), 1, at(2025, 3, 4, 9, 30)),  # in the evening
        (at(2025, 3, 7, 17), 1, at(2025, 3, 10, 9)),  # Friday 17:00: half an hour, the rest on Monday
        (at(2025, 3, 8, 10), 1, at(2025, 3, 10, 9, 30)),  # on a Saturday
        (at(2025, 3, 3, 8, 30), 6.5, at(2025, 3, 3, 17, 30)),  # one whole office day
        (at(2025, 3, 3, 8, 30), 24, at(2025, 3, 6, 15, 30)),  # 3 × 6.5 h, then 3.5 h + 1 h
        (at(2025, 9, 30, 17), 1, at(2025, 10, 9, 9)),  # across 国庆 2025
        (at(2025, 9, 27, 10), 1, at(2025, 9, 28, 9, 30)),  # a make-up Sunday is an office day
        (datetime(2025, 3, 3, 1, tzinfo=UTC), 1, at(2025, 3, 3, 10)),  # UTC in: 09:00 Beijing
    ],
)
def test_working_hours(db, start, hours, deadline):
    result = deadline_working_hours(start, hours)
    assert result == deadline
    assert result.utcoffset() == timedelta(hours=8)


def test_natural_hours_ignore_holidays_and_return_beijing_time(db):
    assert deadline_hours(at(2025, 10, 1, 23), 2) == at(2025, 10, 2, 1)  # emergency: 2 h
    result = deadline_hours(datetime(2025, 10, 1, 0, tzinfo=UTC), 72)  # protection order: 72 h
    assert result == at(2025, 10, 4, 8) and result.utcoffset() == timedelta(hours=8)


def test_bad_input_is_refused(db):
    with pytest.raises(ValueError, match="aware"):
        deadline_natural_days(datetime(2025, 3, 3, 9), 1)
    for deadline in (deadline_natural_days, deadline_working_days, deadline_hours, deadline_working_hours):
        with pytest.raises(ValueError, match="positive"):
            deadline(at(2025, 3, 3, 9), 0)


def test_working_days_between(db):
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 10)) == 2  # 10-09, 10-10
    assert working_days_between(date(2025, 9, 26), date(2025, 9, 28)) == 1  # the make-up Sunday
    assert working_days_between(date(2025, 10, 10), date(2025, 10, 1)) == 0
    assert working_days_between(end_of(2025, 9, 30), at(2025, 10, 10, 9)) == 2
    assert working_days_between(datetime(2025, 9, 28, 16, tzinfo=UTC), date(2025, 9, 29)) == 0  # 09-29 in Beijing


# Property tests. Starts run from 2024 into the unknown 2027, in Beijing time and in UTC.
starts = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31, 23, 59), timezones=st.sampled_from([SHANGHAI, UTC])
)
day_counts = st.integers(min_value=1, max_value=60)
fast = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@fast
@given(start=starts, days=day_counts)
def test_property_working_day_deadlines(db, start, days):
    deadline = deadline_working_days(start, days)
    assert deadline > start
    assert deadline.timetz() == time(23, 59, 59, tzinfo=SHANGHAI)
    assert library_workday(deadline.date())
    first = start.astimezone(SHANGHAI).date()
    lying_in = [first + timedelta(days=n) for n in range(1, (deadline.date() - first).days + 1)]
    assert sum(map(library_workday, lying_in)) == days  # exactly n working days in (start day, deadline day]
    assert working_days_between(start, deadline) == days
    assert deadline_working_days(start, days + 1) > deadline


@fast
@given(start=starts, days=day_counts)
def test_property_natural_day_deadlines(db, start, days):
    deadline = deadline_natural_days(start, days)
    assert deadline > start
    assert deadline.timetz() == time(23, 59, 59, tzinfo=SHANGHAI)
    assert library_workday(deadline.date())
    last = start.astimezone(SHANGHAI).date() + timedelta(days=days)
    assert deadline.date() >= last
    assert all(not library_workday(last + timedelta(days=n)) for n in range((deadline.date() - last).days))
    assert deadline_natural_days(start, days + 1) >= deadline


@fast
@given(start=starts, hours=st.integers(min_value=1, max_value=80))
def test_property_working_hour_deadlines(db, start, hours):
    deadline = deadline_working_hours(start, hours)
    assert deadline > start
    assert library_workday(deadline.date())
    assert any(opens < deadline.time() <= closes for opens, closes in OFFICE_HOURS)
    assert deadline_working_hours(start, hours + 1) > deadline
    assert deadline_hours(start, hours) <= deadline
