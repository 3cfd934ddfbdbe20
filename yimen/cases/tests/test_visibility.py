"""Who sees which case (DESIGN §8): first receiver, assigned units, jurisdiction-wide roles;
confidential kinds; accusations never reach the accused unit (信访工作条例 arts. 30, 46)."""

import pytest

from yimen.cases import selectors
from yimen.cases.models import Case
from yimen.cases.tests.conftest import COURT, PETITION, POLICE, VILLAGE, act, case_in, register
from yimen.cases.tests.test_api import bearer
from yimen.core.errors import Invalid


def visible(member) -> set[str]:
    return set(Case.objects.visible_to(member).values_list("code", flat=True))


def test_first_receiver_assigned_units_and_jurisdiction(seats):
    case = case_in("dispatched", seats)
    for role in ("clerk", "dispatcher", "supervisor", "leader", "gridchief", "police", "judicial"):
        assert case.code in visible(seats[role]), role
    for role in ("court", "petition", "mediator", "gridworker", "gridworker2", "sysadmin", "secadmin", "auditor"):
        assert case.code not in visible(seats[role]), role


def test_a_grid_workers_report_is_seen_by_their_village_unit(seats):
    case = register(seats["gridworker"], kind="hazard", title="河塘无护栏", parties=[])
    assert case.first_unit.code == VILLAGE
    assert case.code in visible(seats["gridworker"]) and case.code in visible(seats["gridchief"])
    assert case.code not in visible(seats["gridworker2"])


def test_confidential_kinds_skip_the_grid_chiefs_jurisdiction(seats):
    consult = register(seats["clerk"], kind="legal_service", title="离婚与家暴法律咨询")
    letter = register(seats["petition"], kind="petition", title="反映低保评定不公")
    for case in (consult, letter):
        assert case.code not in visible(seats["gridchief"])
        assert case.code in visible(seats["dispatcher"]) and case.code in visible(seats["leader"])
    assert letter.code in visible(seats["petition"])


@pytest.fixture
def accusation(seats):
    return register(
        seats["petition"],
        kind="petition",
        petition_type="accusation",
        category="petition.accusation",
        title="检举派出所民警违规收费",
        accused_units=[POLICE],
        parties=[{"name": "匿名群众", "role": "applicant"}, {"name": "某民警", "role": "accused"}],
    )


def test_accused_unit_never_sees_the_accusation(client, seats, accusation):
    case = act("accept", accusation, seats["dispatcher"])
    with pytest.raises(Invalid) as refused:
        act("dispatch", case, seats["dispatcher"], lead_unit=POLICE)
    assert "回避" in refused.value.errors["lead_unit"][0]
    case = act("dispatch", case, seats["dispatcher"], lead_unit=PETITION, support_units=[COURT])
    police = seats["police"]
    assert accusation.code not in visible(police)
    assert accusation.code not in {c.code for c in selectors.case_list(member=police)}
    assert not selectors.unit_inbox(member=police, bucket="pending").exists()
    headers = bearer(police)
    listed = client.get("/api/v1/cases", headers=headers).json()
    assert accusation.code not in {i["code"] for i in listed["items"]}
    for path in ("", "/timeline", "/documents", "/documents/receipt"):
        assert client.get(f"/api/v1/cases/{accusation.code}{path}", headers=headers).status_code == 404, path
    answer = client.post(
        f"/api/v1/cases/{accusation.code}/actions/sign", {"version": case.version}, "application/json", headers=headers
    )
    assert answer.status_code == 404
    assert accusation.code in visible(seats["court"]) and accusation.code in visible(seats["petition"])


def test_an_accused_centre_does_not_see_it_either(seats):
    case = register(
        seats["petition"],
        kind="petition",
        petition_type="accusation",
        title="检举综治中心工作人员",
        accused_units=[seats["dispatcher"].unit.code],
    )
    for role in ("clerk", "dispatcher", "supervisor", "leader"):
        assert case.code not in visible(seats[role]), role


def test_accused_units_only_for_accusations(seats):
    with pytest.raises(Invalid) as refused:
        register(seats["petition"], kind="petition", petition_type="claim", accused_units=[POLICE])
    assert "accused_units" in refused.value.errors
    with pytest.raises(Invalid) as refused:
        register(seats["clerk"], petition_type="claim")
    assert "petition_type" in refused.value.errors
