"""The home page's day (registered with yimen.org.home): which sections a seat sees is data on
its role, and each section's rows come from yimen.cases.day."""

from urllib.parse import urlencode

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from yimen.cases import day, selectors
from yimen.org.roles import Role

# The centre's window registers and sees who came back; the oversight seats watch red and late.
INTAKE_ROLES = frozenset({Role.CLERK})
OVERSIGHT_ROLES = frozenset({Role.LEADER, Role.SUPERVISOR, Role.DISPATCHER, Role.ZHENGFA})


def _list_url(**query) -> str:
    return f"{reverse('cases:list')}?{urlencode(query)}"


def _intake(member) -> list[day.Section]:
    today = timezone.localdate().isoformat()
    cases = day.todays_intake(member=member)
    scanned = list(cases[: day.INTAKE_SCAN])
    repeats = day.repeat_visitors(member=member, cases=scanned)
    for case in scanned:
        case.earlier_cases = repeats.get(case.pk, 0)
    more = _list_url(tab="all", received_since=today)
    came_back = [case for case in scanned if case.earlier_cases]
    return [
        day.Section("intake", "今日受理", scanned[: day.HOME_ROWS], len(scanned), more, "今天本单位还没有登记案件。"),
        day.Section("repeat", "重复来访", came_back[: day.HOME_ROWS], len(came_back), more, "今天没有重复来访的群众。"),
    ]


def _handling(member) -> list[day.Section]:
    counts, rows = day.inbox_sections(member=member)
    sections = [
        day.Section(bucket, title, rows[bucket], counts[bucket], _list_url(tab=bucket), empty, urgent=urgent)
        for bucket, title, empty, urgent in (
            ("overdue", "已超期", "没有超期的案件。", True),
            ("due_soon", "即将超期", "近期没有到期的案件。", False),
            ("pending", "待签收", "没有待签收的案件。", False),
        )
    ]
    owed = list(day.notes_owed(member=member)[: day.HOME_ROWS + 1])
    shown = f"{day.HOME_ROWS}+" if len(owed) > day.HOME_ROWS else len(owed)
    empty = f"主办案件近 {day.NOTE_EVERY.days} 天都有进展记录。"
    sections.append(
        day.Section("notes_owed", "待记进展", owed[: day.HOME_ROWS], shown, _list_url(tab="in_progress"), empty)
    )
    return sections


def _oversight(member) -> list[day.Section]:
    red, late = day.red_cases(member=member), day.overdue_cases(member=member)
    return [
        day.Section(key, title, list(rows[: day.HOME_ROWS]), day.capped(rows), url, empty, urgent=True)
        for key, title, rows, url, empty in (
            ("red", "红色风险", red, _list_url(tab="all", risk="red"), "没有红色风险案件。"),
            ("late", "超期案件", late, _list_url(tab="all", overdue="true"), "没有超期案件。"),
        )
    ]


def _whistles(member) -> list[day.Section]:
    """吹哨报到 summoning the member's unit: first on the page while any is open — units report
    at the place within minutes and stay until it is released ("事不完人不撤"). Red only while
    the unit still owes an arrival: once it has reported, the alarm would call for nothing."""
    sections = []
    summoned = selectors.whistles_open_for(member=member)
    if summoned:
        url = reverse("cases:detail", args=[summoned[0].case.code])
        owed = any(whistle.mine.arrived_at is None for whistle in summoned)
        sections.append(
            day.Section("whistles", "吹哨报到", summoned[: day.HOME_ROWS], len(summoned), url, "", urgent=owed)
        )
    blown = selectors.whistles_open_in(member=member)
    if blown:  # the summoner's side: who has come, who is late, until released
        url = reverse("cases:detail", args=[blown[0].case.code])
        sections.append(day.Section("whistles_open", "未撤哨", blown[: day.HOME_ROWS], len(blown), url, ""))
    return sections


def home_day(request: HttpRequest) -> str:
    member = getattr(request, "member", None)
    if member is None or not member.has_perm("case.view"):
        return ""
    sections = _whistles(member)
    if member.role in INTAKE_ROLES:
        sections += _intake(member)
    if member.role in OVERSIGHT_ROLES:
        sections += _oversight(member)
    if member.has_perm("case.sign"):
        sections += _handling(member)
    if not sections:
        return ""
    return render_to_string("cases/home/_day.html", {"sections": sections, "member": member}, request=request)
