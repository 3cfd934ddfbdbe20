"""The home page shows each seat its day (issue 14 part 9): the window's intake and repeat
visitors, a unit's overdue / due soon / to sign and notes owed, the oversight seats' red and
overdue cases — a few rows each, urgent first, at a flat number of queries per role."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yimen.cases import services
from yimen.cases.day import HOME_ROWS, NOTE_EVERY
from yimen.cases.models import Assignment, Case, TimelineEvent
from yimen.cases.tests.conftest import JUDICIAL, POLICE, act, register

OTHER_PHONE = "13907730002"


def home(client, member) -> str:
    client.force_login(member.user)
    page = client.get("/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    return page.content.decode()


def section(html: str, key: str) -> str:
    start = html.index(f'data-testid="day-{key}"')
    return html[start : html.find('data-testid="day-', start + 1)]


def test_the_clerk_sees_todays_intake_and_who_came_back(client, seats, time_machine):
    time_machine.move_to(timezone.now() - timedelta(days=30))
    earlier = register(seats["clerk"], title="上月来访：宅基地界桩")
    time_machine.move_to(timezone.now() + timedelta(days=30))
    again = register(seats["clerk"], title="唐建国再次反映宅基地")  # the same applicant's phone
    first = register(
        seats["clerk"], title="蒋小梅反映噪音", parties=[{"name": "蒋小梅", "role": "applicant", "phone": OTHER_PHONE}]
    )
    html = home(client, seats["clerk"])
    intake = section(html, "intake")
    assert again.code in intake and first.code in intake and earlier.code not in intake
    repeat = section(html, "repeat")
    assert again.code in repeat and "此前 1 件" in repeat and first.code not in repeat
    assert "received_since=" in intake  # 全部 → today's list


@pytest.mark.parametrize("n", [1, 4])
def test_the_clerks_day_costs_the_same_for_1_or_4_cases(client, seats, n, django_assert_max_num_queries):
    register(seats["clerk"], title="前次来访")
    for i in range(n):
        register(seats["clerk"], title=f"今日来访 {i}")
    client.force_login(seats["clerk"].user)
    with django_assert_max_num_queries(11):  # the page's 7, open whistles, today's cases, their parties, earlier ones
        assert client.get("/").status_code == 200


def dispatched(seats, title: str) -> Case:
    case = act("accept", register(seats["clerk"], title=title), seats["clerk"])
    return act("dispatch", case, seats["dispatcher"], lead_unit=POLICE, support_units=[JUDICIAL])


def test_a_handler_sees_what_to_sign_and_what_is_late(client, seats):
    waiting = dispatched(seats, "待签收的纠纷")
    late = dispatched(seats, "已超期的纠纷")
    Assignment.objects.filter(case=late, unit__code=POLICE).update(deadline=timezone.now() - timedelta(hours=1))
    html = home(client, seats["police"])
    assert waiting.code in section(html, "pending")
    overdue = section(html, "overdue")
    assert late.code in overdue and "border-danger" in overdue
    assert html.index('data-testid="day-overdue"') < html.index('data-testid="day-pending"')  # urgent first


def test_notes_owed_after_a_silent_week(client, seats, time_machine):
    time_machine.move_to(timezone.now() - NOTE_EVERY - timedelta(days=1))
    silent = act("sign", dispatched(seats, "签收后未联系当事人"), seats["police"])
    noted = act("sign", dispatched(seats, "签收后已电话联系"), seats["police"])
    time_machine.move_to(timezone.now() + NOTE_EVERY + timedelta(days=1))
    fresh = act("sign", dispatched(seats, "今天刚签收"), seats["police"])
    # The progress note as case_note writes it (issue 14 part 3): one "note" event of the unit.
    TimelineEvent.objects.create(
        case=noted, action="note", unit=seats["police"].unit, actor=seats["police"].user, note="已电话联系当事人"
    )
    owed = section(home(client, seats["police"]), "notes_owed")
    assert silent.code in owed and noted.code not in owed and fresh.code not in owed
    judicial = section(home(client, seats["judicial"]), "notes_owed")  # a support unit owes no lead's note
    assert silent.code not in judicial


@pytest.mark.parametrize("n", [1, 4])
def test_a_handlers_day_costs_the_same_for_1_or_4_cases(client, seats, n, django_assert_max_num_queries):
    for i in range(n):
        act("sign", dispatched(seats, f"纠纷 {i}"), seats["police"])
        dispatched(seats, f"待签 {i}")
    client.force_login(seats["police"].user)
    with django_assert_max_num_queries(
        14
    ):  # the page's 7, open whistles, the bucket counts (2), three buckets, notes owed
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("role", ["leader", "supervisor", "dispatcher"])
def test_oversight_sees_red_and_overdue_cases(client, seats, role):
    red = register(seats["clerk"], title="群体性土地纠纷")
    Case.objects.filter(pk=red.pk).update(risk="red")
    late = register(seats["clerk"], title="受理超期的求助")
    Case.objects.filter(pk=late.pk).update(accept_deadline=timezone.now() - timedelta(hours=2))
    calm = register(seats["clerk"], title="普通咨询")
    html = home(client, seats[role])
    assert red.code in section(html, "red") and calm.code not in section(html, "red")
    assert late.code in section(html, "late") and calm.code not in section(html, "late")
    assert "risk=red" in section(html, "red") and "overdue=true" in section(html, "late")


@pytest.mark.parametrize("n", [1, HOME_ROWS + 2])
def test_the_oversight_day_shows_a_few_rows_at_a_flat_cost(client, seats, n, django_assert_max_num_queries):
    for i in range(n):
        case = register(seats["clerk"], title=f"红色 {i}")
        Case.objects.filter(pk=case.pk).update(risk="red")
    client.force_login(seats["leader"].user)
    with django_assert_max_num_queries(12):  # the page's 7, open whistles, red and overdue: rows and counts
        html = client.get("/").content.decode()
    assert section(html, "red").count("data-code=") == min(n, HOME_ROWS)


def test_seats_without_cases_keep_the_menu_only(client, seats):
    html = home(client, seats["auditor"])
    assert 'data-testid="home-day"' not in html and "审计日志" in html


def test_a_summoned_unit_sees_its_open_whistle_first(client, seats):
    """吹哨报到: the police's day opens with the whistle it must answer, until it has reported."""
    case = dispatched(seats, "叔侄冲突再起")
    services.whistle_blow(
        case=case,
        actor=seats["zhengfa"],
        units=[POLICE, JUDICIAL],
        place="才湾村唐家院子",
        reason="现场调处",
        arrive_within_minutes=30,
    )
    html = home(client, seats["police"])
    whistles = section(html, "whistles")
    assert case.code in whistles and "才湾村唐家院子" in whistles and "前到场报到" in whistles
    assert "border-danger" in whistles  # an arrival is owed
    assert html.index('data-testid="day-whistles"') < html.index('data-testid="day-pending"')
    whistle = case.whistles.get()
    services.whistle_arrive(whistle=whistle, actor=seats["police"])
    reported = section(home(client, seats["police"]), "whistles")
    assert "本单位已报到" in reported and "border-danger" not in reported  # still open, nothing owed
    assert 'data-testid="day-whistles"' not in home(client, seats["clerk"])  # not summoned


def test_the_summoner_keeps_an_open_whistle_on_the_day_until_released(client, seats):
    """事不完人不撤: the 政法委员 sees who has come and who has not, until the whistle is released."""
    case = dispatched(seats, "叔侄冲突再起")
    whistle = services.whistle_blow(
        case=case,
        actor=seats["zhengfa"],
        units=[POLICE, JUDICIAL],
        place="才湾村唐家院子",
        reason="现场调处",
        arrive_within_minutes=30,
    )
    services.whistle_arrive(whistle=whistle, actor=seats["police"])
    row = section(home(client, seats["zhengfa"]), "whistles_open")
    assert case.code in row and "已到" in row and "待到" in row
    services.whistle_release(whistle=whistle, actor=seats["zhengfa"], reason="现场已平息")
    assert 'data-testid="day-whistles_open"' not in home(client, seats["zhengfa"])
