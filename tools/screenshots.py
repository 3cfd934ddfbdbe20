"""Screenshots of the running demo at desktop and phone width, as a user sees them.

    .venv/bin/python tools/screenshots.py [base_url] [out_dir]

Logs in as each demo account named below and saves <page>-<width>.png (Debian's chromium)."""

import base64
import os
import sys
import time
from pathlib import Path

from django_otp.oath import hotp
from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "var/screenshots")
PASSWORD = os.environ.get("YIMEN_DEMO_PASSWORD", "Yimen@2026")
DEMO_TOTP_KEY = base64.b32decode(os.environ.get("YIMEN_DEMO_TOTP_SECRET", "YIMENDEMOCAIWANZHENQUANZHOUXIANX"))
LAST_STEP: dict[str, int] = {}
# (file stem, account, path)
PAGES = [
    ("login", None, "/accounts/login/"),
    ("home", "clerk", "/"),
    ("map", "clerk", "/map/"),
    ("region", "gridchief", "/regions/450324106200/"),
    ("units", "leader", "/units/"),
    ("calendar", "sysadmin", "/calendar/"),
    ("users", "sysadmin", "/users/"),
    ("security", "secadmin", "/security/"),
    ("audit", "auditor", "/audit/"),
]
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def demo_code(account: str) -> str:
    """The demo key's code for a 30-second step this account has not used yet: django-otp takes
    each step once, and one step either side of now."""
    now = int(time.time()) // 30
    step = max(now, LAST_STEP.get(account, now) + 1) if account in LAST_STEP else now
    if step > now + 1:
        time.sleep((step - 1) * 30 - time.time() + 1)
    LAST_STEP[account] = step
    return f"{hotp(DEMO_TOTP_KEY, step):06d}"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for label, (width, height) in SIZES.items():
            for stem, account, path in PAGES:
                context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
                page = context.new_page()
                if account:
                    page.goto(f"{BASE}/accounts/login/")
                    page.fill("#id_username", account)
                    page.fill("#id_password", PASSWORD)
                    with page.expect_navigation():
                        page.click("button[type=submit]")
                    if "/accounts/otp/" in page.url:  # the demo admins' second step (seed_demo's key)
                        page.fill("#id_code", demo_code(account))
                        page.click("button[type=submit]")
                page.goto(f"{BASE}{path}")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=OUT / f"{stem}-{label}.png", full_page=False)
                context.close()
        browser.close()
    print(f"saved to {OUT}")


if __name__ == "__main__":
    main()
