"""GET /api/v1/audit (API.md): the auditor's read of the log; everyone else 403, no token 401."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import PASSWORD
from tests.factories import totp_now
from yimen.core import audit
from yimen.core.models import AuditEntry

URL = "/api/v1/audit"


def bearer(client, persona, name: str) -> dict:
    persona(name)
    response = client.post(
        "/api/v1/auth/token", {"username": name, "password": PASSWORD, "otp": totp_now(name)}, "application/json"
    )
    return {"Authorization": f"Bearer {response.json()['token']}"}


@pytest.fixture
def auditor(client, persona):
    return bearer(client, persona, "auditor")


def record_at(when: datetime, **fields) -> AuditEntry:
    with time_machine.travel(when, tick=False):
        return audit.record(**{"action": "login", "username": "clerk", **fields})


def test_contract_shape_and_beijing_offset(client, auditor):
    record_at(
        datetime(2026, 3, 1, 0, 30, 15, 250000, tzinfo=UTC),
        action="token_issue",
        username="police",
        unit_name="才湾派出所",
        target="user:police",
        purpose="对接 12345",
        ip="10.0.0.8",
    )
    response = client.get(URL, {"action": "token_issue", "actor": "police"}, headers=auditor)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "items"} and body["count"] == 1
    assert body["items"] == [
        {
            "at": "2026-03-01T08:30:15.250+08:00",  # ISO 8601 to the millisecond (DjangoJSONEncoder)
            "actor": "police",
            "unit": "才湾派出所",
            "action": "token_issue",
            "target": "user:police",
            "purpose": "对接 12345",
            "ip": "10.0.0.8",
            "result": "success",
        }
    ]


def test_filters_since_until_result_newest_first(client, auditor):
    record_at(datetime(2026, 2, 28, 15, 59, tzinfo=UTC), target="before")  # 2-28 23:59 Beijing
    record_at(datetime(2026, 2, 28, 16, 0, tzinfo=UTC), target="first")  # 3-01 00:00 Beijing
    record_at(datetime(2026, 3, 1, 15, 0, tzinfo=UTC), target="failed", action="login_failed", result="failure")
    record_at(datetime(2026, 3, 1, 16, 0, tzinfo=UTC), target="after")  # 3-02 00:00 Beijing

    def targets(**params) -> list[str]:
        response = client.get(URL, {"actor": "clerk", **params}, headers=auditor)  # not the auditor's token
        assert response.status_code == 200, response.json()
        return [item["target"] for item in response.json()["items"]]

    assert targets(since="2026-03-01") == ["after", "failed", "first"]
    assert targets(since="2026-03-01", until="2026-03-01") == ["failed", "first"]
    assert targets(until="2026-02-28") == ["before"]
    assert targets(result="failure") == ["failed"]
    assert targets(action="login") == ["after", "first", "before"]
    assert targets(since="0001-01-01", until="9999-12-31") == ["after", "failed", "first", "before"]
    assert targets(since="2026-03-02", until="2026-03-01") == []  # an inverted range selects nothing


def test_pages_are_bounded(client, auditor):
    for i in range(7):
        record_at(datetime(2026, 3, 1, 0, i, tzinfo=UTC), target=f"t{i}")
    page = client.get(URL, {"action": "login", "page": 2, "page_size": 3}, headers=auditor).json()
    assert page["count"] == 7 and [item["target"] for item in page["items"]] == ["t3", "t2", "t1"]
    beyond = client.get(URL, {"action": "login", "page": 9, "page_size": 3}, headers=auditor).json()
    assert beyond == {"count": 7, "items": []}
    for params in ({"page_size": 201}, {"page_size": 0}, {"page": 0}, {"page": 10**30}):
        refused = client.get(URL, params, headers=auditor)
        assert refused.status_code == 422
        assert set(refused.json()["errors"]) == set(params)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "2026-13-40"}, "since"),
        ({"since": "yesterday"}, "since"),
        ({"until": "0"}, "until"),  # pydantic alone reads this as 1970-01-01
        ({"since": "2026-03-01T08:00:00"}, "since"),
        ({"until": "2026-02-30"}, "until"),
        ({"result": "maybe"}, "result"),
        ({"actor": "a\x00b"}, "actor"),  # PostgreSQL text cannot hold NUL
        ({"acter": "clerk"}, "acter"),  # a misspelt filter must not return the whole log
    ],
)
def test_bad_input_is_422_in_the_error_shape(client, auditor, params, field):
    response = client.get(URL, params, headers=auditor)
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "code", "errors"} and body["code"] == "invalid"
    assert list(body["errors"]) == [field] and body["errors"][field][0]


def test_no_token_is_401(client, db):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("name", ["sysadmin", "secadmin", "clerk", "dispatcher", "leader", "police", "gridworker"])
def test_everyone_but_the_auditor_is_403(client, persona, name):
    record_at(datetime(2026, 3, 1, tzinfo=UTC))
    response = client.get(URL, headers=bearer(client, persona, name))
    assert response.status_code == 403
    body = response.json()
    assert set(body) == {"detail", "code", "errors"} and body["code"] == "forbidden"
    assert "login" not in response.content.decode()


def test_query_count_is_flat(client, auditor):
    def queries_for(n: int) -> int:
        AuditEntry.objects.all().delete()
        for _ in range(n):
            audit.record(action="login", username="clerk")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, {"page_size": 200}, headers=auditor)
        assert response.json()["count"] == n
        return len(captured)

    assert queries_for(1) == queries_for(120) == 4  # token, seat, count, page


def test_documented_in_openapi(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/audit"]["get"]
    assert {"200", "401", "403", "422"} <= set(operation["responses"])
    assert {"actor", "action", "since", "until", "page", "page_size"} <= {p["name"] for p in operation["parameters"]}
