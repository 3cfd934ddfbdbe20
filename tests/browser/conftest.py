"""Real-browser tests: Debian's chromium driven by Playwright against pytest-django's live server."""

import os
import re
import shutil
import tempfile

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.factories import totp_now

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# A loaded CI machine answers slower than a developer's; a real failure still fails, later.
expect.set_options(timeout=15_000)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield context
        context.close()


# The phone app (/m/) installs a service worker, its caches and an IndexedDB outbox in the one
# browser profile the session shares: a test that opened /m/ must not hand them to the next,
# whose service worker would then answer from another test's pages (ERR_FAILED offline).
FORGET_OFFLINE_STATE = """async () => {
  for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
  for (const k of await caches.keys()) await caches.delete(k);
  indexedDB.deleteDatabase('yimen-m');
}"""


def forget_offline_state(page, base: str) -> None:
    page.context.set_offline(False)
    for opened in page.context.pages:
        if opened.url.startswith(base):
            opened.evaluate(FORGET_OFFLINE_STATE)
            return
    page.goto(f"{base}/accounts/login/")
    page.evaluate(FORGET_OFFLINE_STATE)


@pytest.fixture
def page(browser, live_server):
    page = browser.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.base = live_server.url
    # What a test provokes on purpose and the browser logs: a refusal the test asserts (a 4xx
    # answer), requests made while a test holds the browser offline.
    page.expected_errors = [re.compile(r"status of 4\d\d"), re.compile("ERR_INTERNET_DISCONNECTED")]
    yield page
    forget_offline_state(page, live_server.url)
    browser.clear_cookies()
    page.close()
    # Every journey, interactions included, ends with a console free of errors (issue 21 item 11).
    unexpected = [e for e in page.errors if not any(p.search(e) for p in page.expected_errors)]
    assert unexpected == [], unexpected


def sign_in(page, username: str, password: str) -> None:
    """Sign in as a person would: the password, then, for a role the policy asks (administrators
    and revealing roles), the code their authenticator app shows (a device is enrolled first)."""
    code = totp_now(username)
    page.goto(f"{page.base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    with page.expect_navigation():  # the answer page itself, not just an idle network
        page.get_by_role("button", name="登录").click()
    if page.url.startswith(f"{page.base}/accounts/otp/"):
        page.get_by_label("动态口令").fill(code)
        with page.expect_navigation():
            page.get_by_role("button", name="验证").click()
    page.wait_for_load_state("networkidle")


def opened(page, panel: str) -> None:
    """Wait until a Bootstrap collapse panel has finished opening. It opens with a 0.35 s height
    transition, and its form counts as visible from the first frame: a click while it runs can
    press on the confirm button and release on the growing panel, which submits nothing (the
    step's expect_navigation then hung until its timeout, at random, on both databases)."""
    expect(page.locator(panel)).to_have_class(re.compile(r"\bshow\b"))
