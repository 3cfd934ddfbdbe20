"""The working-day calendar page /calendar/: who sees it, who edits it, and what they are told."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from yimen.core import calendar
from yimen.core.calendar import SHANGHAI, is_workday
from yimen.core.models import AuditEntry, CalendarDay, CalendarYear

PAGE = "/calendar/"


@pytest.fixture(autouse=True)
def fresh_calendar():
    """The per-process calendar cache outlives a test's rolled-back transaction."""
    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture
def admin(client, persona):
    client.force_login(persona("sysadmin").user)
    return client


def add_day(client, **fields):
    return client.post(reverse("core:calendar_day_set"), {"year": "2027", "is_workday": "false", **fields})


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_clerk_is_refused(client, persona):
    client.force_login(persona("clerk").user)
    assert client.get(PAGE).status_code == 403
    assert add_day(client, date="2027-10-01", name="国庆节").status_code == 403


def test_dispatcher_views_but_cannot_edit(client, persona):
    client.force_login(persona("dispatcher").user)
    response = client.get(PAGE, {"year": 2025})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2025-10-01" in html and "国庆节" in html and "中秋节" in html and "调休上班" in html
    assert 'data-testid="year-known"' in html and 'data-testid="calendar-months"' in html
    assert 'data-testid="day-form"' not in html and "删除" not in html
    assert add_day(client, date="2027-10-01", name="国庆节").status_code == 403
    assert client.post(reverse("core:calendar_day_remove"), {"date": "2025-10-01"}).status_code == 403
    assert client.post(reverse("core:calendar_year_mark_known"), {"year": "2027", "source": "x"}).status_code == 403
    assert CalendarDay.objects.filter(date=date(2025, 10, 1)).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_an_unknown_year_shows_the_warning_banner(client, persona):
    client.force_login(persona("dispatcher").user)
    html = client.get(PAGE, {"year": 2027}).content.decode()
    assert 'data-testid="year-unknown"' in html
    assert "2027 年的法定节假日尚未录入" in html and "周一至周五上班、周六周日休息" in html
    assert "请联系系统管理员" in html


def test_a_bad_year_falls_back_to_the_current_one(admin):
    response = admin.get(PAGE, {"year": "abc"})
    assert response.status_code == 200 and response.context["year"] == timezone.now().astimezone(SHANGHAI).year


def test_sysadmin_adds_a_day_and_deadlines_follow_at_once(admin):
    assert is_workday(date(2027, 10, 1))
    page = admin.get(PAGE, {"year": 2027}).content.decode()
    assert 'data-testid="day-form"' in page and 'data-testid="year-form"' in page
    response = add_day(admin, date="2027-10-01", name="国庆节")
    assert response.status_code == 302 and response.url == f"{PAGE}?year=2027"
    assert not is_workday(date(2027, 10, 1))
    row = CalendarDay.objects.get(date=date(2027, 10, 1))
    assert (row.is_workday, row.name, row.source) == (False, "国庆节", "admin")
    assert AuditEntry.objects.filter(action="calendar_day_set", actor_username="sysadmin").count() == 1
    html = admin.get(response.url).content.decode()
    assert "已保存：2027-10-01 国庆节（放假休息）" in html and "2027-10-01" in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": "2027-02-30", "name": "春节"}, "日期无效，请按 YYYY-MM-DD 填写"),
        ({"date": "", "name": "春节"}, "请填写日期。"),
        ({"date": "2027-10-01", "name": ""}, "请填写名称，例如“国庆节”。"),
        ({"date": "2025-10-01", "name": "国庆节"}, "2025-10-01 已有安排（国庆节，放假休息）"),
        ({"date": "2027-10-01", "name": "国庆节", "is_workday": "maybe"}, "请选择放假休息或调休上班。"),
    ],
)
def test_add_day_shows_field_messages(admin, fields, message):
    response = add_day(admin, **fields)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not AuditEntry.objects.filter(action="calendar_day_set").exists()


def test_sysadmin_changes_a_library_day(admin):
    form = admin.get(PAGE, {"year": 2025, "edit": "2025-10-08"}).content.decode()
    assert "修改 2025-10-08 的安排" in form and 'value="2025-10-08"' in form and "readonly" in form
    response = add_day(admin, date="2025-10-08", is_workday="true", name="国庆节（值班）", replace="True")
    assert response.status_code == 302
    assert is_workday(date(2025, 10, 8))
    assert CalendarDay.objects.get(date=date(2025, 10, 8)).name == "国庆节（值班）"


def test_sysadmin_removes_a_day(admin):
    response = admin.post(reverse("core:calendar_day_remove"), {"date": "2025-10-08", "year": "2025"})
    assert response.status_code == 302 and response.url == f"{PAGE}?year=2025"
    assert is_workday(date(2025, 10, 8))  # a Wednesday again
    assert AuditEntry.objects.filter(action="calendar_day_remove").count() == 1
    again = admin.post(reverse("core:calendar_day_remove"), {"date": "2025-10-08", "year": "2025"}, follow=True)
    assert "2025-10-08 没有单独的安排" in again.content.decode()


def test_sysadmin_marks_a_year_known_once_it_has_days(admin):
    empty = admin.post(reverse("core:calendar_year_mark_known"), {"year": "2027", "source": "国办发明电〔2026〕1号"})
    assert empty.status_code == 422 and "2027 年还没有录入任何节假日" in empty.content.decode()
    no_source = admin.post(reverse("core:calendar_year_mark_known"), {"year": "2027", "source": ""})
    assert no_source.status_code == 422 and "请填写依据" in no_source.content.decode()
    add_day(admin, date="2027-10-01", name="国庆节")
    marked = admin.post(reverse("core:calendar_year_mark_known"), {"year": "2027", "source": "国办发明电〔2026〕1号"})
    assert marked.status_code == 302
    assert CalendarYear.objects.get(year=2027).source == "国办发明电〔2026〕1号"
    html = admin.get(PAGE, {"year": 2027}).content.decode()
    assert 'data-testid="year-known"' in html and 'data-testid="year-form"' not in html


def test_posts_need_the_csrf_token(persona):
    client = Client(enforce_csrf_checks=True)
    client.force_login(persona("sysadmin").user)
    assert add_day(client, date="2027-10-01", name="国庆节").status_code == 403
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_page_cost_does_not_grow_with_the_year(admin):
    costs = {}
    for year in (2025, 2027):  # 23 entries, then none
        admin.get(PAGE, {"year": year})  # warm the session and the calendar cache
        with CaptureQueriesContext(connection) as queries:
            assert admin.get(PAGE, {"year": year}).status_code == 200
        costs[year] = len(queries)
        assert len([q for q in queries.captured_queries if "core_calendar" in q["sql"]]) == 2
    assert costs[2025] == costs[2027]
