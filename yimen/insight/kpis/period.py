"""Periods of the KPIs: inclusive days in Beijing time, checked, with Chinese messages; and the
half-months of the joint meetings (1st–15th, 16th–end of month)."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from yimen.core.errors import Invalid

EARLIEST = date(2000, 1, 1)
DAY_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Period:
    since: date
    until: date  # inclusive

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    @property
    def label(self) -> str:
        return f"{self.since:%Y年%m月%d日}至{self.until:%Y年%m月%d日}"


def _day(value, field: str, name: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    if not DAY_PATTERN.fullmatch(str(value)):
        raise Invalid(f"{name}格式不正确。", errors={field: ["请按 YYYY-MM-DD 填写日期，如 2026-01-31。"]})
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise Invalid(f"{name}不存在。", errors={field: ["没有这一天，请检查年月日。"]}) from None


def period_parse(since=None, until=None, *, today: date | None = None) -> Period:
    """The period asked for: `since` and `until` inclusive (YYYY-MM-DD). Without `until`, today;
    without `since`, the first of January of the until's year. Impossible periods (the end
    before the start, before 2000, after the end of next year: typos, not questions) → 422."""
    today = today or timezone.localdate()
    last = _day(until, "until", "截止日期") or today
    first = _day(since, "since", "起始日期") or last.replace(month=1, day=1)
    if first > last:
        raise Invalid("截止日期早于起始日期。", errors={"until": ["截止日期不能早于起始日期。"]})
    if first < EARLIEST:
        raise Invalid("起始日期过早。", errors={"since": [f"起始日期不能早于 {EARLIEST:%Y年%m月%d日}。"]})
    if last > today.replace(month=12, day=31) + timedelta(days=366):
        raise Invalid("截止日期过晚。", errors={"until": ["截止日期不能晚于明年年底。"]})
    return Period(first, last)


def half_month(year: int, month: int, half: int) -> Period:
    """The first (1st–15th) or second (16th–last day) half of a month."""
    if not (2000 <= year <= 2100 and 1 <= month <= 12 and half in (1, 2)):
        raise Invalid("半月期间有误。", errors={"period": ["请选择有效的年、月和上/下半月。"]})
    if half == 1:
        return Period(date(year, month, 1), date(year, month, 15))
    return Period(date(year, month, 16), date(year, month, calendar.monthrange(year, month)[1]))


def half_month_of(day: date) -> Period:
    return half_month(day.year, day.month, 1 if day.day <= 15 else 2)


def half_month_parse(value: str) -> Period:
    """ "2026-11-1" (first half of November 2026) or "2026-11-2"."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-([12])", value or "")
    if not match:
        raise Invalid("半月期间格式有误。", errors={"period": ["格式如 2026-11-1（上半月）或 2026-11-2（下半月）。"]})
    return half_month(*(int(part) for part in match.groups()))


def previous_half_month(period: Period) -> Period:
    return half_month_of(period.since - timedelta(days=1))
