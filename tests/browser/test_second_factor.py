"""A system administrator's first sign-in in the browser: password, then the QR code page (drawn
under the CSP, no console error), the first code from the app, the recovery codes shown once,
and the page they were going to."""

import base64

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sysadmin_enrols_an_authenticator_and_keeps_the_recovery_codes(page, persona):
    persona("sysadmin")
    page.goto(f"{page.base}/users/")
    page.get_by_label("用户名").fill("sysadmin")
    page.get_by_label("密码").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{page.base}/accounts/otp/enrol/")
    qr = page.get_by_test_id("otp-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0  # the data: SVG loaded under the CSP
    secret = page.get_by_test_id("otp-secret").inner_text().replace(" ", "")
    page.get_by_label("动态口令").fill(f"{TOTP(base64.b32decode(secret)).token():06d}")
    page.get_by_role("button", name="确认绑定").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="我已保存，继续").click()
    page.wait_for_url(f"{page.base}/users/")
    expect(page.get_by_role("heading", name="用户管理")).to_be_visible()
    assert page.errors == []
