"""Urgent work first and every column sorts (issue 21 item 2); the search says where it found
the words (item 3)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from yimen.cases.models import Assignment
from yimen.cases.tests.conftest import JUDICIAL, POLICE, act, at, register
from yimen.cases.tests.test_api import bearer


def dispatched(seats, **fields):
    case = act("accept", register(seats["clerk"], **fields), seats["clerk"])
    plan = "派出所牵头，司法所协助，24 小时内上门" if case.risk == "red" else ""
    return act("dispatch", case, seats["dispatcher"], lead_unit=POLICE, support_units=[JUDICIAL], plan=plan)


def row_codes(html: str) -> list[str]:
    return re.findall(r'data-code="([^"]+)"', html)


@pytest.fixture
def routine_then_violence(seats):
    """A month-long neighbour dispute dispatched first, a 24-hour domestic-violence case after."""
    routine = dispatched(seats, category="dispute.neighbour.noise", title="邻里噪音纠纷")
    violence = dispatched(seats, category="dispute.family.violence", title="称丈夫长期殴打", risk="orange")
    return routine, violence


def test_the_24_hour_violence_case_heads_the_police_queue(client, seats, routine_then_violence):
    routine, violence = routine_then_violence
    client.force_login(seats["police"].user)
    html = client.get("/cases/", {"tab": "pending"}).content.decode()
    assert row_codes(html) == [violence.code, routine.code]
    assert 'aria-sort="ascending"' in html  # the 期限 column says it orders the rows


def test_same_deadline_red_before_blue(client, seats):
    blue = dispatched(seats, title="蓝色")
    red = dispatched(seats, title="红色", risk="red")
    due = timezone.now() + timedelta(days=3)
    Assignment.objects.filter(case__in=[blue, red]).update(deadline=due)  # one deadline for both
    client.force_login(seats["police"].user)
    assert row_codes(client.get("/cases/", {"tab": "pending"}).content.decode()) == [red.code, blue.code]


def test_a_column_sorts_and_a_second_click_reverses(client, seats, routine_then_violence):
    routine, violence = routine_then_violence
    client.force_login(seats["police"].user)
    by_title = client.get("/cases/", {"tab": "pending", "sort": "title"}).content.decode()
    reversed_ = client.get("/cases/", {"tab": "pending", "sort": "-title"}).content.decode()
    assert row_codes(by_title) == list(reversed(row_codes(reversed_)))
    assert "sort=-title" in by_title  # the header's next click reverses
    newest = client.get("/cases/", {"tab": "all", "sort": "received"}).content.decode()
    assert row_codes(newest)[:2] == [violence.code, routine.code]
    urgent = client.get("/cases/", {"tab": "all", "sort": "deadline"}).content.decode()
    assert row_codes(urgent)[:2] == [violence.code, routine.code]
    oldest_first = client.get("/cases/", {"tab": "all", "sort": "-received"}).content.decode()
    assert row_codes(oldest_first)[:2] == [routine.code, violence.code]


def test_an_unknown_sort_on_the_page_falls_back_and_in_the_api_is_422(client, seats, routine_then_violence):
    client.force_login(seats["police"].user)
    assert client.get("/cases/", {"tab": "pending", "sort": "1;drop"}).status_code == 200
    answer = client.get("/api/v1/cases", {"sort": "1;drop"}, headers=bearer(seats["police"]))
    assert answer.status_code == 422 and "sort" in answer.json()["errors"]


def test_the_api_sorts_by_risk(client, seats, routine_then_violence):
    routine, violence = routine_then_violence
    items = client.get("/api/v1/cases", {"sort": "risk"}, headers=bearer(seats["dispatcher"])).json()["items"]
    assert [item["code"] for item in items][:2] == [violence.code, routine.code]


def test_work_due_today_is_marked(client, seats, time_machine):
    time_machine.move_to(at(2026, 12, 2, 9), tick=False)
    case = dispatched(seats, title="今日必须办结")
    Assignment.objects.filter(case=case, unit__code=POLICE).update(deadline=at(2026, 12, 2, 18))
    other = dispatched(seats, title="下月办结")
    client.force_login(seats["police"].user)
    html = client.get("/cases/", {"tab": "pending"}).content.decode()
    assert html.count('data-testid="due-today"') == 1
    assert 'data-testid="due-today"' in html.split(f'data-code="{other.code}"')[0]  # on the first row
    time_machine.move_to(at(2026, 12, 2, 19), tick=False)  # late now: 已超期, no longer 今日到期
    client.force_login(seats["police"].user)  # the idle session ended in the hour
    html = client.get("/cases/", {"tab": "pending"}).content.decode()
    assert 'data-testid="due-today"' not in html and "已超期" in html


def test_the_search_says_where_it_found_the_words(client, seats):
    by_party = register(seats["clerk"], title="土地承包纠纷", parties=[{"name": "蒋小梅", "role": "applicant"}])
    by_title = register(seats["clerk"], title="蒋家山林权纠纷")
    client.force_login(seats["clerk"].user)
    html = client.get("/cases/", {"tab": "all", "q": "蒋"}, headers={"HX-Request": "true"}).content.decode()
    assert set(row_codes(html)) >= {by_party.code, by_title.code}
    party_row = html.split(f'data-code="{by_party.code}"')[1].split("</tr>")[0]
    title_row = html.split(f'data-code="{by_title.code}"')[1].split("</tr>")[0]
    assert "匹配：当事人 蒋小梅" in party_row and "匹配：标题" in title_row
    serial = by_party.code.rsplit("-", 1)[1]
    html = client.get("/cases/", {"tab": "all", "q": serial}, headers={"HX-Request": "true"}).content.decode()
    assert row_codes(html) == [by_party.code] and "匹配：编码" in html


@pytest.mark.parametrize("n", [2, 8])
def test_a_searched_page_costs_the_same_for_2_or_8_rows(client, seats, n, django_assert_max_num_queries):
    for i in range(n):
        register(seats["clerk"], title=f"第{i}件", parties=[{"name": f"蒋{i}", "role": "applicant"}])
    client.force_login(seats["clerk"].user)
    client.get("/cases/", {"tab": "all", "q": "蒋"}, headers={"HX-Request": "true"})  # session warmed
    with django_assert_max_num_queries(14):
        html = client.get("/cases/", {"tab": "all", "q": "蒋"}, headers={"HX-Request": "true"}).content.decode()
    assert html.count("匹配：当事人") == n
