"""Open311 GeoReport v2: services from the catalogue, requests with a verified phone, public reads."""

import pytest

from yimen.citizens.tests.conftest import CITIZEN, IN_CAIWAN, last_code

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
