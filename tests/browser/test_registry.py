"""Police at the desk (1366 px) and on a phone (390 px): find a resident by two characters, open the card (masked),
reveal the full ID number with a purpose, and see the reveal in the audit log."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from tests.browser.conftest import sign_in
from tests.browser.test_case_flow import DESKTOP, PHONE
from yimen.core.models import AuditEntry
from yimen.people.tests.samples import make_id_number, make_resident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_police_searches_and_reveals(page, persona, size):
    clerk = persona("clerk")
    persona("police")
    make_resident(clerk, "张三丰", seq=1)
    make_resident(clerk, "李四", seq=2)
    page.set_viewport_size(size)
    sign_in(page, "police", PASSWORD)
    page.goto(f"{page.base}/persons/")
    page.get_by_label("姓名 / 身份证号 / 手机号").fill("张三")  # live results: no button pressed
    expect(page.get_by_test_id("result-count")).to_contain_text("共 1 人")
    rows = page.get_by_test_id("person-rows").inner_text()
    assert "李四" not in rows and "450324********" in rows and make_id_number(seq=1) not in rows
    page.get_by_role("link", name="张三丰").click()
    assert page.get_by_test_id("id-masked").inner_text().startswith("450324********")
    page.get_by_role("button", name="查看完整信息").click()  # without a purpose
    page.wait_for_selector("text=请填写查看目的")
    page.get_by_label("查看目的").fill("核实报警人身份")
    page.get_by_role("button", name="查看完整信息").click()
    assert page.get_by_test_id("revealed-id").inner_text() == make_id_number(seq=1)
    assert page.get_by_test_id("revealed-phone").inner_text() == "13800000001"
    assert AuditEntry.objects.filter(action="person_reveal", actor_username="police").count() == 1
    page.reload()  # shown once: the card is masked again
    assert make_id_number(seq=1) not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    assert page.errors == []
