"""The citizens' doors through the API (API.md "Citizens (no login)")."""

import base64

import pytest
from django.test import override_settings

from yimen.cases.tests.test_api import bearer
from yimen.citizens.models import CitizenReport, PhoneCode, SmsMessage
from yimen.citizens.tests.conftest import CITIZEN, IN_CAIWAN, PHONE, case_in, jpeg, last_code
from yimen.fieldwork import selectors as field_selectors
from yimen.fieldwork import services as field_services
from yimen.fieldwork.models import Report

pytestmark = pytest.mark.django_db


def post(client, url, body, **extra):
    return client.post(url, body, content_type="application/json", **extra)


def report_body(code: str, **fields) -> dict:
    photo = "data:image/jpeg;base64," + base64.b64encode(jpeg()).decode()
    return {
        "phone": CITIZEN,
        "code": code,
        "text": "村口路灯坏了一个月，晚上很黑",
        "location": IN_CAIWAN,
        "photo": photo,
        **fields,
    }


def test_a_code_is_six_digits_single_use_and_a_wrong_one_is_422(client, worker):
    sent = post(client, "/api/v1/public/verify", {"phone": CITIZEN})
    assert sent.status_code == 200 and sent.json() == {"sent": True, "expires_in": 600}
    code = last_code(CITIZEN)
    assert len(code) == 6 and CITIZEN not in SmsMessage.objects.get().to_phone_cipher
    wrong = post(client, "/api/v1/public/reports", report_body("000000" if code != "000000" else "111111"))
    assert wrong.status_code == 422 and "code" in wrong.json()["errors"]
    first = post(client, "/api/v1/public/reports", report_body(code))
    assert first.status_code == 201, first.json()
    again = post(client, "/api/v1/public/reports", report_body(code))
    assert again.status_code == 422 and again.json()["errors"]["code"] == ["验证码错误或已过期，请重新获取。"]


def test_an_expired_code_is_refused(client, worker):
    post(client, "/api/v1/public/verify", {"phone": CITIZEN})
    code = last_code(CITIZEN)
    PhoneCode.objects.update(expires_at="2020-01-01T00:00:00+08:00")
    assert post(client, "/api/v1/public/reports", report_body(code)).status_code == 422


@override_settings(YIMEN_RATE_SMS_PHONE=(2, 3600), YIMEN_RATE_SMS_IP=(3, 3600))
def test_codes_are_limited_per_phone_and_per_address(client, worker):
    assert [post(client, "/api/v1/public/verify", {"phone": CITIZEN}).status_code for _ in range(3)] == [200, 200, 429]
    refused = post(client, "/api/v1/public/verify", {"phone": "13807730002"})
    assert refused.status_code == 200  # the third send from this address
    limited = post(client, "/api/v1/public/verify", {"phone": "13807730003"})
    assert limited.status_code == 429 and "过于频繁" in limited.json()["detail"]
    assert post(client, "/api/v1/public/verify", {"phone": "12345"}).status_code == 422


def test_a_report_waits_in_the_grid_workers_queue_and_becomes_a_case(client, persona):
    worker = persona("gridworker")
    post(client, "/api/v1/public/verify", {"phone": CITIZEN})
    made = post(client, "/api/v1/public/reports", report_body(last_code(CITIZEN)))
    assert made.status_code == 201
    token = made.json()["public_token"]
    report = CitizenReport.objects.get(public_token=token).report
    assert report.state == Report.State.PENDING and report.photos.count() == 1 and report.case is None
    assert report in field_selectors.tasks(member=worker).to_verify
    assert client.get(f"/api/v1/public/reports/{token}").json()["case"] is None
    field_services.report_register(actor=worker, report=report)
    status = client.get(f"/api/v1/public/reports/{token}").json()
    assert status["state"] == "registered" and status["case"]["code"] == Report.objects.get(pk=report.pk).case.code
    case = Report.objects.get(pk=report.pk).case
    assert "群众报告" in case.description
    found = client.get("/api/v1/public/cases", {"code": case.code, "phone_last4": CITIZEN[-4:]})
    assert found.status_code == 200 and found.json()["public_token"] == case.public_token


def test_a_photo_that_is_not_an_image_is_422(client, worker):
    post(client, "/api/v1/public/verify", {"phone": CITIZEN})
    body = report_body(last_code(CITIZEN), photo=base64.b64encode(b"not an image at all").decode())
    refused = post(client, "/api/v1/public/reports", body)
    assert refused.status_code == 422 and "photo" in refused.json()["errors"]
    assert not Report.objects.exists()


def test_lookup_by_code_and_last4_and_a_wrong_phone_is_404(client, seats):
    case = case_in("in_progress", seats)
    found = client.get("/api/v1/public/cases", {"code": case.code, "phone_last4": PHONE[-4:]})
    assert found.status_code == 200 and found.json()["code"] == case.code and found.json()["answer"] == ""
    for last4 in ("9999", "abcd"):
        wrong = client.get("/api/v1/public/cases", {"code": case.code, "phone_last4": last4})
        assert wrong.status_code == 404
    assert client.get("/api/v1/public/cases", {"code": "NOPE", "phone_last4": "0001"}).status_code == 404


def test_only_the_citizen_with_the_fresh_code_can_rate(client, seats):
    case = case_in("closed", seats)
    url = f"/api/v1/public/cases/{case.public_token}/rating"
    # A staff member holds the token and the last 4 digits: without the SMS code, no rating.
    staff = post(client, url, {"rating": 5}, headers=bearer(seats["clerk"]))
    assert staff.status_code == 422 and "code" in staff.json()["errors"]
    assert post(client, url, {"rating": 5, "code": "123456"}).status_code == 422
    sent = post(client, f"/api/v1/public/cases/{case.public_token}/verify", {})
    assert sent.status_code == 200 and PHONE not in sent.content.decode() and PHONE[-4:] not in sent.content.decode()
    rated = post(client, url, {"rating": 4, "note": "很快", "code": last_code(PHONE)})
    assert rated.status_code == 200 and rated.json()["can_rate"] is False, rated.json()
    case.refresh_from_db()
    assert case.public_rating == 4
    answer = client.get("/api/v1/public/cases", {"code": case.code, "phone_last4": PHONE[-4:]}).json()["answer"]
    assert answer  # the unit's reply, released at close


def test_the_outbox_is_shown_only_in_the_demo_to_a_signed_in_account(client, seats):
    post(client, "/api/v1/public/verify", {"phone": CITIZEN})
    url = f"/api/v1/demo/outbox?to={CITIZEN}"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=bearer(seats["clerk"])).status_code == 404  # not the demo
    with override_settings(YIMEN_DEMO=True):
        shown = client.get(url, headers=bearer(seats["clerk"]))
    assert (
        shown.status_code == 200 and "验证码" in shown.json()[0]["message"] and shown.json()[0]["to"] == "138****5678"
    )


def test_a_follow_up_reaches_the_handling_unit_as_a_note(client, seats):
    case = case_in("in_progress", seats)
    url = f"/api/v1/public/cases/{case.public_token}/comments"
    assert post(client, url, {"code": "123456", "text": "昨晚又吵起来了"}).status_code == 422
    post(client, f"/api/v1/public/cases/{case.public_token}/verify", {})
    added = post(client, url, {"code": last_code(PHONE), "text": "昨晚又吵起来了"})
    assert added.status_code == 201
    timeline = client.get(f"/api/v1/cases/{case.code}/timeline", headers=bearer(seats["police"])).json()
    assert any(e["action"] == "citizen_comment" and e["note"] == "昨晚又吵起来了" for e in timeline)


def test_the_dictionary_is_public_and_the_docs_copy_is_current(client, db):
    from pathlib import Path

    from django.conf import settings

    from yimen.citizens.dictionary import render_markdown

    entities = {e["name"]: e for e in client.get("/api/v1/dictionary").json()}
    assert set(entities) == {"case", "category", "region", "unit"}
    kind = next(f for f in entities["case"]["fields"] if f["name"] == "kind")
    assert {"code": "dispute", "label": "矛盾纠纷"} in kind["codes"] and kind["gbt31000"] is None
    docs = Path(settings.BASE_DIR) / "docs" / "dictionary.md"
    assert docs.read_text("utf-8") == render_markdown()  # regenerate with render_markdown()


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


@pytest.mark.django_db(transaction=True)  # real commits: the refused request's rollback must not undo the try
def test_five_wrong_codes_spend_the_code_even_though_each_request_is_refused(client, worker):
    post(client, "/api/v1/public/verify", {"phone": CITIZEN})
    code = last_code(CITIZEN)
    for _ in range(5):
        assert post(client, "/api/v1/public/reports", report_body(_wrong(code))).status_code == 422
    assert PhoneCode.objects.get().tries == 5
    refused = post(client, "/api/v1/public/reports", report_body(code))
    assert refused.status_code == 429 and "输错 5 次" in refused.json()["errors"]["code"][0]
    assert not Report.objects.exists()
    post(client, "/api/v1/public/verify", {"phone": CITIZEN})  # a fresh code works again
    assert post(client, "/api/v1/public/reports", report_body(last_code(CITIZEN))).status_code == 201


def test_four_wrong_codes_leave_the_right_one_usable(client, worker):
    post(client, "/api/v1/public/verify", {"phone": CITIZEN})
    code = last_code(CITIZEN)
    for _ in range(4):
        post(client, "/api/v1/public/reports", report_body(_wrong(code)))
    assert post(client, "/api/v1/public/reports", report_body(code)).status_code == 201


def test_wrong_rating_codes_count_on_the_api_and_on_the_page(client, seats):
    case = case_in("closed", seats)
    post(client, f"/api/v1/public/cases/{case.public_token}/verify", {})
    code = last_code(PHONE)
    url = f"/api/v1/public/cases/{case.public_token}/rating"
    for _ in range(3):
        assert post(client, url, {"rating": 5, "code": _wrong(code)}).status_code == 422
    for _ in range(2):  # the progress page's rating form
        page = client.post(f"/public/cases/{case.public_token}/", {"rating": 5, "code": _wrong(code)})
        assert page.status_code == 422
    refused = post(client, url, {"rating": 5, "code": code})
    assert refused.status_code == 429
    case.refresh_from_db()
    assert case.public_rating is None
