"""Issue 12 item 4: client input that is not a record id — in a header, a form or a JSON key — is
refused with a 4xx in Chinese (API.md's error shape on the API), never a 500. Each endpoint that
used to pass such input to int() or to a query, with the values the probing pass sent."""

import pytest
from django.test import Client

from yimen.cases.tests.test_api import bearer
from yimen.geo.models import Region
from yimen.mediation.tests.conftest import dispute, make_mediator
from yimen.people.models import PatrolMember, PatrolTeam

BAD = ["abc", "1e9999", "-1", "１２", " ", "9" * 40, "²", "0"]


def seat_header(client, seats, value):
    return client.get("/api/v1/units", headers={**bearer(seats["clerk"]), "X-Yimen-Member": value})


def team_roles(client, seats, value):
    case = dispute(seats)
    mediator = make_mediator("唐桂芳", "people")
    body = {"version": case.version, "members": [mediator.pk], "roles": {value: "people"}}
    url = f"/api/v1/cases/{case.code}/mediation/team"
    return client.post(url, body, content_type="application/json", headers=bearer(seats["judicial"]))


def page(persona: str, url: str, field: str):
    def send(client, seats, value):
        client.force_login(seats[persona].user)
        return client.post(url, {field: value})

    return send


API = {"member seat header": seat_header, "mediation team roles": team_roles}
PAGES = {
    "notification read": page("clerk", "/cases/notifications/read/", "notification"),
    "intake hint rows": page("clerk", "/cases/new/hints/", "parties-0-person_id"),
    "patrol duty form": page("gridchief", "/fieldwork/patrols/", "team"),
    "seat switch": page("clerk", "/seat/", "member"),
}

# A party row with no registry person chosen sends a blank id: that is no id, not a bad one.
BLANK_MEANS_NONE = {"intake hint rows"}


@pytest.fixture
def seats(persona):
    return {name: persona(name) for name in ("clerk", "dispatcher", "judicial", "police", "gridchief")}


@pytest.fixture
def client():
    return Client(raise_request_exception=False)  # a 500 must show as a 500, not as an exception


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("endpoint", API)
def test_the_api_refuses_a_malformed_id_in_its_error_shape(client, seats, endpoint, value):
    answer = API[endpoint](client, seats, value)
    assert 400 <= answer.status_code < 500, answer.content
    body = answer.json()
    assert set(body) == {"detail", "code", "errors"} and body["errors"]
    assert body["detail"] == "编号格式不正确。"


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("endpoint", PAGES)
def test_pages_refuse_a_malformed_id_with_a_chinese_page(client, seats, endpoint, value):
    answer = PAGES[endpoint](client, seats, value)
    if endpoint in BLANK_MEANS_NONE and not value.strip():
        assert answer.status_code == 200
        return
    assert answer.status_code == 422, answer.content[:300]
    assert "编号格式不正确" in answer.content.decode()


def duty_members(client, seats, value):
    team = PatrolTeam.objects.create(name="才湾村巡逻队", region=Region.objects.get(code="450324106200"))
    PatrolMember.objects.create(team=team, name="唐志强")
    client.force_login(seats["gridchief"].user)
    duty = {"team": team.pk, "on": "2026-12-03", "shift": "day", "members": [value]}
    return client.post("/fieldwork/patrols/", duty)


def intake_party_person(client, seats, value):
    client.force_login(seats["clerk"].user)
    party = {"parties-0-name": "唐建国", "parties-0-role": "applicant", "parties-0-person_id": value}
    form = {
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        **party,
        "kind": "dispute",
        "title": "宅基地纠纷",
        "channel": "visit",
        "region": "45032410620001",
        "idempotency_key": "k1",
        "received_at": "2026-12-01T10:00",
    }
    return client.post("/cases/new/", form)


# Form fields that name records: Django's own checks, bounded so that no query sees a number
# SQLite cannot bind; the page answers 422 with the form's errors.
FORMS = {"patrol duty members": duty_members, "intake party's registry person": intake_party_person}


@pytest.mark.parametrize("value", [v for v in BAD if v.strip()])
@pytest.mark.parametrize("endpoint", FORMS)
def test_form_fields_naming_records_refuse_a_malformed_id(client, seats, endpoint, value):
    answer = FORMS[endpoint](client, seats, value)
    assert answer.status_code == 422, answer.content[:300]


def test_a_well_formed_seat_that_is_not_yours_is_404_not_another_seat(client, seats):
    answer = seat_header(client, seats, str(seats["judicial"].pk))
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    mine = seat_header(client, seats, str(seats["clerk"].pk))
    assert mine.status_code == 200
