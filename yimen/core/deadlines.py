"""Deadlines (期限) over the working-day calendar. Aware datetimes in, Asia/Shanghai (+08:00) out.

The counting rule (DESIGN §7), from 民法典 arts. 201 and 203 and 民事诉讼法 art. 85 (applied by
analogy to administrative and hotline deadlines):

- the start day is not counted: a period in days runs from the next day (民法典 art. 201 ¶1;
  民事诉讼法 art. 85 ¶2);
- a period in days ends at 24:00 of its last day, written here as 23:59:59 (民法典 art. 203 ¶2);
- a natural-day period whose last day is a statutory holiday or rest day ends on the next working
  day instead (民法典 art. 203 ¶1; 民事诉讼法 art. 85 ¶3);
- a period in hours runs from the moment given (民法典 art. 201 ¶2).

Periods in working days (工作日, e.g. 信访工作条例 art. 23: 5 working days) count only the working
days after the start day, so their last day is always a working day. Periods in working hours
(hotline practice, e.g. the Beijing 12345 service standard) count only OFFICE_HOURS of working days.
"""

from datetime import date, datetime, time, timedelta

from yimen.core.calendar import SHANGHAI, is_workday, next_workday

# Office hours of a township government (上午 08:30–12:00, 下午 14:30–17:30: 6.5 hours a day).
# A policy number, not a statute: when units keep different hours this becomes a table.
OFFICE_HOURS: tuple[tuple[time, time], ...] = ((time(8, 30), time(12, 0)), (time(14, 30), time(17, 30)))
END_OF_DAY = time(23, 59, 59)


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("deadlines need an aware datetime")
    return moment.astimezone(SHANGHAI)


def _day(value: date) -> date:
    return _local(value).date() if isinstance(value, datetime) else value


def _end_of(day: date) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=SHANGHAI)


def _require_positive(amount: float, unit: str) -> None:
    if amount <= 0:
        raise ValueError(f"a deadline needs a positive number of {unit}, not {amount!r}")


def deadline_natural_days(start: datetime, days: int) -> datetime:
    """`days` calendar days after the start day, at 23:59:59; a last day that is a holiday or
    rest day moves to the next working day (民法典 arts. 201, 203; 民事诉讼法 art. 85)."""
    _require_positive(days, "days")
    last = _local(start).date() + timedelta(days=days)
    return _end_of(last if is_workday(last) else next_workday(last))


def deadline_working_days(start: datetime, days: int) -> datetime:
    """The `days`-th working day after the start day, at 23:59:59 (the start day is not counted,
    民法典 art. 201; 工作日 per the holiday calendar, e.g. 信访工作条例 art. 23)."""
    _require_positive(days, "days")
    day = _local(start).date()
    for _ in range(days):
        day = next_workday(day)
    return _end_of(day)


def deadline_hours(start: datetime, hours: float) -> datetime:
    """`hours` natural hours from the moment given, holidays included (民法典 art. 201 ¶2), e.g.
    an emergency's 2 hours (Beijing 12345 service standard) or a protection order's 72 hours
    (反家庭暴力法 art. 28)."""
    _require_positive(hours, "hours")
    return _local(start) + timedelta(hours=hours)


def deadline_working_hours(start: datetime, hours: float) -> datetime:
    """The moment `hours` of OFFICE_HOURS on working days have passed since `start`. A start
    outside office hours counts from the next opening; a deadline that uses up a period
    exactly ends at its close (12:00 or 17:30), not at the next opening."""
    _require_positive(hours, "hours")
    left = timedelta(hours=hours)
    moment = _local(start)
    day = moment.date()
    while True:
        if is_workday(day):
            for opens, closes in OFFICE_HOURS:
                begin = max(moment, datetime.combine(day, opens, tzinfo=SHANGHAI))
                end = datetime.combine(day, closes, tzinfo=SHANGHAI)
                if begin >= end:
                    continue
                if end - begin >= left:
                    return begin + left
                left -= end - begin
        day = next_workday(day)
        moment = datetime.combine(day, time.min, tzinfo=SHANGHAI)


def working_days_between(a: date, b: date) -> int:
    """How many working days lie in (a, b]: after a, up to and including b; 0 when b is not
    after a. For overdue counts: working_days_between(deadline, now) working days late. Aware
    datetimes are taken at their date in Asia/Shanghai."""
    first, last = _day(a), _day(b)
    return sum(1 for n in range(1, (last - first).days + 1) if is_workday(first + timedelta(days=n)))
