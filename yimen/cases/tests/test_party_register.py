"""登记到民情档案 from the case page (issue 15 part 2): the walk-in typed at the window becomes a
resident with a link to the case, so the registry search and the person's case list find them."""

from yimen.cases.models import Party
from yimen.cases.tests.conftest import GRID, register
from yimen.cases.tests.test_api import bearer
from yimen.core.tests.samples import make_id_number
from yimen.people.models import Person
from yimen.people.selectors import person_search
from yimen.people.tests.samples import CAIWAN_MICROGRID, XIAOTANG_MICROGRID, make_resident

NUMBER = make_id_number(seq=77)


def walk_in(seats, **party):
    fields = {"name": "覃秀英", "role": "applicant", "phone": "13907730077", "id_number": NUMBER} | party
    return register(seats["clerk"], region=GRID, parties=[fields])


def test_the_clerk_files_a_walk_in_from_the_case_page(client, seats):
    case = walk_in(seats)
    client.force_login(seats["clerk"].user)
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert "登记到民情档案" in page and CAIWAN_MICROGRID in page  # the grid's micro-grids offered
    answer = client.post(f"/cases/{case.code}/parties/0/register/", {"reg0-region": CAIWAN_MICROGRID}, follow=True)
    person = Person.objects.get(name="覃秀英")
    assert "已登记到民情档案：覃秀英" in answer.content.decode()
    assert person.region.code == CAIWAN_MICROGRID and person.phone_masked == "139****0077"
    assert Party.objects.get(case=case).person == person
    assert case.events.filter(action="party_register").count() == 1
    assert list(person_search(member=seats["clerk"], q="覃秀英")) == [person]
    cases = client.get(f"/api/v1/persons/{person.pk}/cases", headers=bearer(seats["clerk"])).json()
    assert [item["code"] for item in cases["items"]] == [case.code]
    assert "登记到民情档案" not in client.get(f"/cases/{case.code}/").content.decode()  # linked now


def test_a_number_already_registered_links_that_person(client, seats):
    known = make_resident(seats["clerk"], "覃秀英", seq=77)
    case = walk_in(seats)
    answer = client.post(
        f"/api/v1/cases/{case.code}/parties/0/register",
        {"region": CAIWAN_MICROGRID},
        "application/json",
        headers=bearer(seats["clerk"]),
    )
    assert answer.status_code == 201 and answer.json() == {"person": known.pk}
    assert Person.objects.filter(name="覃秀英").count() == 1


def test_refusals_name_what_is_wrong(client, seats):
    headers = bearer(seats["clerk"])
    without_number = walk_in(seats, id_number="")
    answer = client.post(
        f"/api/v1/cases/{without_number.code}/parties/0/register",
        {"region": CAIWAN_MICROGRID},
        "application/json",
        headers=headers,
    )
    assert answer.status_code == 422 and "id_number" in answer.json()["errors"]
    case = walk_in(seats)
    url = f"/api/v1/cases/{case.code}/parties/0/register"
    grid = client.post(url, {"region": GRID}, "application/json", headers=headers)  # a grid, not a micro-grid
    assert grid.status_code == 422 and "region" in grid.json()["errors"]
    assert client.post(url, {"region": CAIWAN_MICROGRID}, "application/json", headers=headers).status_code == 201
    again = client.post(url, {"region": CAIWAN_MICROGRID}, "application/json", headers=headers)
    assert again.status_code == 409 and again.json()["code"] == "already_linked"
    missing = client.post(url.replace("/0/", "/5/"), {"region": CAIWAN_MICROGRID}, "application/json", headers=headers)
    assert missing.status_code == 404


def test_a_seat_that_does_not_keep_the_registry_is_refused(client, seats):
    case = walk_in(seats)
    answer = client.post(
        f"/api/v1/cases/{case.code}/parties/0/register",
        {"region": CAIWAN_MICROGRID},
        "application/json",
        headers=bearer(seats["leader"]),
    )
    assert answer.status_code == 403 and not Person.objects.filter(name="覃秀英").exists()
    client.force_login(seats["leader"].user)
    assert "登记到民情档案" not in client.get(f"/cases/{case.code}/").content.decode()


def test_another_villages_grid_worker_finds_no_such_case(client, seats):
    case = walk_in(seats)  # 才湾村
    answer = client.post(
        f"/api/v1/cases/{case.code}/parties/0/register",
        {"region": XIAOTANG_MICROGRID},
        "application/json",
        headers=bearer(seats["gridworker2"]),  # 小塘村's
    )
    assert answer.status_code == 404 and not Person.objects.filter(name="覃秀英").exists()
