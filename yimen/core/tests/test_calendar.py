"""The working-day calendar: seeded from chinesecalendar, read fast, edited by the system
administrator with an audit entry, and honest about the years nobody has entered (DESIGN §3)."""

import logging
from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from yimen.core import audit, calendar, services
from yimen.core.calendar import SHANGHAI, calendar_warnings, is_workday
from yimen.core.deadlines import deadline_natural_days
from yimen.core.errors import Conflict, Invalid, NotAllowed, NotFound
from yimen.core.models import AuditEntry, CalendarDay, CalendarYear


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Each process caches the calendar, and the cache outlives a test's rolled-back
    transaction: every test starts and ends cold."""
    calendar.invalidate()
    yield
    calendar.invalidate()


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# (day, working day?, name of its CalendarDay row or None when the weekday rule decides), as
# published in the State Council's holiday notices for 2025 and 2026.
NOTICES_2025_2026 = [
    (date(2025, 1, 1), False, "元旦"),
    (date(2025, 1, 26), True, "春节"),  # Sunday, make-up workday
    *[(d, False, "春节") for d in (date(2025, 1, 28), date(2025, 1, 31), date(2025, 2, 3), date(2025, 2, 4))],
    (date(2025, 2, 1), False, None),  # Saturday inside the Spring Festival: a rest day anyway
    (date(2025, 2, 8), True, "春节"),  # Saturday, make-up workday
    (date(2025, 4, 4), False, "清明节"),
    (date(2025, 4, 27), True, "劳动节"),
    (date(2025, 5, 5), False, "劳动节"),
    (date(2025, 6, 2), False, "端午节"),
    (date(2025, 9, 28), True, "国庆节"),  # Sunday, make-up workday
    *[(date(2025, 10, n), False, "国庆节") for n in (1, 2, 3, 7, 8)],
    (date(2025, 10, 4), False, None),
    (date(2025, 10, 5), False, None),
    (date(2025, 10, 6), False, "中秋节"),  # Mid-Autumn falls inside National Day in 2025
    (date(2025, 10, 9), True, None),
    (date(2025, 10, 11), True, "国庆节"),  # Saturday, make-up workday
    (date(2026, 1, 2), False, "元旦"),
    (date(2026, 1, 4), True, "元旦"),  # Sunday, make-up workday
    (date(2026, 2, 14), True, "春节"),  # Saturday before the Spring Festival
    *[(date(2026, 2, n), False, "春节") for n in (16, 17, 18, 19, 20, 23)],
    (date(2026, 2, 15), False, None),
    (date(2026, 2, 24), True, None),
    (date(2026, 2, 28), True, "春节"),  # Saturday after it
    (date(2026, 10, 1), False, "国庆节"),
]


@pytest.mark.parametrize(("day", "workday", "name"), NOTICES_2025_2026, ids=str)
def test_2025_and_2026_holidays_and_make_up_days(db, day, workday, name):
    assert is_workday(day) is workday
    assert chinese_calendar.is_workday(day) is workday  # the table above agrees with the library
    row = CalendarDay.objects.filter(date=day).first()
    assert (row.name if row else None) == name


def test_every_seeded_day_agrees_with_the_library(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the whole calendar loads once
        disagree = [
            d for d in days(date(2004, 1, 1), date(2026, 12, 31)) if is_workday(d) != chinese_calendar.is_workday(d)
        ]
    assert disagree == []


def test_migration_seeds_only_days_that_differ_from_monday_to_friday(db):
    assert list(CalendarYear.objects.order_by("year").values_list("year", "source").distinct()) == [
        (year, "chinesecalendar") for year in range(2004, 2027)
    ]
    rows = CalendarDay.objects.all()
    assert rows.count() > 23 * 10
    for row in rows:
        assert row.is_workday == (row.date.weekday() >= 5), row.date
        assert row.source == "chinesecalendar" and row.name, row.date
    assert CalendarDay.objects.get(date=date(2015, 9, 3)).name.endswith("纪念日")  # 2015's one-off holiday


def test_reload_is_idempotent_repairs_library_rows_and_keeps_admin_rows(persona):
    assert services.calendar_load_from_library(years=[2025, 2026]) == {2025: 0, 2026: 0}
    assert not AuditEntry.objects.filter(action="calendar_load").exists()
    CalendarDay.objects.filter(date=date(2025, 10, 1)).delete()
    CalendarDay.objects.filter(date=date(2025, 10, 2)).update(name="错名")
    CalendarDay.objects.create(date=date(2025, 3, 3), is_workday=False, name="多余", source="chinesecalendar")
    services.calendar_day_set(
        actor=persona("sysadmin"), date=date(2025, 10, 8), is_workday=True, name="国庆节（本镇值守）", replace=True
    )
    assert services.calendar_load_from_library(years=[2025]) == {2025: 3}
    assert CalendarDay.objects.get(date=date(2025, 10, 1)).name == "国庆节"
    assert CalendarDay.objects.get(date=date(2025, 10, 2)).name == "国庆节"
    assert not CalendarDay.objects.filter(date=date(2025, 3, 3)).exists()
    kept = CalendarDay.objects.get(date=date(2025, 10, 8))
    assert (kept.is_workday, kept.source) == (True, "admin")
    entry = AuditEntry.objects.get(action="calendar_load")
    assert entry.actor_username == "system" and entry.detail["written"] == {"2025": 3}
    assert services.calendar_load_from_library(years=[2025]) == {2025: 0}


def test_load_calendar_command(db, capsys):
    call_command("load_calendar", "2025")
    assert "2025 年：已是最新" in capsys.readouterr().out
    with pytest.raises(CommandError, match="没有 2027 年"):
        call_command("load_calendar", "2026", "2027")


def test_an_unknown_year_counts_weekends_only_warns_once_and_never_raises(db, caplog, monkeypatch):
    monkeypatch.setattr(calendar, "_warned", set())
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 10, 1))  # why the table exists
    with caplog.at_level(logging.WARNING, logger="yimen.core.calendar"):
        assert is_workday(date(2027, 10, 1))  # a Friday: 国庆 in reality, but nobody entered 2027
        assert not is_workday(date(2027, 10, 2))
        assert is_workday(date(2027, 12, 31))
    assert [r.getMessage() for r in caplog.records] == [
        "Working-day calendar: 2027 is not known, counting weekends only as rest days"
    ]
    (warning,) = calendar_warnings(today=date(2026, 11, 25))
    assert warning.startswith("2027 年的法定节假日和调休安排尚未录入")
    assert calendar_warnings(today=date(2025, 6, 1)) == []
    assert [w[:4] for w in calendar_warnings(today=date(2027, 1, 4))] == ["2027", "2028"]


def test_is_workday_refuses_a_datetime(db):
    with pytest.raises(TypeError):
        is_workday(datetime(2025, 10, 1, 9, tzinfo=SHANGHAI))


def test_admin_override_applies_at_once_and_is_audited(persona):
    admin = persona("sysadmin")
    start = datetime(2027, 9, 24, 10, tzinfo=SHANGHAI)
    assert deadline_natural_days(start, 7) == datetime(2027, 10, 1, 23, 59, 59, tzinfo=SHANGHAI)  # cache warm
    services.calendar_day_set(actor=admin, date=date(2027, 10, 1), is_workday=False, name=" 国庆节 ")
    assert not is_workday(date(2027, 10, 1))
    assert deadline_natural_days(start, 7) == datetime(2027, 10, 4, 23, 59, 59, tzinfo=SHANGHAI)
    services.calendar_day_set(actor=admin, date=date(2027, 10, 1), is_workday=True, name="国庆节", replace=True)
    assert is_workday(date(2027, 10, 1))
    services.calendar_day_remove(actor=admin, date=date(2027, 10, 1))
    assert is_workday(date(2027, 10, 1)) and not CalendarDay.objects.filter(date=date(2027, 10, 1)).exists()

    entries = list(AuditEntry.objects.filter(action__startswith="calendar_day").order_by("seq"))
    assert [e.action for e in entries] == ["calendar_day_set", "calendar_day_set", "calendar_day_remove"]
    first, second, removal = entries
    assert (first.actor_username, first.unit_code, first.target) == ("sysadmin", admin.unit.code, "calendar:2027-10-01")
    assert first.detail == {"before": None, "after": {"is_workday": False, "name": "国庆节", "source": "admin"}}
    assert second.detail["before"]["is_workday"] is False and second.detail["after"]["is_workday"] is True
    assert removal.detail == {"before": {"is_workday": True, "name": "国庆节", "source": "admin"}}
    assert audit.verify().ok


def test_marking_a_year_known_stops_the_warning_and_is_audited(persona):
    admin = persona("sysadmin")
    services.calendar_day_set(actor=admin, date=date(2027, 10, 1), is_workday=False, name="国庆节")
    services.calendar_year_mark_known(actor=admin, year=2027, source="国办发明电〔2026〕1号")
    assert calendar_warnings(today=date(2026, 11, 25)) == []
    assert CalendarYear.objects.get(year=2027).source == "国办发明电〔2026〕1号"
    entry = AuditEntry.objects.get(action="calendar_year_mark_known")
    assert (entry.actor_username, entry.target, entry.detail) == (
        "sysadmin",
        "calendar:2027",
        {"source": "国办发明电〔2026〕1号"},
    )


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"date": date(2025, 10, 1), "is_workday": False, "name": "国庆节"}, "date", "已有安排"),
        ({"date": date(2027, 5, 3), "is_workday": False, "name": "  "}, "name", "请填写名称"),
        ({"date": date(2027, 5, 3), "is_workday": False, "name": "节" * 51}, "name", "最多 50 个字"),
        ({"date": date(1999, 10, 1), "is_workday": False, "name": "国庆节"}, "date", "2000–2099"),
    ],
)
def test_day_set_refuses_with_field_messages(persona, kwargs, field, message):
    with pytest.raises(Invalid) as refused:
        services.calendar_day_set(actor=persona("sysadmin"), **kwargs)
    assert message in " ".join(refused.value.errors[field])
    assert not AuditEntry.objects.filter(action="calendar_day_set").exists()


@pytest.mark.parametrize(
    ("year", "source", "field", "message"),
    [
        (2026, "国办发明电", "year", "已标记为已知"),
        (2028, "国办发明电", "year", "还没有录入"),
        (2028, " ", "source", "请填写依据"),
        (2100, "国办发明电", "year", "2000–2099"),
    ],
)
def test_mark_known_refuses_with_field_messages(persona, year, source, field, message):
    with pytest.raises(Invalid) as refused:
        services.calendar_year_mark_known(actor=persona("sysadmin"), year=year, source=source)
    assert message in " ".join(refused.value.errors[field])


def test_removing_a_day_without_an_entry_is_not_found(persona):
    with pytest.raises(NotFound):
        services.calendar_day_remove(actor=persona("sysadmin"), date=date(2027, 3, 3))


def test_only_the_system_administrator_edits(persona):
    dispatcher = persona("dispatcher")
    with pytest.raises(NotAllowed):
        services.calendar_day_set(actor=dispatcher, date=date(2027, 10, 1), is_workday=False, name="国庆节")
    with pytest.raises(NotAllowed):
        services.calendar_day_remove(actor=dispatcher, date=date(2025, 10, 1))
    with pytest.raises(NotAllowed):
        services.calendar_year_mark_known(actor=dispatcher, year=2027, source="x")
    assert CalendarDay.objects.filter(date=date(2025, 10, 1)).exists()


def test_a_race_to_add_the_same_day_is_a_conflict(persona, monkeypatch):
    admin = persona("sysadmin")
    CalendarDay.objects.create(date=date(2027, 10, 1), is_workday=False, name="国庆节", source="admin")
    # The other administrator's row appears between the duplicate check and the insert.
    monkeypatch.setattr(CalendarDay.objects, "select_for_update", lambda: CalendarDay.objects.none())
    with pytest.raises(Conflict):
        services.calendar_day_set(actor=admin, date=date(2027, 10, 1), is_workday=False, name="国庆节")


def test_reads_come_from_memory_once_loaded(db, django_assert_num_queries):
    is_workday(date(2025, 10, 1))
    with django_assert_num_queries(0):
        for d in days(date(2024, 1, 1), date(2027, 12, 31)):
            is_workday(d)


def test_another_processs_change_arrives_through_the_shared_version(db, monkeypatch):
    day = date(2025, 10, 1)
    assert not is_workday(day)
    CalendarDay.objects.filter(date=day).update(is_workday=True)  # as if written by another process
    monkeypatch.setattr(calendar, "CHECK_EVERY", 0.0)
    assert not is_workday(day)  # still the cached copy: the version has not moved
    cache.incr(calendar.VERSION_KEY)  # what invalidate() does in the other process
    assert is_workday(day)


def test_an_unshared_cache_still_reloads_within_max_age(db, monkeypatch):
    day = date(2025, 10, 1)
    assert not is_workday(day)
    CalendarDay.objects.filter(date=day).update(is_workday=True)
    monkeypatch.setattr(calendar, "CHECK_EVERY", 0.0)
    monkeypatch.setattr(calendar, "MAX_AGE", 0.0)
    assert is_workday(day)
