"""The citizens' pages: 随手拍 at /s/, the lookup, and the rating's SMS code from the progress page."""

import pytest

from yimen.citizens.tests.conftest import PHONE, case_in, last_code
from yimen.fieldwork.models import Report

pytestmark = pytest.mark.django_db


def test_the_report_page_is_plain_and_offers_the_villages(client, worker):
    html = client.get("/s/").content.decode()
    assert "随手拍" in html and "才湾村" in html and 'src="/static/citizens/s.js"' in html
    assert "style=" not in html and "<script>" not in html  # CSP: static JS only


def test_lookup_by_code_and_last4_opens_the_progress_page(client, seats):
    case = case_in("in_progress", seats)
    found = client.get("/s/find/", {"code": case.code, "phone_last4": PHONE[-4:]})
    assert found.status_code == 302 and found.url == f"/public/cases/{case.public_token}/"
    wrong = client.get("/s/find/", {"code": case.code, "phone_last4": "9999"})
    assert (
        wrong.status_code == 200
        and "未找到" in wrong.content.decode()
        and case.public_token not in wrong.content.decode()
    )


def test_the_citizen_rates_on_the_page_with_the_code_sent_to_the_applicant(client, seats):
    case = case_in("closed", seats)
    url = f"/public/cases/{case.public_token}/"
    page = client.get(url).content.decode()
    assert 'data-testid="rating-code"' in page and "139****" not in page
    assert client.post(url, {"rating": "5"}).status_code == 422  # the token alone is not enough
    sent = client.post(f"{url}verify/", follow=True)
    assert "验证码已发送" in sent.content.decode()
    assert client.post(url, {"rating": "5", "code": last_code(PHONE)}).status_code == 302
    case.refresh_from_db()
    assert case.public_rating == 5


def test_the_status_page_follows_the_report_to_its_case(client, worker):
    from yimen.citizens import services
    from yimen.citizens.tests.conftest import CITIZEN, IN_CAIWAN
    from yimen.fieldwork import services as field_services

    services.code_send(phone=CITIZEN, ip="10.0.0.1")
    citizen = services.citizen_report_submit(
        phone=CITIZEN, code=last_code(CITIZEN), text="河堤有裂缝", location=IN_CAIWAN
    )
    url = f"/s/r/{citizen.public_token}/"
    assert "待网格员核实" in client.get(url).content.decode()
    field_services.report_register(actor=worker, report=Report.objects.get(pk=citizen.report_id))
    html = client.get(url).content.decode()
    assert "已立案" in html and 'data-testid="s-progress"' in html
    assert client.get("/s/r/nope/").status_code == 404


def test_the_progress_page_shows_the_answer_only_once_released(client, seats):
    from yimen.cases.tests.conftest import act

    case = case_in("replied", seats)
    url = f"/public/cases/{case.public_token}/"
    waiting = client.get(url).content.decode()
    assert 'data-testid="public-answer"' not in waiting and "已有处理结果，正在核实" in waiting
    act("review", case, seats["dispatcher"], approved=True, note="")
    html = client.get(url).content.decode()
    reply = case.events.filter(action="reply").latest("id").note
    assert 'data-testid="public-answer"' in html and reply in html
    assert "综治中心已核实处理结果" in html and "审核" not in html and "办结。" in html
