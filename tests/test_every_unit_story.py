"""Issue 14's story through the public API, every unit acting for itself: the police register a
110 call about the uncle–nephew fight with the 110 record number; the centre dispatches it to
the 司法所 as lead with the police and 才湾村委会 in support; the 政法委员 blows the whistle
and the three units report at the place; the village records its phone call to the applicant
and replies its part; the lead replies; the centre's review is refused while the police's part
is missing and approves once it is in; the citizen's page shows the steps without a name."""

import uuid

import pytest

from tests.factories import MembershipFactory
from yimen.org.models import Unit
from yimen.org.roles import Role
from yimen.org.services import token_issue

pytestmark = pytest.mark.django_db

GRID = "45032410620001"  # 才湾村第一网格
POLICE, JUDICIAL, VILLAGE = "450324106-police", "450324106-judicial", "450324106200-village"


@pytest.fixture
def seats(persona):
    found = {name: persona(name) for name in ("dispatcher", "police", "judicial", "village", "zhengfa")}
    # The police station's second officer, to report arrival: any member of a summoned unit may.
    found["police2"] = MembershipFactory(
        unit=Unit.objects.get(code=POLICE), role=Role.HANDLER, jurisdiction=found["police"].jurisdiction
    )
    return found


class Api:
    def __init__(self, client):
        self.client = client

    def call(self, member, method: str, path: str, payload=None, key: str | None = None):
        token, _ = token_issue(member=member, ip="127.0.0.1", second_factor=True)
        headers = {"Authorization": f"Bearer {token}"}
        if key:
            headers["Idempotency-Key"] = key
        send = getattr(self.client, method)
        if payload is None:
            return send(f"/api/v1{path}", headers=headers)
        return send(f"/api/v1{path}", payload, content_type="application/json", headers=headers)

    def act(self, member, code: str, action: str, **fields):
        version = self.call(member, "get", f"/cases/{code}").json()["version"]
        return self.call(member, "post", f"/cases/{code}/actions/{action}", {"version": version, **fields})


def test_every_unit_works_the_uncle_nephew_fight(client, seats):
    api = Api(client)
    registered = api.call(
        seats["police"],
        "post",
        "/cases",
        {
            "kind": "dispute",
            "title": "唐家叔侄因宅基地边界发生打斗",
            "description": "110 接警：叔侄二人在宅基地边界处互殴，民警到场制止，双方情绪激动。",
            "channel": "phone",
            "region": GRID,
            "source_ref": "110-20261201-0032",
            "parties": [
                {"name": "唐建国", "role": "applicant", "phone": "13907730001"},
                {"name": "唐明华", "role": "respondent"},
            ],
        },
        key=str(uuid.uuid4()),
    )
    assert registered.status_code == 201, registered.json()
    case = registered.json()
    code, token = case["code"], case["public_token"]
    assert case["first_unit"]["code"] == POLICE and case["source_ref"] == "110-20261201-0032"

    for action, fields in (
        ("accept", {}),
        ("dispatch", {"lead_unit": JUDICIAL, "support_units": [POLICE, VILLAGE]}),
    ):
        answer = api.act(seats["dispatcher"], code, action, **fields)
        assert answer.status_code == 200, answer.json()

    whistle = api.call(
        seats["zhengfa"],
        "post",
        f"/cases/{code}/whistles",
        {
            "units": [JUDICIAL, POLICE, VILLAGE],
            "place": "才湾村唐家院子",
            "reason": "叔侄冲突现场调处",
            "arrive_within_minutes": 30,
        },
    )
    assert whistle.status_code == 201, whistle.json()
    wid = whistle.json()["id"]
    for member in (seats["judicial"], seats["police2"], seats["village"]):
        arrived = api.call(
            member, "post", f"/cases/{code}/whistles/{wid}/arrive", {"location": {"lat": 25.86, "lng": 110.99}}
        )
        assert arrived.status_code == 200, arrived.json()
    again = api.call(seats["police"], "post", f"/cases/{code}/whistles/{wid}/arrive", {})
    assert again.status_code == 409  # the police station has reported already
    units = {u["unit"]: u for u in api.call(seats["zhengfa"], "get", f"/cases/{code}/whistles").json()[0]["units"]}
    assert all(units[u]["arrived_at"] and units[u]["late"] is False for u in (JUDICIAL, POLICE, VILLAGE))

    for member in (seats["judicial"], seats["police"], seats["village"]):
        assert api.act(member, code, "sign").status_code == 200
    noted = api.act(
        seats["village"],
        code,
        "note",
        text="电话联系申请人，说明调解安排。",
        contact={"party": 0, "channel": "phone", "result": "已接通，同意明天到村委会调解"},
    )
    assert noted.status_code == 200, noted.json()
    assert (
        api.act(seats["village"], code, "reply", text="村委会已组织双方在村部调解，协助司法所达成协议。").status_code
        == 200
    )
    assert (
        api.act(seats["judicial"], code, "reply", text="经三方联合调解，双方签订宅基地边界调解协议。").status_code
        == 200
    )

    refused = api.act(seats["dispatcher"], code, "review", approved=True, note="")
    assert refused.status_code == 409
    assert seats["police"].unit.name in refused.json()["detail"]  # names the unit whose part is missing
    assert api.act(seats["police"], code, "reply", text="民警到场制止冲突并出具调查情况。").status_code == 200
    approved = api.act(seats["dispatcher"], code, "review", approved=True, note="三方意见齐备")
    assert approved.status_code == 200 and approved.json()["state"] == "closed"

    timeline = api.call(seats["dispatcher"], "get", f"/cases/{code}/timeline").json()
    assert [e["action"] for e in timeline].count("arrive") == 3
    assert "note" in [e["action"] for e in timeline]

    public = client.get(f"/api/v1/public/cases/{token}")
    assert public.status_code == 200 and public.json()["state"] == "closed"
    assert "唐建国" not in public.content.decode() and "13907730001" not in public.content.decode()
