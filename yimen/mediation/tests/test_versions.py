"""Every mediation step takes the case version like the case's own steps (API.md: a stale
version → 409): a body carrying the version read before the last step is refused in the API's
error shape, in Chinese, and writes nothing; the same body at the current version goes through
and moves the version on by one."""

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from yimen.cases.models import Case, CaseDocument, TimelineEvent
from yimen.cases.tests.test_api import bearer
from yimen.core.errors import Conflict
from yimen.mediation import services
from yimen.mediation.models import Agreement, Consent, CourtConfirmation, Extension, Mediation, Session, TeamMember

from .conftest import AGREEMENT, INITIATIVE, dispute, version
from .test_api import session_body

pytestmark = pytest.mark.django_db


def written(case: Case) -> tuple:
    """Everything a mediation step may write, as counts and states."""
    confirmation = CourtConfirmation.objects.filter(agreement__mediation__case=case).first()
    mediation = Mediation.objects.filter(case=case).first()
    return (
        version(case),
        TimelineEvent.objects.filter(case=case).count(),
        CaseDocument.objects.filter(case=case).count(),
        mediation and (mediation.result, mediation.extension_days, mediation.version),
        *(
            model.objects.filter(mediation__case=case).count()
            for model in (TeamMember, Consent, Session, Extension, Agreement)
        ),
        confirmation and (confirmation.state, confirmation.extended),
        Agreement.objects.filter(mediation__case=case).values_list("performance", flat=True).first(),
    )


def step(client, member, case: Case, path: str, body: dict, at: int):
    url = f"/api/v1/cases/{case.code}/mediation/{path}"
    return client.post(url, {**body, "version": at}, "application/json", headers=bearer(member))


def refused_then_taken(client, member, case: Case, path: str, body: dict) -> None:
    current = version(case)
    before = written(case)
    stale = step(client, member, case, path, body, current - 1)
    assert stale.status_code == 409, (path, stale.json())
    error = stale.json()
    assert set(error) == {"detail", "code", "errors"} and error["code"] == "stale_version"
    assert f"当前版本 {current}" in error["detail"] and "请刷新后重试" in error["detail"]
    assert written(case) == before, path  # nothing written
    taken = step(client, member, case, path, body, current)
    assert taken.status_code in (200, 201), (path, taken.json())
    assert version(case) == current + 1 and written(case) != before


def test_each_step_refuses_a_stale_version_and_writes_nothing(client, seats, case, roster):
    judicial, court, today = seats["judicial"], seats["court"], str(timezone.localdate())
    parties = list(case.parties.values_list("pk", flat=True))
    steps = [
        ("team", {"members": [roster["people"].pk, roster["judge"].pk], "without_consent_reason": INITIATIVE}),
        ("consents", {"party": parties[0], "consented": True, "manner": "written"}),
        ("extension", {"days": 10, "reason": "需实地测量", "consented_parties": parties}),
        ("sessions", session_body(roster, outcome="continue")),
        ("agreement", {**AGREEMENT, "performance_due": today}),
        ("performance", {"performance": "performed", "note": "已付清"}),
        ("court-confirmation", {"applied_on": today}),
        ("court-confirmation/accept", {"accepted_on": today}),
        ("court-confirmation/extend", {"reason": "需通知当事人补充材料"}),
        ("court-confirmation/decision", {"confirmed": True, "decided_on": today}),
    ]
    for path, body in steps:  # the court records its own steps (人民调解法 art. 33)
        refused_then_taken(client, court if path.startswith("court-confirmation/") else judicial, case, path, body)
    ended = dispute(seats, title="邻里排水纠纷")
    refused_then_taken(
        client, judicial, ended, "end", {"result": "failed", "next_channel": "litigation", "note": "双方分歧较大。"}
    )


def test_the_detail_carries_the_version_the_next_step_sends(client, seats, case, roster):
    answer = step(client, seats["judicial"], case, "sessions", session_body(roster, outcome="continue"), version(case))
    assert answer.status_code == 201
    detail = client.get(f"/api/v1/cases/{case.code}/mediation", headers=bearer(seats["judicial"])).json()
    assert detail["version"] == version(case)
    body = {"members": [roster["judge"].pk], "without_consent_reason": INITIATIVE}
    team = step(client, seats["judicial"], case, "team", body, detail["version"])
    assert team.status_code == 201 and team.json()["version"] == detail["version"] + 1


def test_a_mediation_step_makes_an_open_case_form_stale(client, seats, case, roster):
    """A step on the case like any other: the handler's reply form drawn before it is refused."""
    drawn = version(case)
    assert step(client, seats["judicial"], case, "sessions", session_body(roster), drawn).status_code == 201
    reply = client.post(
        f"/api/v1/cases/{case.code}/actions/reply",
        {"version": drawn, "text": "已调解。"},
        "application/json",
        headers=bearer(seats["judicial"]),
    )
    assert reply.status_code == 409 and reply.json()["code"] == "stale_version"


def test_a_step_that_loses_the_race_after_its_check_writes_nothing(seats, case, roster):
    """Force the interleaving on either database: another step commits between this step's
    version check and its conditional UPDATE."""
    # The step's version check reads the case's state and version; the other writer commits
    # right after that read, before the step's conditional UPDATE.
    checked = str(Case.objects.values_list("state", "version").query).split(" FROM ")[0]
    raced = []

    def lose_the_race_after_the_check(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if checked in sql and not raced:
            raced.append(sql)
            Case.objects.filter(pk=case.pk).update(version=F("version") + 1)  # the other writer
        return result

    before, at = written(case), version(case)
    with connection.execute_wrapper(lose_the_race_after_the_check), pytest.raises(Conflict) as refused:
        services.mediation_session_record(
            case=case,
            actor=seats["judicial"],
            version=at,
            held_at=timezone.now(),
            place="综治中心调解室",
            mediators=[roster["people"].pk],
            attendees=["唐建国"],
            minutes="双方陈述。",
            outcome="continue",
        )
    assert raced and refused.value.code == "stale_version"
    assert written(case)[1:] == before[1:]  # only the other writer's version moved
