"""The working-day calendar as the rest of the system reads it (DESIGN §3, "working-day calendar").

The rule: a CalendarDay row wins; any other day is a working day from Monday to Friday and a rest
day on Saturday and Sunday (国务院关于职工工作时间的规定 art. 7). The rows are the holidays and
make-up workdays (调休上班) of the State Council's yearly notice (全国年节及纪念日放假办法),
seeded from chinesecalendar and edited by the system administrator (services.calendar_*).

A year nobody has marked known (no CalendarYear row, e.g. 2027 before the notice is entered)
still answers by the weekday rule: never a crash, never a silent guess. The fallback logs a
warning once per process and year, and calendar_warnings() lists it for administrators.

Deadlines are computed on hot paths, so each process keeps the whole table in memory (a few
hundred rows, two queries to load). The services call invalidate() after each change: the
acting process reloads at once; other processes see a version kept in Django's cache, looked at
no more than once per CHECK_EVERY seconds (shared between machines when REDIS_URL is set). With
a per-process cache (locmem, several workers) a change reaches the other workers within MAX_AGE.
"""

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from django.core.cache import cache
from django.db import models
from django.utils import timezone

from yimen.core.models import CalendarDay, CalendarYear

SHANGHAI = ZoneInfo("Asia/Shanghai")
LIBRARY_SOURCE = "chinesecalendar"
ADMIN_SOURCE = "admin"
SOURCE_LABELS = {LIBRARY_SOURCE: "chinesecalendar 库", ADMIN_SOURCE: "管理员录入"}
# How far a client's clock (a phone's, a window's PC) may run ahead of the server's before a time
# it sends counts as "in the future" (occurred_at, held_at, a patrol's end …).
CLOCK_SKEW = timedelta(minutes=5)
# Years an administrator may enter; a wider range is more likely a typo than a notice.
EDITABLE_YEARS = range(2000, 2100)

VERSION_KEY = "yimen:calendar:version"
CHECK_EVERY = 1.0  # seconds between looks at the shared version
MAX_AGE = 60.0  # seconds a process trusts its copy when the cache is not shared

logger = logging.getLogger(__name__)


def day_start(day: date) -> datetime:
    """Midnight opening a Beijing calendar day (API.md: times are +08:00), where a filter's
    "since" day begins. Clamped: 0001-01-01 or 9999-12-31 is a fair "no bound", but its midnight
    in +08:00 lies outside what datetime can hold in UTC."""
    day = min(max(day, date(1900, 1, 1)), date(9999, 12, 30))
    return datetime.combine(day, datetime.min.time(), tzinfo=SHANGHAI)


def day_end(day: date) -> datetime:
    """Midnight closing a Beijing calendar day, where an inclusive "until" day ends."""
    return day_start(min(day, date(9999, 12, 29)) + timedelta(days=1))


@dataclass(frozen=True)
class Snapshot:
    version: int
    loaded: float  # time.monotonic() at load
    known: dict[int, str]  # year -> source of its CalendarYear row
    days: dict[date, bool]  # date -> is_workday, for every CalendarDay row


_snapshot: Snapshot | None = None
_checked = 0.0
_warned: set[int] = set()


def invalidate() -> None:
    """Forget this process's copy and bump the shared version so other processes reload too."""
    global _snapshot
    _snapshot = None
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted): any new value differs from the old one
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def _current() -> Snapshot:
    global _snapshot, _checked
    now = time.monotonic()
    snapshot = _snapshot
    if snapshot is not None and now - _checked < CHECK_EVERY:
        return snapshot
    version = cache.get(VERSION_KEY, 0)
    if snapshot is None or snapshot.version != version or now - snapshot.loaded > MAX_AGE:
        snapshot = Snapshot(
            version=version,
            loaded=now,
            known=dict(CalendarYear.objects.values_list("year", "source")),
            days=dict(CalendarDay.objects.values_list("date", "is_workday")),
        )
        _snapshot = snapshot
    _checked = now
    return snapshot


def is_workday(d: date) -> bool:
    """Is `d` a working day? Its CalendarDay row if any, else Monday–Friday (module docstring)."""
    if isinstance(d, datetime):  # a datetime's date depends on the time zone: say which
        raise TypeError("is_workday takes a date; convert the datetime to Asia/Shanghai first")
    snapshot = _current()
    if d.year not in snapshot.known and d.year not in _warned:
        _warned.add(d.year)
        logger.warning("Working-day calendar: %s is not known, counting weekends only as rest days", d.year)
    found = snapshot.days.get(d)
    return d.weekday() < 5 if found is None else found


def next_workday(d: date) -> date:
    """The first working day after `d`."""
    d += timedelta(days=1)
    while not is_workday(d):
        d += timedelta(days=1)
    return d


def unknown_years(*, today: date | None = None) -> list[int]:
    """Which of the current and the next year (in Asia/Shanghai) nobody has marked known."""
    today = today or timezone.now().astimezone(SHANGHAI).date()
    known = _current().known
    return [year for year in (today.year, today.year + 1) if year not in known]


def calendar_warnings(*, today: date | None = None) -> list[str]:
    """What administrators must hear: the current or next year has no entered holidays, so its
    deadlines count weekends only (DESIGN §3)."""
    return [
        f"{year} 年的法定节假日和调休安排尚未录入，期限暂按“周一至周五上班、周六周日休息”计算。"
        f"请系统管理员依据国务院办公厅的放假通知录入，并将该年度标记为已知。"
        for year in unknown_years(today=today)
    ]


# Seeding from chinesecalendar. These functions take the model classes so that the data
# migration can pass its historical models (0002_calendar_library) and the service the real ones.

# The State Council notices name these holidays 清明节, 端午节, 中秋节; the library shortens them.
_NOTICE_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}


def library_years() -> range:
    """The years chinesecalendar knows (1.11: 2004–2026); it raises NotImplementedError beyond."""
    years = {d.year for d in chinese_calendar.holidays}
    return range(min(years), max(years) + 1)


def _chinese_name(english: str | None) -> str:
    if not english:
        return ""
    chinese = chinese_calendar.Holiday(english).chinese
    return _NOTICE_NAMES.get(chinese, chinese)


def library_days(year: int) -> dict[date, tuple[bool, str]]:
    """The days of `year` that differ from Monday–Friday per chinesecalendar: holidays on a
    weekday and make-up workdays on a weekend, each with its holiday's Chinese name."""
    if year not in library_years():
        raise ValueError(f"chinesecalendar has no data for {year}")
    found = {}
    day = date(year, 1, 1)
    while day.year == year:
        workday = chinese_calendar.is_workday(day)
        if workday != (day.weekday() < 5):
            _, english = chinese_calendar.get_holiday_detail(day)
            found[day] = (workday, _chinese_name(english))
        day += timedelta(days=1)
    return found


def store_library_year(*, year: int, year_model: type[models.Model], day_model: type[models.Model]) -> int:
    """Write one library year: add missing days, correct or drop the library's own rows, keep
    every day an administrator set, and mark the year known. Idempotent; returns the number of
    rows written."""
    wanted = library_days(year)
    existing = {row.date: row for row in day_model.objects.filter(date__year=year)}
    ours = {d: row for d, row in existing.items() if row.source == LIBRARY_SOURCE}
    new = [
        day_model(date=d, is_workday=workday, name=name, source=LIBRARY_SOURCE)
        for d, (workday, name) in wanted.items()
        if d not in existing
    ]
    day_model.objects.bulk_create(new)
    changed = len(new)
    for d, row in ours.items():
        if d not in wanted:
            row.delete()
            changed += 1
        elif (row.is_workday, row.name) != wanted[d]:
            row.is_workday, row.name = wanted[d]
            row.save(update_fields=["is_workday", "name"])
            changed += 1
    _, created = year_model.objects.get_or_create(year=year, defaults={"source": LIBRARY_SOURCE})
    return changed + created
