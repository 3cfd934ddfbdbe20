"""Open311 GeoReport v2: services from the catalogue, requests with a verified phone, public reads."""

import re

import pytest

from yimen.citizens.models import CitizenReport, Open311Key
from yimen.citizens.tests.conftest import CITIZEN, IN_CAIWAN, last_code
from yimen.core.models import AuditEntry
from yimen.fieldwork import selectors as field_selectors
from yimen.fieldwork.models import Report

pytestmark = pytest.mark.django_db
BASE = "/api/v1/open311/v2"


def test_services_come_from_the_catalogue(client, worker):
    services = client.get(f"{BASE}/services.json").json()
    assert services and {"hazard", "dispute"} & {s["service_code"].split(".")[0] for s in services}
    assert all(s["type"] == "realtime" and s["metadata"] is False for s in services)


def test_a_request_needs_a_verified_phone_and_a_known_service(client, worker):
    service = client.get(f"{BASE}/services.json").json()[0]["service_code"]
    body = {"service_code": service, "lat": IN_CAIWAN["lat"], "long": IN_CAIWAN["lng"], "description": "路面塌陷"}
    refused = client.post(f"{BASE}/requests.json", {**body, "phone": CITIZEN, "code": "123456"})
    assert refused.status_code == 422 and "code" in refused.json()["errors"]
    client.post("/api/v1/public/verify", {"phone": CITIZEN}, content_type="application/json")
    unknown = client.post(f"{BASE}/requests.json", {**body, "service_code": "nope", "phone": CITIZEN, "code": "1"})
    assert unknown.status_code == 422 and "service_code" in unknown.json()["errors"]
    assert client.post(f"{BASE}/requests.json", {"lat": "x"}).status_code == 422
    made = client.post(f"{BASE}/requests.json", {**body, "phone": CITIZEN, "code": last_code(CITIZEN)})
    assert made.status_code == 201
    rid = made.json()[0]["service_request_id"]
    one = client.get(f"{BASE}/requests/{rid}.json").json()[0]
    assert one["status"] == "open" and one["service_code"] == service and one["lat"] == round(IN_CAIWAN["lat"], 3)
    listed = client.get(f"{BASE}/requests.json")
    assert [r["service_request_id"] for r in listed.json()] == [rid]
    for private in ("路面塌陷", CITIZEN, CITIZEN[-4:]):
        assert private not in listed.content.decode()
    assert client.get(f"{BASE}/requests/999999.json").status_code == 404


def _body(client) -> dict:
    service = client.get(f"{BASE}/services.json").json()[0]["service_code"]
    return {"service_code": service, "lat": IN_CAIWAN["lat"], "long": IN_CAIWAN["lng"], "description": "路灯不亮"}


def test_without_a_key_or_a_verified_phone_it_is_403_in_open311s_shape(client, worker):
    refused = client.post(f"{BASE}/requests.json", _body(client))
    assert refused.status_code == 403
    [error] = refused.json()
    assert error["code"] == 403 and "api_key" in error["description"]
    bad = client.post(f"{BASE}/requests.json", {**_body(client), "api_key": "y311_not-a-key"})
    assert bad.status_code == 403 and bad.json()[0]["description"] == "接口密钥无效或已吊销。"
    assert not Report.objects.exists()


def test_the_dispatcher_issues_a_key_whose_requests_reach_the_grid_queue_until_revoked(client, persona, worker):
    dispatcher = persona("dispatcher")
    client.force_login(dispatcher.user)
    issued = client.post("/open311/keys/", {"name": "县 12345 平台"})
    assert issued.status_code == 201
    raw = re.search(r"(y311_[\w-]+)", issued.content.decode()).group(1)
    key = Open311Key.objects.get()
    assert key.digest != raw and raw not in key.digest and key.name == "县 12345 平台"
    assert AuditEntry.objects.filter(action="open311_key_issue", actor=dispatcher.user).exists()
    client.logout()

    made = client.post(f"{BASE}/requests.json", {**_body(client), "api_key": raw})
    assert made.status_code == 201, made.content
    citizen = CitizenReport.objects.get()
    assert citizen.open311_key == key and citizen.phone_cipher == ""
    assert citizen.report.state == Report.State.PENDING and citizen.report.case is None
    assert citizen.report in field_selectors.tasks(member=worker).to_verify
    assert "县 12345 平台" in citizen.report.description

    client.force_login(dispatcher.user)
    page = client.get("/open311/keys/")
    assert raw not in page.content.decode() and key.prefix in page.content.decode()
    assert client.post(f"/open311/keys/{key.pk}/revoke/").status_code == 302
    assert AuditEntry.objects.filter(action="open311_key_revoke").exists()
    client.logout()
    again = client.post(f"{BASE}/requests.json", {**_body(client), "api_key": raw})
    assert again.status_code == 403 and CitizenReport.objects.count() == 1


def test_only_the_dispatcher_and_the_leader_manage_keys(client, persona):
    for role, status in (("clerk", 403), ("gridworker", 403), ("leader", 201)):
        client.force_login(persona(role).user)
        assert client.post("/open311/keys/", {"name": "便民小程序"}).status_code == status, role
    assert Open311Key.objects.count() == 1
