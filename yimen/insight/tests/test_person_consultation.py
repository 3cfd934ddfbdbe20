"""会商 on a person (issue 20 part 3; 才湾镇's seed names 重点人员管控 among the 会商 subjects):
while the session runs its invited units read the person's card — read-only, each read one audit
entry with the session as its purpose — and before, after and for anyone else the person is as
absent as any other outside their jurisdiction (404)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import MembershipFactory, RegionFactory, UnitFactory
from yimen.cases.tests.conftest import JUDICIAL, register
from yimen.core.models import AuditEntry
from yimen.geo.models import Region
from yimen.insight.models import JointMeeting
from yimen.insight.tests.test_api import bearer
from yimen.insight.tests.test_meetings_api import get, post
from yimen.org.models import Role
from yimen.people.models import Person
from yimen.people.tests.samples import XIAOTANG_MICROGRID, make_resident

CAIWAN_VILLAGE = "450324106200-village"  # the unit of the `village` handler and the `gridchief`
TOPIC = "重点人员管控会商"


@pytest.fixture
def person(seats):
    """A resident of 小塘村: outside the 才湾村 committee's jurisdiction."""
    return make_resident(seats["clerk"], "李建军", micro=XIAOTANG_MICROGRID, seq=431)


@pytest.fixture
def outsider(seats):
    """A handler of another 才湾村 unit, with the same jurisdiction, never invited."""
    unit = UnitFactory(code="450324106200-other", kind="village", region=Region.objects.get(code="450324106200"))
    return MembershipFactory(user__username="outsider", unit=unit, role=Role.HANDLER, jurisdiction=unit.region)


def consult(client, body: dict, start=None, end=None):
    start = start or timezone.localtime() - timedelta(minutes=30)
    sent = {"held_at": start.isoformat(), "kind": "consultation", "topic": TOPIC, "units": [CAIWAN_VILLAGE, JUDICIAL]}
    sent |= {"ends_at": end.isoformat()} if end else {}
    return post(client, "dispatcher", "/meetings", sent | body)


def reads(person):
    return AuditEntry.objects.filter(action="consultation_read", target=f"person:{person.pk}")


def test_the_invited_unit_reads_the_person_during_the_session_each_read_logged(client, seats, person):
    assert get(client, "village", f"/persons/{person.pk}").status_code == 404  # not 才湾村's resident
    running = consult(client, {"person": person.pk})
    assert running.status_code == 201, running.json()
    meeting = running.json()
    assert meeting["person"] == {"id": person.pk, "name": "李**"} and meeting["case"] is None  # no ID number, no phone
    assert meeting["reading_open"] is True
    card = get(client, "village", f"/persons/{person.pk}")
    assert card.status_code == 200 and card.json()["name"] == "李建军"
    assert card.json()["id_number_masked"].startswith("450324") and "*" in card.json()["id_number_masked"]
    (entry,) = reads(person)
    assert entry.unit_code == CAIWAN_VILLAGE
    assert entry.purpose == f"会商：{TOPIC}（meeting:{meeting['id']}）"
    assert get(client, "village", f"/persons/{person.pk}/cases").status_code == 200  # his cases it sees: none
    assert reads(person).count() == 2
    assert get(client, "gridworker2", f"/persons/{person.pk}").status_code == 200  # his own grid worker
    assert reads(person).count() == 2  # the registry's own scope is never logged as 会商
    schedule = AuditEntry.objects.get(action="meeting_schedule", target=f"meeting:{meeting['id']}")
    assert schedule.detail["person"] == person.pk and schedule.detail["case"] == ""


def test_before_and_after_the_session_the_person_is_absent(client, seats, person):
    now = timezone.localtime()
    later = consult(client, {"person": person.pk}, start=now + timedelta(hours=2))
    assert later.status_code == 201 and later.json()["reading_open"] is False
    assert get(client, "village", f"/persons/{person.pk}").status_code == 404  # not yet
    running = consult(client, {"person": person.pk}, end=now + timedelta(hours=1)).json()
    assert get(client, "village", f"/persons/{person.pk}").status_code == 200
    JointMeeting.objects.filter(pk=running["id"]).update(ends_at=now - timedelta(minutes=1))  # over
    assert get(client, "village", f"/persons/{person.pk}").status_code == 404
    assert reads(person).count() == 1


def test_a_unit_not_invited_does_not_read_the_person(client, seats, person, outsider):
    assert consult(client, {"person": person.pk}).status_code == 201
    assert get(client, "outsider", f"/persons/{person.pk}").status_code == 404
    client.force_login(outsider.user)
    assert client.get(reverse("people:person_detail", args=[person.pk])).status_code == 404
    assert reads(person).count() == 0


def test_the_reach_reads_only_no_edit_reveal_or_note(client, seats, person):
    assert consult(client, {"person": person.pk}).status_code == 201
    patched = client.patch(
        f"/api/v1/persons/{person.pk}",
        {"version": person.version, "name": "李建"},
        "application/json",
        headers=bearer(client, "village"),
    )
    assert patched.status_code == 404
    revealed = post(client, "gridchief", f"/persons/{person.pk}/reveal", {"purpose": "会商核实身份"})
    assert revealed.status_code == 404  # the grid chief may reveal in 才湾村, not through the 会商
    client.force_login(seats["gridchief"].user)
    page = client.get(reverse("people:person_detail", args=[person.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="person-reached"' in html and "李建军" in html
    assert 'data-testid="person-actions"' not in html and 'id="reveal-panel"' not in html
    assert 'data-testid="note-form"' not in html
    assert client.post(reverse("people:person_reveal", args=[person.pk]), {"purpose": "核实"}).status_code == 404
    assert client.get(reverse("people:person_edit", args=[person.pk])).status_code == 404
    assert client.post(reverse("people:person_note_add", args=[person.pk]), {"text": "x"}).status_code == 404
    person.refresh_from_db()
    assert person.name == "李建军" and person.version == 1
    assert not AuditEntry.objects.filter(action="person_reveal", target=f"person:{person.pk}").exists()
    assert reads(person).count() == 1  # the card page, once


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"person": "both"}, {"case", "person"}),  # a case and a person
        ({}, {"case", "person"}),  # neither
        ({"person": "unseen"}, {"person"}),  # a person the dispatcher does not see
        ({"person": 2**63}, {"person"}),  # beyond any id
    ],
)
def test_a_consultation_names_one_case_or_one_person_the_caller_sees(client, seats, person, body, fields):
    if body.get("person") == "both":
        body = {"person": person.pk, "case": register(seats["clerk"]).code}
    elif body.get("person") == "unseen":  # a resident of the next town
        county = Region.objects.get(code="450324")
        next_town = RegionFactory(code="450324107", name="两河镇", level=Region.Level.TOWN, parent=county)
        stranger = make_resident(seats["clerk"], "王五", seq=432)
        Person.unscoped.filter(pk=stranger.pk).update(region=next_town)
        body = {"person": stranger.pk}
    got = consult(client, body)
    assert got.status_code == 422, got.json()
    assert fields <= set(got.json()["errors"]), got.json()
    assert not JointMeeting.objects.exists()


def test_only_a_consultation_names_a_person(client, seats, person):
    start = timezone.localtime().isoformat()
    body = {"held_at": start, "kind": "special", "topic": "专题会", "units": [JUDICIAL], "person": person.pk}
    got = post(client, "dispatcher", "/meetings", body)
    assert got.status_code == 422 and "person" in got.json()["errors"]


def test_the_person_card_starts_a_consultation_on_the_meetings_page(client, seats, person):
    client.force_login(seats["leader"].user)
    card = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert f"?person={person.pk}" in card  # 就此人召开会商
    page = client.get(f"/dashboard/meetings/?person={person.pk}")
    form = page.context["schedule"]
    assert form["kind"].value() == "consultation" and form["person"].value() == person.pk
    assert client.get("/dashboard/meetings/?person=1²").context["schedule"]["kind"].value() == "regular"
    start = timezone.localtime() - timedelta(minutes=5)
    body = {"held_at": start.strftime("%Y-%m-%dT%H:%M"), "kind": "consultation", "topic": TOPIC, "person": person.pk}
    missing = client.post("/dashboard/meetings/schedule/", body)
    assert missing.status_code == 422 and "请至少邀请一个单位" in missing.content.decode()
    assert TOPIC in missing.content.decode()  # nothing typed is lost
    made = client.post("/dashboard/meetings/schedule/", {**body, "units": [CAIWAN_VILLAGE, JUDICIAL]}, follow=True)
    assert f"已安排：{TOPIC}" in made.content.decode()
    session = JointMeeting.objects.get(kind="consultation")
    assert session.person == person and session.ends_at - session.held_at == timedelta(hours=4)
    client.force_login(seats["village"].user)
    assert get(client, "village", f"/persons/{person.pk}").status_code == 200  # invited, in the window
    assert "person-consultation" not in client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
