"""Incidents and cases (issue 17 part 5): an incident declared from a case shows on both sides;
the matters an incident leaves behind become cases linked back to it."""

from yimen.cases import services as cases
from yimen.cases.models import Case, TimelineEvent
from yimen.emergency import services

from .conftest import call

TOWN = "450324106"


def hazard_case(seats) -> Case:
    return cases.case_register(
        actor=seats["emergency"], kind="hazard", title="后山滑坡隐患", channel="phone", region=TOWN
    ).case


def test_an_incident_from_a_case_shows_on_both_pages(client, seats, outbox):
    case = hazard_case(seats)
    incident = services.incident_declare(
        actor=seats["emergency"], title="后山滑坡", kind="geological", level=3, region=TOWN, case=case.code
    )
    event = TimelineEvent.objects.get(case=case, action="incident_from_case")
    assert incident.code in event.note
    client.force_login(seats["emergency"].user)
    assert f'href="/cases/{case.code}/"' in client.get(f"/emergency/{incident.pk}/").content.decode()
    panel = client.get(f"/cases/{case.code}/").content.decode()
    assert 'data-testid="incident-panel"' in panel and f'href="/emergency/{incident.pk}/"' in panel
    assert "由本案件启动" in panel


def test_a_leftover_matter_becomes_a_linked_case_through_the_api(client, seats, outbox):
    incident = services.incident_declare(
        actor=seats["emergency"], title="才湾河洪水", kind="flood", level=3, region=TOWN
    )
    url = f"/api/v1/incidents/{incident.pk}/cases"
    body = {"kind": "dispute", "title": "洪水冲毁鱼塘赔偿纠纷", "parties": [{"name": "唐某"}]}
    made = call(client, seats["emergency"], "post", url, body)
    assert made.status_code == 201, made.json()
    code = made.json()["case"]
    case = Case.objects.get(code=code)
    assert case.source_ref == incident.code and case.first_unit_id == seats["emergency"].unit_id
    assert TimelineEvent.objects.filter(case=case, action="incident_followup", note__contains=incident.code).exists()
    detail = call(client, seats["emergency"], "get", f"/api/v1/incidents/{incident.pk}").json()
    assert detail["followup_cases"] == [code]
    client.force_login(seats["emergency"].user)
    page = client.get(f"/emergency/{incident.pk}/").content.decode()
    assert f"遗留事项立案：{code}" in page  # on the incident's timeline
    assert "本案件为其遗留事项" in client.get(f"/cases/{code}/").content.decode()
    # A dispute names its parties (the cases app's own rule, on the field).
    no_party = call(client, seats["emergency"], "post", url, {"kind": "dispute", "title": "赔偿"})
    assert no_party.status_code == 422 and "parties" in no_party.json()["errors"]
    # A unit outside the incident does not find it; the leader commands but does not register cases.
    assert call(client, seats["police"], "post", url, body).status_code == 404
    assert call(client, seats["leader"], "post", url, body).status_code == 403


def test_the_followup_form_keeps_what_was_typed(client, seats, outbox):
    incident = services.incident_declare(actor=seats["emergency"], title="山洪", kind="flood", level=3, region=TOWN)
    client.force_login(seats["emergency"].user)
    refused = client.post(f"/emergency/{incident.pk}/cases/", {"kind": "dispute", "title": "冲毁农田赔偿"})
    text = refused.content.decode()
    assert refused.status_code == 422 and "请至少填写一名当事人" in text and "冲毁农田赔偿" in text
    done = client.post(
        f"/emergency/{incident.pk}/cases/", {"kind": "dispute", "title": "冲毁农田赔偿", "parties": "唐甲、唐乙"}
    )
    assert done.status_code == 302
    case = incident.followups.get().case
    assert {p.name for p in case.parties.all()} == {"唐甲", "唐乙"}
