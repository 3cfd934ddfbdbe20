"""The grid-work API: Idempotency-Key on reports (same key twice → one case; other body → 409),
the phone's session with its CSRF token, scoping between two grid workers (404), refusals."""

import base64

import pytest
from django.test import Client

from conftest import PASSWORD
from tests.factories import totp_now
from yimen.cases.models import Case
from yimen.fieldwork.models import Report
from yimen.fieldwork.tests.conftest import IN_CAIWAN, jpeg

pytestmark = pytest.mark.django_db
REPORT = {"kind": "hazard", "title": "山体裂缝", "location": IN_CAIWAN, "category": "hazard.geology.landslide"}


def bearer(client, username: str) -> dict:
    token = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": PASSWORD, "otp": totp_now(username)},
        "application/json",
    )
    return {"Authorization": f"Bearer {token.json()['token']}"}


def post(client, url, body, headers, key="key-1"):
    return client.post(url, body, "application/json", headers={**headers, "Idempotency-Key": key})


def test_same_key_twice_one_case_other_body_409(client, worker):
    headers = bearer(client, "gridworker")
    body = {**REPORT, "photos": ["data:image/jpeg;base64," + base64.b64encode(jpeg()).decode()]}
    first = post(client, "/api/v1/fieldwork/reports", body, headers)
    assert first.status_code == 201, first.json()
    assert first.json()["case"]["state"] == "registered" and first.json()["photos"] == 1
    again = post(client, "/api/v1/fieldwork/reports", body, headers)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Case.objects.count() == 1 and Report.objects.count() == 1
    other = post(client, "/api/v1/fieldwork/reports", {**REPORT, "title": "别的"}, headers)
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"
    missing = client.post("/api/v1/fieldwork/reports", REPORT, "application/json", headers=headers)
    assert missing.status_code == 422


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**REPORT, "location": {"lat": 95, "lng": 110.98}}, "location.lat"),
        ({**REPORT, "location": None}, "region"),
        ({**REPORT, "photos": ["not base64!"]}, "photos.0"),
        ({**REPORT, "kind": "rumour"}, "kind"),
    ],
)
def test_bad_reports_are_422_with_the_field(client, worker, body, field):
    answer = post(client, "/api/v1/fieldwork/reports", body, bearer(client, "gridworker"))
    assert answer.status_code == 422 and field in answer.json()["errors"], answer.json()
    assert not Case.objects.exists()


def test_the_phone_uses_its_session_with_the_csrf_token(worker):
    phone = Client(enforce_csrf_checks=True)
    phone.force_login(worker.user)
    refused = phone.post("/api/v1/fieldwork/reports", REPORT, "application/json", headers={"Idempotency-Key": "a"})
    assert refused.status_code in (401, 403)
    token = phone.get("/m/token/").json()["csrf"]
    headers = {"Idempotency-Key": "a", "X-CSRFToken": token}
    assert phone.post("/api/v1/fieldwork/reports", REPORT, "application/json", headers=headers).status_code == 201


def test_two_grid_workers_never_see_each_others_households_or_reports(client, worker, worker2, household):
    mine = post(client, "/api/v1/fieldwork/reports", REPORT, bearer(client, "gridworker")).json()["id"]
    other = bearer(client, "gridworker2")
    assert client.get(f"/api/v1/fieldwork/reports/{mine}", headers=other).status_code == 404
    assert client.get("/api/v1/fieldwork/reports", headers=other).json() == []
    assert client.get("/api/v1/fieldwork/households", headers=other).json()["count"] == 0
    visit = {
        "household": household.pk,
        "household_version": household.version,
        "text": "越界",
        "happened_on": "2026-01-05",
    }
    assert post(client, "/api/v1/fieldwork/visits", visit, other).status_code == 404
    alert = client.post(
        "/api/v1/fieldwork/alerts", {"household": household.pk, "message": "x"}, "application/json", headers=other
    )
    assert alert.status_code == 404
    client.force_login(worker2.user)
    assert client.get(f"/m/households/{household.pk}/").status_code == 404
    assert client.get(f"/m/reports/{mine}/").status_code == 404


def test_visit_api_records_once_and_reports_a_changed_household(client, worker, household):
    headers = bearer(client, "gridworker")
    body = {
        "household": household.pk,
        "household_version": household.version,
        "text": "走访",
        "happened_on": "2026-01-05",
    }
    assert post(client, "/api/v1/fieldwork/visits", body, headers).status_code == 201
    assert post(client, "/api/v1/fieldwork/visits", body, headers).status_code == 200
    stale = post(client, "/api/v1/fieldwork/visits", {**body, "household_version": 999}, headers, key="key-2")
    assert stale.status_code == 409 and stale.json()["code"] == "household_changed"


def test_reads_tasks_households_checklists_cameras(client, worker, household, django_assert_max_num_queries):
    headers = bearer(client, "gridworker")
    assert client.get("/api/v1/fieldwork/households", headers=headers).json()["count"] == 1
    assert len(client.get("/api/v1/fieldwork/checklists", headers=headers).json()) == 6
    tasks = client.get("/api/v1/fieldwork/tasks", headers=headers).json()
    assert [t["kind"] for t in tasks] == ["unvisited"]
    assert client.get("/api/v1/cameras?region=450324106200", headers=headers).json() == []
    assert client.get("/api/v1/cameras?bogus=1", headers=headers).status_code == 422
    for i in range(5):
        post(client, "/api/v1/fieldwork/reports", REPORT, headers, key=f"r{i}")
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/fieldwork/reports", headers=headers).json()) == 5


def test_roles_without_grid_work_get_403(client, persona):
    persona("clerk")
    assert post(client, "/api/v1/fieldwork/reports", REPORT, bearer(client, "clerk")).status_code == 403
