"""查看当事人联系方式 (API.md "v1 additions": POST /cases/{code}/parties/{index}/reveal; issue 21
item 1): the handler of an assigned unit reaches the party it must call, with a purpose in the
audit log; nobody else sees more than the masked number."""

import pytest
from django.core.management import call_command

from yimen.cases.models import Party
from yimen.cases.tests.conftest import MEDIATION, POLICE, act, register
from yimen.cases.tests.test_api import bearer
from yimen.core.crypto import blind_index
from yimen.core.models import AuditEntry

pytestmark = pytest.mark.django_db

VICTIM = {"name": "蒋秀英", "role": "applicant", "phone": "13907731234"}


@pytest.fixture
def case(seats):
    """A domestic-violence matter the centre sent to the police, the mediation committee helping."""
    case = register(
        seats["clerk"], title="蒋秀英反映遭丈夫殴打", parties=[VICTIM, {"name": "唐某", "role": "respondent"}]
    )
    act("accept", case, seats["clerk"])
    return act("dispatch", case, seats["dispatcher"], lead_unit=POLICE, support_units=[MEDIATION])


def reveal(client, member, code: str, index: int = 0, purpose: str = "电话联系受害人核实情况"):
    return client.post(
        f"/api/v1/cases/{code}/parties/{index}/reveal",
        {"purpose": purpose},
        content_type="application/json",
        headers=bearer(member),
    )


def test_the_assigned_officer_gets_the_number_and_the_purpose_is_logged(client, seats, case):
    answer = reveal(client, seats["police"], case.code)
    assert answer.status_code == 200 and answer.json() == {"phone": "13907731234", "id_number": ""}
    assert answer["Cache-Control"].count("no-store") == 1
    entry = AuditEntry.objects.get(action="case_party_reveal")
    assert (entry.purpose, entry.target, entry.detail["name"]) == (
        "电话联系受害人核实情况",
        f"case:{case.code}",
        "蒋秀英",
    )


def test_a_support_unit_without_the_reveal_role_may_reach_the_party_of_its_case(client, seats, case):
    assert reveal(client, seats["mediator"], case.code).json()["phone"] == "13907731234"


def test_who_does_not_act_on_the_case_is_refused(client, seats, case):
    clerk = reveal(client, seats["clerk"], case.code)  # registered it, sees it, handles nothing
    assert clerk.status_code == 403 and "承办" in clerk.json()["detail"]
    assert reveal(client, seats["court"], case.code).status_code == 404  # does not see the case
    assert not AuditEntry.objects.filter(action="case_party_reveal").exists()


def test_no_purpose_or_no_such_party_is_refused(client, seats, case):
    blank = reveal(client, seats["police"], case.code, purpose=" ")
    assert blank.status_code == 422 and blank.json()["errors"]["purpose"] == ["请填写查看目的。"]
    assert reveal(client, seats["police"], case.code, index=5).status_code == 404
    assert not AuditEntry.objects.filter(action="case_party_reveal").exists()


def test_the_case_page_offers_the_call_to_the_assigned_unit_only(client, seats, case):
    client.force_login(seats["police"].user)
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert "查看联系方式" in page and "13907731234" not in page and "139****1234" in page
    refused = client.post(f"/cases/{case.code}/parties/0/reveal/", {"party0-purpose": ""}, HTTP_HX_REQUEST="true")
    assert "请填写查看目的" in refused.content.decode()
    shown = client.post(
        f"/cases/{case.code}/parties/0/reveal/", {"party0-purpose": "电话联系受害人"}, HTTP_HX_REQUEST="true"
    )
    assert 'href="tel:13907731234"' in shown.content.decode()
    client.force_login(seats["clerk"].user)
    assert "查看联系方式" not in client.get(f"/cases/{case.code}/").content.decode()


def test_after_a_field_key_rotation_the_officer_still_reaches_the_victim(client, seats, settings, monkeypatch, media):
    """The rotation reseals the case parties too, not only the registry: after it the party's
    number opens under the new key and the repeat-visitor index finds the same phone."""
    settings.YIMEN_FIELD_KEY = "old-field-key"
    case = register(seats["clerk"], title="蒋秀英反映遭丈夫殴打", parties=[VICTIM])
    act("accept", case, seats["clerk"])
    act("dispatch", case, seats["dispatcher"], lead_unit=POLICE)
    settings.YIMEN_FIELD_KEY = "new-field-key"
    monkeypatch.setenv("YIMEN_FIELD_KEY_OLD", "old-field-key")
    call_command("rotate_field_key")
    assert reveal(client, seats["police"], case.code).json()["phone"] == "13907731234"
    assert Party.objects.filter(phone_index=blind_index("13907731234")).get().case == case
    assert AuditEntry.objects.get(action="field_key_rotate").detail["cases.Party"] == 1
