"""The mediation API (API.md "Mediation, documents"): shapes, statuses and the error body."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from docx import Document

from yimen.cases.models import Case
from yimen.cases.tests.test_api import OFFSET, bearer
from yimen.mediation.models import Mediation

from .conftest import AGREEMENT, INITIATIVE, make_mediator

pytestmark = pytest.mark.django_db


def post(client, member, url, body):
    """POST as `member`. A mediation step sends the case's current version, as a client that has
    just read the case would, unless the body names one."""
    if "/mediation" in url and "version" not in body:
        code = url.split("/cases/")[1].split("/")[0]
        body = {**body, "version": Case.objects.filter(code=code).values_list("version", flat=True).first() or 1}
    return client.post(url, body, "application/json", headers=bearer(member))


def session_body(roster, **extra):
    return {
        "held_at": timezone.localtime().isoformat(),
        "place": "综治中心调解室",
        "mediators": [roster["people"].pk, roster["police"].pk],
        "attendees": ["唐建国", "唐明华"],
        "minutes": "双方陈述，调解员释法析理。",
        "outcome": "agreement",
        **extra,
    }


def test_mediators_by_region(client, seats, roster):
    make_mediator("小塘村调解员", "people", region="450324106201")
    headers = bearer(seats["clerk"])
    everyone = client.get("/api/v1/mediators", headers=headers).json()
    assert {m["name"] for m in everyone} == {"唐桂芳", "蒋建军", "王明华", "唐永生", "小塘村调解员"}
    assert set(everyone[0]) == {"id", "name", "kind", "region", "skills"}
    caiwan = client.get("/api/v1/mediators?region=450324106200", headers=headers).json()
    assert [m["name"] for m in caiwan] == ["唐永生"]
    roster["people"].villages.add(roster["qunying"].region)  # serving 才湾村 from the town
    caiwan = client.get("/api/v1/mediators?region=450324106200", headers=headers).json()
    assert {m["name"] for m in caiwan} == {"唐永生", "唐桂芳"}
    assert next(m for m in caiwan if m["name"] == "唐桂芳")["skills"] == ["邻里", "土地"]
    unknown = client.get("/api/v1/mediators?region=999", headers=headers)
    assert unknown.status_code == 404 and set(unknown.json()) == {"detail", "code", "errors"}
    assert client.get("/api/v1/mediators?regoin=450324106", headers=headers).status_code == 422
    assert client.get("/api/v1/mediators", headers=bearer(seats["gridworker"])).status_code == 403


def test_session_201_and_agreement_201_with_its_documents(client, seats, case, roster):
    url = f"/api/v1/cases/{case.code}/mediation"
    answer = post(client, seats["judicial"], f"{url}/sessions", session_body(roster))
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    assert set(data) == {"id", "held_at", "place", "mediators", "attendees", "minutes", "outcome"}
    assert OFFSET.search(data["held_at"]) and data["outcome"] == "agreement"
    body = {**AGREEMENT, "performance_due": str(timezone.localdate() + timedelta(days=7))}
    made = post(client, seats["judicial"], f"{url}/agreement", body)
    assert made.status_code == 201, made.json()
    listed = client.get(f"/api/v1/cases/{case.code}/documents", headers=bearer(seats["judicial"])).json()
    assert made.json()["documents"] == [d for d in listed if d["kind"] == "agreement"]
    assert {d["content_type"].rsplit("/", 1)[-1][:3] for d in made.json()["documents"]} == {"pdf", "vnd"}
    docx_url = next(d["url"] for d in made.json()["documents"] if "docx" in d["url"])
    downloaded = client.get(docx_url, headers=bearer(seats["judicial"]))
    text = "\n".join(p.text for p in Document(BytesIO(downloaded.content)).paragraphs)
    assert "人民调解协议书" in text and "唐建国" in text
    timeline = client.get(f"/api/v1/cases/{case.code}/timeline", headers=bearer(seats["judicial"])).json()
    assert [e["action"] for e in timeline][-2:] == ["mediation_session", "mediation_agreement"]
    detail = client.get(url, headers=bearer(seats["dispatcher"])).json()
    assert detail["result"] == "agreement" and len(detail["team"]) == 2 and detail["agreement"]["copies"] == 3


def test_agreement_missing_contents_is_422_naming_the_fields(client, seats, case, roster):
    post(client, seats["judicial"], f"/api/v1/cases/{case.code}/mediation/sessions", session_body(roster))
    answer = post(client, seats["judicial"], f"/api/v1/cases/{case.code}/mediation/agreement", {"facts": "打架"})
    assert answer.status_code == 422
    error = answer.json()
    assert set(error["errors"]) == {
        "dispute_points",
        "responsibilities",
        "terms",
        "performance_manner",
        "performance_due",
    }
    assert "争议事项" in error["detail"] and error["errors"]["terms"] == ["请填写协议内容。"]


def test_refusals_by_status(client, seats, case, roster):
    url = f"/api/v1/cases/{case.code}/mediation/sessions"
    assert post(client, seats["police"], url, session_body(roster)).status_code == 403  # support, not lead
    assert post(client, seats["clerk"], url, session_body(roster)).status_code == 403  # no permission
    assert post(client, seats["court"], url, session_body(roster)).status_code == 404  # cannot see the case
    assert (
        post(client, seats["judicial"], "/api/v1/cases/NOPE/mediation/sessions", session_body(roster)).status_code
        == 404
    )
    bad = post(client, seats["judicial"], url, session_body(roster, outcome="won", mediators=[]))
    assert bad.status_code == 422 and {"outcome", "mediators"} <= set(bad.json()["errors"])
    assert post(client, seats["judicial"], url, session_body(roster, outcome="failed")).status_code == 201
    again = post(client, seats["judicial"], url, session_body(roster))
    assert again.status_code == 409 and again.json()["code"] == "mediation_ended"
    assert client.get(f"/api/v1/cases/{case.code}/mediation", headers=bearer(seats["gridworker"])).status_code == 403


def test_consent_team_extension_and_confirmation_routes(client, seats, case, roster):
    url = f"/api/v1/cases/{case.code}/mediation"
    parties = list(case.parties.values_list("pk", flat=True))
    members = [roster["people"].pk, roster["judge"].pk]
    unasked = post(client, seats["judicial"], f"{url}/team", {"members": members})
    assert unasked.status_code == 422 and "without_consent_reason" in unasked.json()["errors"]
    team = post(client, seats["judicial"], f"{url}/team", {"members": members, "without_consent_reason": INITIATIVE})
    assert team.status_code == 201 and [t["role"] for t in team.json()["team"]] == ["people", "judicial"]
    consent = post(
        client, seats["judicial"], f"{url}/consents", {"party": parties[0], "consented": True, "manner": "written"}
    )
    assert consent.status_code == 201 and consent.json()["consents"][0]["consented"] is True
    extension = post(
        client, seats["judicial"], f"{url}/extension", {"days": 10, "reason": "测量", "consented_parties": parties}
    )
    assert extension.status_code == 201 and extension.json()["extension_days"] == 10
    post(client, seats["judicial"], f"{url}/sessions", session_body(roster))
    post(client, seats["judicial"], f"{url}/agreement", {**AGREEMENT, "performance_due": str(timezone.localdate())})
    applied = post(client, seats["judicial"], f"{url}/court-confirmation", {"applied_on": str(timezone.localdate())})
    assert applied.status_code == 201 and applied.json()["state"] == "applied"
    assert OFFSET.search(applied.json()["accept_due"])
    decision = {"confirmed": True, "decided_on": str(timezone.localdate())}
    mediating = post(client, seats["judicial"], f"{url}/court-confirmation/decision", decision)
    assert mediating.status_code == 403 and mediating.json()["code"] == "court_only"
    assert "人民法院（法庭）自行登记" in mediating.json()["detail"]
    wrong = post(client, seats["court"], f"{url}/court-confirmation/decision", decision)
    assert wrong.status_code == 409  # not accepted yet
    assert Mediation.objects.get(case=case).result == "agreement"


def test_mediator_create_and_update(client, seats):
    body = {"name": "唐秀英", "kind": "qunying", "region": "450324106200", "skills": ["婚姻家庭"], "title": "退休教师"}
    made = post(client, seats["dispatcher"], "/api/v1/mediators", body)
    assert made.status_code == 201 and made.json()["region"] == "450324106200"
    assert post(client, seats["clerk"], "/api/v1/mediators", body).status_code == 403
    outside = post(client, seats["dispatcher"], "/api/v1/mediators", {**body, "region": "450324"})
    assert outside.status_code == 404 and "region" in outside.json()["errors"]
    pk = made.json()["id"]
    changed = client.put(
        f"/api/v1/mediators/{pk}",
        {**body, "version": 1, "skills": ["邻里"]},
        "application/json",
        headers=bearer(seats["dispatcher"]),
    )
    assert changed.status_code == 200 and changed.json()["skills"] == ["邻里"]
    stale = client.put(
        f"/api/v1/mediators/{pk}", {**body, "version": 1}, "application/json", headers=bearer(seats["dispatcher"])
    )
    assert stale.status_code == 409 and "版本" in stale.json()["detail"]
