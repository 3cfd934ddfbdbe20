"""A user logs in on the Chinese page, sees a menu fit for their role, and the grid map draws."""

import pytest

from conftest import PASSWORD
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_logs_in_and_sees_the_map(page, persona):
    persona("clerk")
    sign_in(page, "clerk", PASSWORD)
    assert page.get_by_test_id("whoami").inner_text().startswith("clerk")
    menu = page.get_by_test_id("menu").inner_text()
    assert "网格地图" in menu and "审计日志" not in menu and "用户管理" not in menu
    page.get_by_test_id("menu").get_by_role("link", name="网格地图").click()
    page.wait_for_selector(".leaflet-interactive")
    assert page.locator(".leaflet-interactive").count() >= 2  # both villages' polygons are drawn
    assert page.locator(".leaflet-tile").count() == 0  # no tiles: nothing comes from the internet
    assert page.errors == []


def test_wrong_password_then_lockout_in_the_browser(page, persona):
    persona("clerk")
    for _ in range(5):
        sign_in(page, "clerk", "Wrong@pass1")
    assert "账号已锁定" in page.get_by_test_id("locked").inner_text()
    sign_in(page, "clerk", PASSWORD)
    assert "账号已锁定" in page.get_by_test_id("locked").inner_text()
