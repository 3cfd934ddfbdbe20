"""Smart intake in a real browser: the clerk types "家暴" in the title, the desk suggests 家庭暴力
with its reason (the word typed, the catalogue's row), the clerk picks it with one click and
registers; what was suggested and what the clerk chose is recorded."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from tests.browser.conftest import sign_in
from yimen.smart.models import SuggestionLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_jiabao_suggests_domestic_violence_with_its_reason(page, persona):
    persona("clerk")
    page.set_viewport_size({"width": 390, "height": 844})  # the desk on a phone-sized screen
    sign_in(page, "clerk", PASSWORD)
    page.goto(f"{page.base}/cases/new/")
    page.get_by_label("标题").press_sequentially("老公喝酒后家暴")

    first = page.get_by_test_id("smart-category").first
    expect(first).to_contain_text("家庭暴力")
    expect(first.get_by_test_id("smart-reason")).to_contain_text("家暴")
    expect(first.get_by_test_id("smart-reason")).to_contain_text("婚姻家庭 · 家庭暴力")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    first.get_by_role("button", name="选用类别 家庭暴力").click()
    expect(page.locator("#id_category")).to_have_value("dispute.family.violence")
    page.get_by_label("姓名").first.fill("蒋秀英")
    with page.expect_navigation():
        page.get_by_test_id("register").click()
    expect(page.get_by_text("登记成功")).to_be_visible()
    log = SuggestionLog.objects.get()
    assert log.suggested[0] == log.chosen == "dispute.family.violence" and log.rank == 1
