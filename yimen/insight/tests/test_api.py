"""GET /kpis (API.md): the shape, scoping by role, bad input, and received = the case list's count."""

import pytest
from django.utils import timezone

from conftest import PASSWORD
from tests.factories import totp_now
from yimen.cases.tests.conftest import POLICE, act, register
from yimen.insight.rollups import queue, store
from yimen.insight.tests.builders import at


def bearer(client, username: str) -> dict:
    token = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": PASSWORD, "otp": totp_now(username)},
        "application/json",
    )
    return {"Authorization": f"Bearer {token.json()['token']}"}


@pytest.fixture
def worked(seats, django_capture_on_commit_callbacks):
    """Cases through the services (rollups kept by the refresh after each step): a dispute in
    each village, a petition, and an accusation against the police station."""
    with django_capture_on_commit_callbacks(execute=True):
        first = register(seats["clerk"])
        act("accept", first, seats["clerk"])
        act("dispatch", first, seats["dispatcher"], lead_unit=POLICE)
        register(seats["clerk"], region="45032410620101")
        register(seats["petition"], kind="petition", petition_type="claim", title="信访事项")
        register(
            seats["petition"], kind="petition", petition_type="accusation", title="检举派出所", accused_units=[POLICE]
        )
    queue.flush()  # the batched refresh the consumer would run a second later
    return seats


def test_the_shape_and_the_leader_sees_the_town(client, worked):
    got = client.get("/api/v1/kpis", headers=bearer(client, "leader"))
    assert got.status_code == 200
    body = got.json()
    assert set(body) >= {
        "region",
        "since",
        "until",
        "received",
        "accepted_rate",
        "signed_on_time_rate",
        "closed_on_time_rate",
        "overdue",
        "mediation_success_rate",
        "satisfaction_rate",
        "repeat_petition_rate",
    }
    assert body["region"] == "450324106" and body["received"] == 4
    assert body["accepted_rate"] == 0.25


@pytest.mark.parametrize(
    ("role", "region"),
    [
        ("leader", ""),
        ("leader", "450324106201"),
        ("dispatcher", ""),
        ("gridchief", ""),
        ("supervisor", "45032410620001"),
    ],
)
def test_received_equals_the_case_list_count(client, worked, role, region):
    headers = bearer(client, role)
    today = timezone.localdate()
    query = {"since": today.isoformat(), "until": today.isoformat(), **({"region": region} if region else {})}
    kpis = client.get("/api/v1/kpis", query, headers=headers).json()
    listed = client.get(
        "/api/v1/cases",
        {"region": kpis["region"], "received_since": query["since"], "received_until": query["until"]},
        headers=headers,
    ).json()
    assert kpis["received"] == listed["count"]


def test_the_accused_unit_and_confidential_kinds(client, worked):
    # The grid chief sees 才湾村's dispute but no petition; the police station may not ask.
    assert client.get("/api/v1/kpis", headers=bearer(client, "gridchief")).json()["received"] == 1
    assert client.get("/api/v1/kpis", headers=bearer(client, "police")).status_code == 403


@pytest.mark.parametrize("role", ["clerk", "police", "gridworker", "auditor", "sysadmin"])
def test_others_are_refused(client, seats, role):
    response = client.get("/api/v1/kpis", headers=bearer(client, role))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"since": "2026-03-31", "until": "2026-03-01"}, "until"),
        ({"since": "2026-02-30"}, "since"),
        ({"since": "20260101"}, "since"),
        ({"since": "1990-01-01", "until": "1990-12-31"}, "since"),
        ({"since": "2026-01-01", "until": "3026-01-01"}, "until"),
        ({"until": "2999-01-01"}, "until"),
    ],
)
def test_impossible_periods_are_422_in_chinese(client, seats, query, field):
    response = client.get("/api/v1/kpis", query, headers=bearer(client, "leader"))
    assert response.status_code == 422
    body = response.json()
    assert field in body["errors"] and any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"])


@pytest.mark.parametrize("region", ["999999999", "450324", "4503241062"])
def test_unknown_or_outside_regions_are_404(client, seats, region):
    response = client.get("/api/v1/kpis", {"region": region}, headers=bearer(client, "leader"))
    assert response.status_code == 404


def test_a_misspelt_parameter_is_refused(client, seats):
    assert client.get("/api/v1/kpis", {"regoin": "450324106"}, headers=bearer(client, "leader")).status_code == 422


def test_a_county_leader_sees_the_county(client, seats, persona, town):
    from tests.factories import MembershipFactory, UnitFactory
    from yimen.geo.models import Region

    county = Region.objects.get(code="450324")
    unit = UnitFactory(code="450324-centre", kind="centre", region=county)
    MembershipFactory(user__username="county", unit=unit, role="leader", jurisdiction=county)
    store.rebuild(at("2026-01-01 00:00").date(), at("2026-01-02 00:00").date())
    got = client.get("/api/v1/kpis", headers=bearer(client, "county")).json()
    assert got["region"] == "450324"
