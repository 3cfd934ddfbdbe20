"""A month of the ledger (YYYY-MM, Beijing time) as the API and the pages take it."""

import datetime as dt
import re

from django.utils import timezone

from yimen.core.errors import Invalid

MONTH_FORMAT = "%Y-%m"
MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    """A YYYY-MM month as [first day, first of next) in local time (+08:00)."""
    if not MONTH_PATTERN.match(month):
        raise Invalid("月份格式应为 YYYY-MM。", errors={"month": ["月份格式应为 YYYY-MM，例如 2026-11。"]})
    year, number = (int(part) for part in month.split("-"))
    if not 2000 <= year <= 2100:
        raise Invalid("月份超出范围。", errors={"month": ["年份须在 2000–2100 之间。"]})
    start = dt.date(year, number, 1)
    end = dt.date(year + number // 12, number % 12 + 1, 1)
    zone = timezone.get_current_timezone()
    return (dt.datetime.combine(start, dt.time(), zone), dt.datetime.combine(end, dt.time(), zone))


def this_month() -> str:
    return timezone.localdate().strftime(MONTH_FORMAT)


YEAR_PATTERN = re.compile(r"^\d{4}$")


def period_bounds(month: str = "", year: str = "") -> tuple[str, dt.datetime, dt.datetime]:
    """A board's period: a whole year when `year` is given (年度红黑榜), else a month; with its
    label for the page and the poster."""
    if year:
        if not YEAR_PATTERN.match(year):
            raise Invalid("年份格式应为 YYYY。", errors={"year": ["年份格式应为 YYYY，例如 2026。"]})
        return (f"{year} 年度", *year_bounds(int(year)))
    month = month or this_month()
    since, until = month_bounds(month)
    return month, since, until


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """A whole year [1 January, next 1 January) in local time."""
    if not 2000 <= year <= 2100:
        raise Invalid("年份超出范围。", errors={"year": ["年份须在 2000–2100 之间。"]})
    since, _ = month_bounds(f"{year}-01")
    _, until = month_bounds(f"{year}-12")
    return since, until
