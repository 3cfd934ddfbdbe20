"""The clerk at the window (1366 px) and on a phone (390 px) registers a walk-in who is not in
the registry on /persons/new/, finds them by two characters in search, and corrects the phone
(issue 15 part 1)."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from tests.browser.conftest import sign_in
from tests.browser.test_case_flow import DESKTOP, PHONE
from yimen.people.models import Person
from yimen.people.tests.samples import CAIWAN_MICROGRID, make_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page, size) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_clerk_registers_a_walk_in_and_corrects_the_phone(page, persona, size):
    persona("clerk")
    number = make_id_number(seq=81)
    page.set_viewport_size(size)
    sign_in(page, "clerk", PASSWORD)
    page.goto(f"{page.base}/persons/")
    page.get_by_role("link", name="登记人员").click()
    form = page.get_by_test_id("upkeep-form")
    form.get_by_label("身份证号", exact=True).fill(number)
    form.get_by_label("姓名", exact=True).fill("欧阳来访")
    form.get_by_label("手机号", exact=True).fill("12345")  # a slip: refused, nothing typed is lost
    form.get_by_label("居住微网格").select_option(CAIWAN_MICROGRID)
    form.get_by_role("button", name="登记").click()
    expect(form).to_contain_text("手机号码格式不正确")
    expect(form.get_by_label("姓名", exact=True)).to_have_value("欧阳来访")
    fits(page, size)
    form.get_by_label("手机号", exact=True).fill("13912345678")
    form.get_by_role("button", name="登记").click()
    expect(page.get_by_test_id("person-name")).to_have_text("欧阳来访")
    expect(page.get_by_test_id("phone-masked")).to_have_text("139****5678")
    assert number not in page.content()
    fits(page, size)

    page.goto(f"{page.base}/persons/")
    page.get_by_label("姓名 / 身份证号 / 手机号").fill("欧阳")
    expect(page.get_by_test_id("result-count")).to_contain_text("共 1 人")
    page.get_by_role("link", name="欧阳来访").click()
    page.get_by_test_id("person-actions").get_by_role("link", name="修改").click()
    page.get_by_test_id("upkeep-form").get_by_label("手机号", exact=True).fill("13700001111")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("phone-masked")).to_have_text("137****1111")
    fits(page, size)
    person = Person.unscoped.get(name="欧阳来访")
    assert person.version == 2 and person.household_id is None
