"""The working-day calendar page (工作日历): a year's holidays and make-up workdays as a table and
a month grid, a warning for years nobody has entered, and for the system administrator the
forms that edit it (DESIGN §3). Every change goes through services.calendar_*."""

from calendar import Calendar
from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yimen.core import services
from yimen.core.calendar import EDITABLE_YEARS, SHANGHAI, SOURCE_LABELS, is_workday, unknown_years
from yimen.core.errors import DomainError
from yimen.core.forms import CalendarDayForm, CalendarDayRemoveForm, CalendarYearForm, add_service_errors
from yimen.core.models import CalendarDay, CalendarYear
from yimen.core.permissions import member_required

WEEKDAYS = "一二三四五六日"


def _year(value: str | None) -> int:
    """The year asked for, or the current one when the value is missing or out of range."""
    try:
        year = int(value or "")
    except ValueError:
        year = 0
    return year if year in EDITABLE_YEARS else timezone.now().astimezone(SHANGHAI).year


def _year_url(year: int) -> str:
    return f"{reverse('core:calendar')}?year={year}"


def _cell(day: date, row: CalendarDay | None) -> dict:
    name = row.name if row else ""
    if is_workday(day):  # the same answer deadlines get
        return {"day": day.day, "kind": "makeup" if day.weekday() >= 5 else "work", "name": name}
    return {"day": day.day, "kind": "holiday" if row else "rest", "name": name}


def _months(year: int, rows: dict[date, CalendarDay]) -> list[dict]:
    weeks_of = Calendar(firstweekday=0)
    return [
        {
            "month": month,
            "weeks": [
                [_cell(day, rows.get(day)) if day.month == month else None for day in week]
                for week in weeks_of.monthdatescalendar(year, month)
            ],
        }
        for month in range(1, 13)
    ]


def _day_form(edit: str | None, rows: dict[date, CalendarDay]) -> CalendarDayForm:
    """The add form, or the change form for the day in ?edit=YYYY-MM-DD."""
    try:
        row = rows.get(date.fromisoformat(edit or ""))
    except ValueError:
        row = None
    if row is None:
        return CalendarDayForm()
    initial = {"date": row.date, "is_workday": "true" if row.is_workday else "false", "name": row.name}
    return CalendarDayForm(initial={**initial, "replace": True})


def _page(request, year: int, *, status: int = 200, day_form=None, year_form=None):
    rows = {row.date: row for row in CalendarDay.objects.filter(date__year=year)}
    marked = CalendarYear.objects.filter(year=year).first()
    manage = request.member.has_perm("calendar.manage")
    editing = False
    if manage:
        day_form = day_form or _day_form(request.GET.get("edit"), rows)
        editing = day_form.fields["replace"].to_python(day_form["replace"].value())
        if editing:
            day_form.fields["date"].widget.attrs["readonly"] = True
        if marked is None:
            year_form = year_form or CalendarYearForm(initial={"year": year})
    table = [
        {
            "row": row,
            "weekday": WEEKDAYS[row.date.weekday()],
            "source": SOURCE_LABELS.get(row.source, row.source),
        }
        for row in rows.values()
    ]
    context = {
        "year": year,
        "years": (year - 1, year + 1),
        "marked": marked,
        "marked_source": SOURCE_LABELS.get(marked.source, marked.source) if marked else "",
        "other_unknown": [y for y in unknown_years() if y != year],
        "table": table,
        "holidays": sum(1 for row in rows.values() if not row.is_workday),
        "makeups": sum(1 for row in rows.values() if row.is_workday),
        "months": _months(year, rows),
        "weekdays": WEEKDAYS,
        "manage": manage,
        "editing": editing,
        "day_form": day_form,
        "year_form": year_form,
        "remove_form": CalendarDayRemoveForm(),
    }
    return render(request, "core/calendar.html", context, status=status)


@member_required("calendar.view")
def calendar(request):
    return _page(request, _year(request.GET.get("year")))


@member_required("calendar.manage")
@require_POST
def calendar_day_set(request):
    form = CalendarDayForm(request.POST)
    year = _year(request.POST.get("year"))
    if not form.is_valid():
        return _page(request, year, status=422, day_form=form)
    try:
        row = services.calendar_day_set(actor=request.member, **form.cleaned_data)
    except DomainError as exc:
        add_service_errors(form, exc)
        return _page(request, year, status=exc.status, day_form=form)
    kind = "调休上班" if row.is_workday else "放假休息"
    messages.success(request, f"已保存：{row.date:%Y-%m-%d} {row.name}（{kind}），期限计算立即按此执行。")
    return redirect(_year_url(row.date.year))


@member_required("calendar.manage")
@require_POST
def calendar_day_remove(request):
    form = CalendarDayRemoveForm(request.POST)
    year = _year(request.POST.get("year"))
    if not form.is_valid():
        messages.error(request, "没有指定要删除的日期。")
        return redirect(_year_url(year))
    day = form.cleaned_data["date"]
    try:
        services.calendar_day_remove(actor=request.member, date=day)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除 {day:%Y-%m-%d} 的安排，该日恢复按星期计算。")
    return redirect(_year_url(day.year))


@member_required("calendar.manage")
@require_POST
def calendar_year_mark_known(request):
    form = CalendarYearForm(request.POST)
    year = _year(request.POST.get("year"))
    if not form.is_valid():
        return _page(request, year, status=422, year_form=form)
    try:
        marked = services.calendar_year_mark_known(actor=request.member, **form.cleaned_data)
    except DomainError as exc:
        add_service_errors(form, exc)
        return _page(request, year, status=exc.status, year_form=form)
    messages.success(request, f"{marked.year} 年已标记为已知（依据：{marked.source}）。")
    return redirect(_year_url(marked.year))
