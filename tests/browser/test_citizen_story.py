"""A citizen's whole loop on a 390 px phone and at 1366 px (issues 19, 21): a code by SMS → 随手拍 with a photo →
the grid chief verifies it → a case → the unit's reply released → the citizen reads the answer
and rates with a fresh code sent to their phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_case_flow import DESKTOP, PHONE
from yimen.cases.tests.conftest import POLICE, act
from yimen.citizens.models import CitizenReport
from yimen.citizens.tests.conftest import CITIZEN, jpeg, last_code
from yimen.fieldwork import services as field_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_the_citizen_reports_reads_the_answer_and_rates(page, persona, tmp_path, size):
    seats = {name: persona(name) for name in ("gridchief", "clerk", "dispatcher", "police")}
    photo = tmp_path / "road.jpg"
    photo.write_bytes(jpeg((800, 600)))
    page.set_viewport_size(size)
    page.goto(f"{page.base}/s/")
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    page.get_by_label("手机号").fill(CITIZEN)
    page.get_by_test_id("s-send").click()
    expect(page.get_by_test_id("s-error")).to_have_text("验证码已发送，请查收短信。")
    page.get_by_label("短信验证码").fill(last_code(CITIZEN))
    page.get_by_label("您要反映的事").fill("才湾村村口桥头护栏松动，孩子上学天天经过。")
    page.locator("#s-photos").set_input_files(str(photo))
    page.get_by_label("或选择所在村（社区）").select_option(label="才湾村")
    with page.expect_navigation():
        page.get_by_test_id("s-submit").click()
    expect(page.get_by_test_id("s-state")).to_contain_text("待网格员核实")

    citizen = CitizenReport.objects.select_related("report").get()
    assert citizen.report.photos.count() == 1
    field_services.report_register(actor=seats["gridchief"], report=citizen.report)
    citizen.report.refresh_from_db()
    case = citizen.report.case
    case = act("accept", case, seats["dispatcher"])
    case = act("dispatch", case, seats["dispatcher"], lead_unit=POLICE)
    case = act("sign", case, seats["police"])
    case = act("reply", case, seats["police"], text="护栏已加固，谢谢您的反映。")
    act("review", case, seats["dispatcher"], approved=True, note="")

    page.reload()
    expect(page.get_by_test_id("s-answer")).to_have_text("护栏已加固，谢谢您的反映。")
    with page.expect_navigation():
        page.get_by_test_id("s-progress").click()
    # The progress page: the released answer in plain words, steps in the citizen's language.
    expect(page.get_by_test_id("public-answer")).to_have_text("护栏已加固，谢谢您的反映。")
    expect(page.get_by_test_id("public-steps")).to_contain_text("承办单位已受理，正在办理")
    expect(page.get_by_test_id("public-clocks")).to_contain_text("办结")
    assert "审核" not in page.content() and "签收" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    # Looking the case up again by its code and the phone's last 4 digits lands on the same page.
    progress = page.url
    page.get_by_label("案件编码").fill(case.code)
    page.get_by_label("登记手机号后四位").fill(CITIZEN[-4:])
    with page.expect_navigation():
        page.get_by_test_id("public-lookup").get_by_role("button", name="查询").click()
    assert page.url == progress
    expect(page.get_by_test_id("public-answer")).to_be_visible()
    with page.expect_navigation():
        page.get_by_test_id("rating-code").click()
    expect(page.get_by_text("验证码已发送到登记的手机")).to_be_visible()
    page.get_by_label("非常满意").check()
    page.get_by_label("短信验证码").fill(last_code(CITIZEN))
    with page.expect_navigation():
        page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_test_id("rated")).to_have_text(re.compile("您已评价"))
    case.refresh_from_db()
    assert case.public_rating == 5
