"""The dispatcher's lists cost the same for 1 row as for 15 (issue 22 part 3): the /cases/ page
(every visible case, the worklist and the notices) and GET /cases; the filters' one-pass selects
write what Django's template select writes."""

import pytest
from django import forms
from django.http import QueryDict

from yimen.cases.forms import CaseFilterForm
from yimen.cases.models import Case
from yimen.cases.tests.conftest import register
from yimen.cases.tests.test_api import bearer


@pytest.fixture
def listed(seats, request):
    """n registered cases, the first of them not accepted in time."""
    cases = [register(seats["clerk"], title=f"第{i}件") for i in range(request.param)]
    Case.objects.filter(pk=cases[0].pk).update(accept_deadline=cases[0].received_at)
    return cases


@pytest.mark.parametrize("listed", [1, 15], indirect=True)
def test_the_dispatchers_case_page_costs_the_same_for_1_or_15_rows(client, seats, listed, django_assert_num_queries):
    client.force_login(seats["dispatcher"].user)
    client.get("/cases/", {"tab": "all"})  # session warmed
    with django_assert_num_queries(17):
        html = client.get("/cases/", {"tab": "all"}).content.decode()
    assert all(f'data-code="{case.code}"' in html for case in listed)
    assert "已超期" in html


@pytest.mark.parametrize("listed", [1, 15], indirect=True)
def test_get_cases_costs_the_same_for_1_or_15_rows(client, seats, listed, django_assert_num_queries):
    headers = bearer(seats["dispatcher"])
    with django_assert_num_queries(4):
        items = client.get("/api/v1/cases", headers=headers).json()["items"]
    assert {item["code"] for item in items} == {case.code for case in listed}
    assert [item["overdue"] for item in items].count(True) == 1


@pytest.mark.parametrize(
    "data", ["", "region=2&state=registered&overdue=true", "region=9&kind=bogus", "region=%3Cx%3E&risk=red"]
)
@pytest.mark.parametrize("name", ["region", "state", "kind", "risk", "overdue"])
def test_the_filters_selects_write_what_djangos_select_writes(data, name):
    form = CaseFilterForm(QueryDict(data), regions=[("1", "才湾村 & <b>"), ("2", "　第一网格"), ("3", "小塘村")])
    form.is_valid()
    one_pass = str(form[name])
    form.fields[name].widget = forms.Select(choices=form.fields[name].choices)
    assert one_pass == str(form[name])
