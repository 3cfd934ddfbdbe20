"""Find by phone and by a code's tail; a person's cases in the API and on the person card
(issue 14 part 8). The phone is looked up through the blind index and never echoed."""

import pytest

from yimen.cases.models import Case
from yimen.cases.search import CODE_TAIL_MIN
from yimen.cases.tests.conftest import POLICE, act, register
from yimen.cases.tests.test_api import bearer
from yimen.people.tests.samples import make_id_number, make_resident

PHONE = "13907730001"  # the applicant's phone in conftest.register
TYPED = ("+86 139 0773 0001", "139-0773-0001", PHONE, "8613907730001")


def codes(client, member, **query) -> set[str]:
    answer = client.get("/api/v1/cases", query, headers=bearer(member))
    assert answer.status_code == 200, answer.json()
    assert PHONE not in answer.content.decode()
    return {item["code"] for item in answer.json()["items"]}


@pytest.mark.parametrize("typed", TYPED)
def test_a_full_phone_finds_the_case_however_it_is_typed(client, seats, typed):
    theirs = register(seats["clerk"])
    register(seats["clerk"], parties=[{"name": "蒋小梅", "role": "applicant", "phone": "13907730002"}])
    assert codes(client, seats["clerk"], q=typed) == {theirs.code}


def test_a_part_of_a_phone_finds_nothing(client, seats):
    register(seats["clerk"])
    assert codes(client, seats["clerk"], q="0773") == set()  # never a LIKE on the number


def test_a_phone_outside_ones_scope_finds_nothing(client, seats):
    register(seats["clerk"])  # 才湾村
    assert codes(client, seats["gridworker2"], q=PHONE) == set()  # sees 小塘村 only


def test_the_tail_of_a_code_finds_the_case(client, seats):
    case = register(seats["clerk"])
    other = register(seats["clerk"], title="另一件")
    serial = case.code.rsplit("-", 1)[1]
    assert codes(client, seats["clerk"], q=serial) == {case.code}
    assert codes(client, seats["clerk"], q=case.code[-11:]) == {case.code}  # "2026-000001"
    assert codes(client, seats["clerk"], q=case.code[-CODE_TAIL_MIN:]) == {case.code}
    assert codes(client, seats["clerk"], q=case.code[-(CODE_TAIL_MIN - 1) :]) == set()
    assert other.code not in codes(client, seats["clerk"], q=serial)


@pytest.mark.parametrize("n", [1, 6])
def test_search_by_phone_costs_the_same_for_1_or_6_cases(client, seats, n, django_assert_max_num_queries):
    for _ in range(n):
        register(seats["clerk"])
    headers = bearer(seats["clerk"])
    with django_assert_max_num_queries(8):
        answer = client.get("/api/v1/cases", {"q": PHONE}, headers=headers)
    assert answer.json()["count"] == n


def test_the_list_page_never_echoes_the_phone(client, seats):
    case = register(seats["clerk"])
    client.force_login(seats["clerk"].user)
    page = client.get("/cases/", {"tab": "all", "q": "139-0773-0001"})
    html = page.content.decode()
    assert case.code in html and "按手机号 139****0001 查询" in html
    assert "0773-0001" not in html and PHONE not in html
    rows = client.get("/cases/", {"tab": "all", "q": PHONE}, headers={"HX-Request": "true"})
    assert case.code in rows.content.decode() and PHONE not in rows.content.decode()
    assert rows["HX-Push-Url"] == "false"  # not into the address bar or the history


def test_a_title_search_keeps_its_words_in_the_box(client, seats):
    register(seats["clerk"])
    client.force_login(seats["clerk"].user)
    html = client.get("/cases/", {"tab": "all", "q": "宅基地"}).content.decode()
    assert 'value="宅基地"' in html and "按手机号" not in html


# --- the person's cases -------------------------------------------------------------------------


def person_with_cases(seats):
    """A resident with a linked case, a case found by phone, one by ID number and a stranger's."""
    person = make_resident(seats["clerk"], "唐建国", seq=7)  # phone 13800000007
    linked = register(seats["clerk"], parties=[{"name": "唐建国", "role": "applicant", "person_id": person.pk}])
    by_phone = register(seats["clerk"], parties=[{"name": "唐建国", "role": "respondent", "phone": "138-0000-0007"}])
    same_id = {"name": "唐某", "role": "applicant", "id_number": make_id_number(seq=7)}
    by_id = register(seats["clerk"], parties=[same_id])
    stranger = register(seats["clerk"])
    return person, {linked.code, by_phone.code, by_id.code}, stranger


def test_the_persons_cases_in_the_api(client, seats):
    person, theirs, stranger = person_with_cases(seats)
    answer = client.get(f"/api/v1/persons/{person.pk}/cases", headers=bearer(seats["clerk"]))
    assert answer.status_code == 200
    data = answer.json()
    assert data["count"] == 3 and {item["code"] for item in data["items"]} == theirs
    assert stranger.code not in answer.content.decode()
    assert set(data["items"][0]) >= {"code", "title", "kind", "state", "risk", "region", "lead_unit", "deadline"}
    assert "13800000007" not in answer.content.decode()


def test_the_persons_cases_only_those_the_caller_may_see(client, seats):
    person, theirs, _ = person_with_cases(seats)
    sent = act("accept", Case.objects.get(code=min(theirs)), seats["clerk"])
    act("dispatch", sent, seats["dispatcher"], lead_unit=POLICE)
    answer = client.get(f"/api/v1/persons/{person.pk}/cases", headers=bearer(seats["police"]))
    assert {item["code"] for item in answer.json()["items"]} == {sent.code}  # only what reached the police


def test_a_hidden_person_is_404(client, seats):
    person, _, _ = person_with_cases(seats)  # 才湾村
    answer = client.get(f"/api/v1/persons/{person.pk}/cases", headers=bearer(seats["gridworker2"]))
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    assert client.get("/api/v1/persons/999999/cases", headers=bearer(seats["clerk"])).status_code == 404


def test_the_persons_cases_refused_without_the_registry(client, seats):
    person, _, _ = person_with_cases(seats)
    answer = client.get(f"/api/v1/persons/{person.pk}/cases", headers=bearer(seats["auditor"]))
    assert answer.status_code == 403


@pytest.mark.parametrize("n", [1, 5])
def test_the_person_card_lists_their_cases_at_a_flat_cost(client, seats, n, django_assert_max_num_queries):
    person = make_resident(seats["clerk"], "唐建国", seq=7)
    cases = [
        register(seats["clerk"], parties=[{"name": "唐建国", "role": "applicant", "person_id": person.pk}])
        for _ in range(n)
    ]
    stranger = register(seats["clerk"])
    client.force_login(seats["clerk"].user)
    with django_assert_max_num_queries(16):
        page = client.get(f"/persons/{person.pk}/")
    html = page.content.decode()
    assert 'data-testid="person-cases"' in html and f"案件（{n} 件）" in html
    assert all(f'href="/cases/{c.code}/"' in html for c in cases) and stranger.code not in html
    assert "已登记" in html  # the state badge
