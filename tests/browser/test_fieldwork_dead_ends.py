"""The phone app's dead ends (issue 21 item 6), walked at 390×844 by a grid worker: the
households in natural order and found by group and number; a report GPS places in another grid
is refused beside its submit button, the advice "或手动选择本网格" works and the location can be
cleared; a failed send says so instead of "正在发送…"; a discarded report leaves no photo behind;
a saved visit shows at once; and the worker can log out from every page."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from tests.browser.conftest import sign_in
from yimen.fieldwork.models import Report
from yimen.fieldwork.tests.conftest import IN_XIAOTANG, jpeg
from yimen.fieldwork.tests.test_households import ADDRESSES, settle
from yimen.people.models import ResidentNote
from yimen.people.tests.samples import make_defence_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
CAIWAN_GRID = "45032410620001"
DRAFTS = "() => new Dexie('yimen-m').open().then(db => db.table('drafts').count())"


@pytest.fixture
def phone(page, browser):
    page.set_viewport_size(PHONE)
    browser.grant_permissions(["geolocation"], origin=page.base)
    browser.set_geolocation({"latitude": IN_XIAOTANG["lat"], "longitude": IN_XIAOTANG["lng"]})  # 小塘村: not hers
    yield page
    browser.clear_permissions()


def photo(name: str) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg((400, 300))}


def test_the_grid_worker_meets_no_dead_end(phone, browser, persona):
    worker = persona("gridworker")
    chief = persona("gridchief")
    homes = settle(chief, ADDRESSES[::-1])
    page = phone
    sign_in(page, "gridworker", PASSWORD)

    # Every page of the app offers 退出 and fits the phone.
    for url in ("/m/", "/m/households/", f"/m/households/{homes[ADDRESSES[0]]}/", "/m/report/", "/m/patrol/"):
        page.goto(f"{page.base}{url}")
        expect(page.get_by_role("button", name="退出")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url

    # Households in natural order, and found by group and number as a worker would type it.
    page.goto(f"{page.base}/m/households/")
    expect(page.get_by_test_id("households").locator("li")).to_have_count(len(ADDRESSES))
    listed = [t.split("户主")[0] for t in page.get_by_test_id("households").locator("li").all_inner_texts()]
    assert [t.strip() for t in listed] == ADDRESSES
    page.get_by_label("查找住户").fill("1-10")
    page.get_by_role("button", name="查找").click()
    expect(page.get_by_test_id("households").locator("li")).to_have_count(1)
    expect(page.get_by_test_id("households")).to_contain_text("才湾村1组10号")

    # GPS places the report in another grid: refused, and said beside the submit button.
    page.goto(f"{page.base}/m/report/")
    page.get_by_label("标题").fill("山塘护栏缺失")
    page.locator("[data-photos]").set_input_files([photo("old.jpg")])
    expect(page.locator("[data-thumbs] img")).to_have_count(1)
    page.get_by_role("button", name="获取手机定位").click()
    expect(page.locator("[data-gps-status]")).to_contain_text("已定位")
    page.get_by_role("button", name="提交上报").click()
    error = page.locator("[data-form-error]")
    expect(error).to_contain_text("不在您负责的网格内", timeout=20_000)
    expect(error).to_be_focused()
    expect(error).to_be_in_viewport()
    expect(page.locator("#flash")).not_to_contain_text("正在发送")
    expect(page.locator("#flash")).to_contain_text("未被接受")
    expect(page.get_by_label("标题")).to_have_value("山塘护栏缺失")  # nothing typed is lost
    expect(page.get_by_test_id("outbox-count")).to_be_hidden()
    assert not Report.objects.exists()

    # The location can be cleared, and a grid chosen by hand replaces the GPS point.
    page.get_by_role("button", name="清除定位").click()
    expect(page.locator("[data-gps-status]")).to_contain_text("未定位")
    expect(page.get_by_role("button", name="清除定位")).to_be_hidden()
    page.get_by_role("button", name="获取手机定位").click()
    expect(page.get_by_role("button", name="清除定位")).to_be_visible()
    page.get_by_label("所在网格（无定位时必选）").select_option(CAIWAN_GRID)
    expect(page.locator("[data-gps-status]")).to_contain_text("已手动选择网格")
    assert page.locator("[data-location]").input_value() == ""

    # Discarding the refused report leaves no photo, draft or error behind.
    error.get_by_role("button", name="放弃这条，清空表单").click()
    expect(page.get_by_label("标题")).to_have_value("")
    expect(page.locator("[data-thumbs] img")).to_have_count(0)
    expect(error).to_be_hidden()
    assert page.evaluate(DRAFTS) == 0

    # The next report, with its own photo, while the server cannot answer: the status says so.
    page.expected_errors.append(re.compile(r"status of 503"))
    page.route("**/api/v1/fieldwork/reports", lambda route: route.fulfill(status=503, body="busy"))
    page.get_by_label("标题").fill("村道塌方")
    page.locator("[data-photos]").set_input_files([photo("new.jpg")])
    expect(page.locator("[data-thumbs] img")).to_have_count(1)
    page.get_by_label("所在网格（无定位时必选）").select_option(CAIWAN_GRID)
    page.get_by_role("button", name="提交上报").click()
    expect(page.locator("#flash")).to_contain_text("暂时发不出去", timeout=20_000)
    expect(page.get_by_test_id("outbox-count")).to_have_text("1")
    page.unroute("**/api/v1/fieldwork/reports")
    page.get_by_role("button", name="立即发送").click()
    expect(page.locator("#flash")).to_contain_text("已登记为案件", timeout=20_000)
    report = Report.objects.get()
    assert report.title == "村道塌方" and report.located == Report.Located.HAND
    assert report.photos.count() == 1  # its own photo, once; the discarded one is gone

    # A saved visit shows on the household page at once, without a reload.
    page.goto(f"{page.base}/m/households/{homes[ADDRESSES[0]]}/")
    page.evaluate("() => { window.notReloaded = true; }")
    page.get_by_label("情况记录").fill("入户走访，屋后排水沟堵塞。")
    page.get_by_role("button", name="保存走访").click()
    expect(page.get_by_test_id("notes")).to_contain_text("屋后排水沟堵塞", timeout=20_000)
    expect(page.get_by_test_id("notes")).not_to_contain_text("暂无记录")
    assert page.evaluate("() => window.notReloaded === true")
    assert ResidentNote.objects.get().author_id == worker.user_id

    # The 十户联防 alarm at the foot of its household's page says what is missing beside its button.
    group = make_defence_group(chief)
    page.goto(f"{page.base}/m/households/{group.lead_id}/")
    page.get_by_role("button", name="通知本组联防户").click()
    alarm = page.locator("form[data-alert] [data-form-error]")
    expect(alarm).to_have_text("请填写警情。")
    expect(alarm).to_be_focused()
    expect(alarm).to_be_in_viewport()

    # 退出 from the phone: a POST with a fresh CSRF token, back to the login page.
    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()
    assert "/accounts/login/" in page.url
    page.goto(f"{page.base}/m/")
    assert "/accounts/login/" in page.url
