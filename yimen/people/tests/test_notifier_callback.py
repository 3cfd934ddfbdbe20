"""The notifier gateway's signed delivery report (POST /notifier/callback): delivered and
failed reach the alert's report; a bad signature is 403 and an unknown receipt 404, both in the
API's error shape; a retry changes nothing."""

import json

import pytest

from yimen.core.models import AuditEntry
from yimen.people import police
from yimen.people.api_notifier import sign
from yimen.people.models import AlertDelivery
from yimen.people.tests.test_police import contact, recorder  # noqa: F401  (the fixture)

URL = "/api/v1/notifier/callback"


def report(client, body: dict, signature: str | None = None):
    raw = json.dumps(body).encode()
    return client.post(URL, raw, "application/json", headers={"X-Yimen-Signature": signature or sign(raw)})


@pytest.fixture
def deliveries(resident, persona, recorder, django_capture_on_commit_callbacks):  # noqa: F811
    officer = persona("police")
    people = [resident("张三", seq=21), resident("李四", seq=22)]
    for person in people:
        contact(person, officer)
    with django_capture_on_commit_callbacks(execute=True):
        alert = police.fraud_alert_send(actor=officer, title="预警", text="谨防冒充客服退款", region=people[0].region)
    return alert, [AlertDelivery.objects.get(alert=alert, person=p) for p in people]


def test_the_gateway_reports_delivered_and_failed_and_the_reach_shows_it(client, api, deliveries):
    alert, (first, second) = deliveries
    done = report(client, {"receipt": first.receipt, "status": "delivered"})
    assert done.status_code == 200 and done.json() == {"changed": True}
    failed = report(client, {"receipt": second.receipt, "status": "failed", "reason": "空号"})
    assert failed.status_code == 200
    assert report(client, {"receipt": first.receipt, "status": "delivered"}).json() == {"changed": False}
    [row] = api.get("police", f"/fraud-alerts/{alert.pk}").json()["reach"]
    assert (row["sent"], row["delivered"], row["failed"]) == (2, 1, 1)
    assert AlertDelivery.objects.get(pk=second.pk).failed == "空号"
    assert AuditEntry.objects.filter(action="fraud_alert_failed", actor_username="notifier").count() == 1


def test_a_bad_signature_is_refused_and_changes_nothing(client, deliveries):
    _, (first, _) = deliveries
    forged = report(client, {"receipt": first.receipt, "status": "delivered"}, signature="sm3=" + "0" * 64)
    assert forged.status_code == 403 and set(forged.json()) == {"detail", "code", "errors"}
    assert forged.json()["code"] == "bad_signature"
    raw = json.dumps({"receipt": first.receipt, "status": "delivered"}).encode()
    unsigned = client.post(URL, raw, "application/json")
    assert unsigned.status_code == 403
    assert AlertDelivery.objects.get(pk=first.pk).delivered_at is None


def test_an_unknown_receipt_is_404_in_the_error_shape(client, deliveries):
    missing = report(client, {"receipt": "r-999", "status": "delivered"})
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_receipt"
    bad = report(client, {"receipt": "r-1", "status": "lost"})
    assert bad.status_code == 422 and "status" in bad.json()["errors"]
