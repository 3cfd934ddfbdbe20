"""Lists flat with volume (issue 22): GET /cases counts up to LIST_COUNT_CAP and says whether the
count is exact (`count_exact`); within the cap it equals the raw count of what the caller sees."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yimen.cases import selectors
from yimen.cases.models import Case
from yimen.cases.selectors import lists
from yimen.cases.tests.conftest import register
from yimen.cases.tests.test_api import bearer


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hazards=st.integers(0, 6), disputes=st.integers(0, 6), cap=st.integers(1, 8))
def test_the_capped_count_equals_the_raw_count_within_the_cap(seats, monkeypatch, hazards, disputes, cap):
    Case.objects.all().delete()
    for n in range(hazards):
        register(seats["clerk"], kind="hazard", title=f"山体滑坡隐患 {n}", parties=[])
    for n in range(disputes):
        register(seats["clerk"], title=f"宅基地纠纷 {n}")
    monkeypatch.setattr(lists, "LIST_COUNT_CAP", cap)
    dispatcher = seats["dispatcher"]
    for filters in (None, selectors.CaseFilters(kind="hazard"), selectors.CaseFilters(q="纠纷")):
        raw = selectors.case_list(member=dispatcher, filters=filters).count()
        count, exact, rows = selectors.case_page(member=dispatcher, filters=filters, page_size=3)
        assert (count, exact) == ((raw, True) if raw <= cap else (cap, False))
        assert len(rows) == min(raw, 3)


def test_the_api_says_when_its_count_is_capped(client, seats, monkeypatch):
    for n in range(4):
        register(seats["clerk"], title=f"宅基地纠纷 {n}")
    register(seats["clerk"], kind="hazard", title="山体滑坡隐患", parties=[])
    headers = bearer(seats["dispatcher"])
    monkeypatch.setattr(lists, "LIST_COUNT_CAP", 3)
    page = client.get("/api/v1/cases", {"page_size": 2}, headers=headers).json()
    assert (page["count"], page["count_exact"], len(page["items"])) == (3, False, 2)
    narrowed = client.get("/api/v1/cases", {"kind": "hazard"}, headers=headers).json()
    assert (narrowed["count"], narrowed["count_exact"]) == (1, True)
    monkeypatch.setattr(lists, "LIST_COUNT_CAP", 5)
    page = client.get("/api/v1/cases", headers=headers).json()
    assert (page["count"], page["count_exact"]) == (5, True)
