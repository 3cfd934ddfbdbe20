"""Rate limits on the doors that need no login and on logins per address (issue 12 item 15)."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import PASSWORD
from yimen.core.ratelimit import RULES

NOON = datetime(2026, 3, 2, 12, 0, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
# The phone app's service worker and manifest need no login but are static files in all but
# name: the browser fetches them itself, and limiting them would only break the offline app.
# Logout reads nothing and, without a session, only redirects to the login page.
NOT_LIMITED = {"/m/sw.js", "/m/manifest.webmanifest", "/accounts/logout/"}


@pytest.fixture
def frozen():
    """A fixed clock, so that no window boundary falls between a test's requests."""
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def assert_api_429(response) -> None:
    assert response.status_code == 429
    assert set(response.json()) == {"detail", "code", "errors"}
    assert response.json()["code"] == "rate_limited"
    assert "请求过于频繁" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0


@override_settings(YIMEN_RATE_PUBLIC=(3, 60))
def test_public_lookup_answers_429_past_the_limit_then_resets(client, db, frozen):
    for _ in range(3):
        assert client.get("/api/v1/public/cases/no-such-token").status_code == 404
    refused = client.get("/api/v1/public/cases/no-such-token")
    assert_api_429(refused)
    assert refused["Retry-After"] == "60"
    page = client.get("/public/cases/no-such-token/")
    assert page.status_code == 429 and "请求过于频繁" in page.content.decode()
    frozen.shift(timedelta(seconds=60))
    assert client.get("/api/v1/public/cases/no-such-token").status_code == 404


@override_settings(YIMEN_RATE_PUBLIC=(2, 60))
def test_each_address_has_its_own_count(client, db, frozen):
    for _ in range(2):
        client.get("/public/cases/no-such-token/", REMOTE_ADDR="10.0.0.1")
    assert client.get("/public/cases/no-such-token/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get("/public/cases/no-such-token/", REMOTE_ADDR="10.0.0.2").status_code == 404


@override_settings(YIMEN_RATE_LOGIN=(3, 600))
def test_logins_from_one_address_answer_429_past_the_ceiling_then_reset(client, persona, frozen):
    persona("clerk")
    # Different accounts, each far below the per-account lockout: only the address limit applies.
    for name in ("a1", "a2", "a3"):
        assert client.post("/accounts/login/", {"username": name, "password": "wrong-Pass1"}).status_code == 200
    page = client.post("/accounts/login/", {"username": "clerk", "password": "wrong-Pass1"})
    assert page.status_code == 429 and "请求过于频繁" in page.content.decode()
    assert_api_429(client.post("/api/v1/auth/token", {"username": "clerk", "password": "x"}, "application/json"))
    assert client.get("/accounts/login/").status_code == 200  # the form itself still opens
    frozen.shift(timedelta(seconds=600))
    assert client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD}).status_code == 302


@override_settings(YIMEN_RATE_GATEWAY=(2, 60))
def test_a_flood_of_delivery_reports_from_one_address_answers_429(client, db, frozen):
    # Forged reports are refused (403) and still counted: a forged flood is bounded too.
    report = {"receipt": "r-1", "status": "delivered"}

    def forged():
        return client.post(
            "/api/v1/notifier/callback", report, "application/json", headers={"X-Yimen-Signature": "sm3=0"}
        )

    assert [forged().status_code for _ in range(2)] == [403, 403]
    assert_api_429(forged())
    frozen.shift(timedelta(seconds=60))
    assert forged().status_code == 403


def _page_paths(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if not str(p.pattern).startswith("api/"):
                yield from _page_paths(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and getattr(p.callback, "required_perm", None) == "public":
            yield "/" + re.sub(r"<(?:\w+:)?\w+>", "x", prefix + str(p.pattern))


def _covered(path: str) -> bool:
    return any(path.startswith(rule.prefixes) for rule in RULES)


def test_every_door_without_login_is_rate_limited(client, db):
    pages = [path for path in _page_paths(get_resolver().url_patterns) if path not in NOT_LIMITED]
    assert "/public/cases/x/" in pages
    schema = client.get("/api/v1/openapi.json").json()
    open_api = [
        f"/api/v1{path}" if not path.startswith("/api/") else path
        for path, operations in schema["paths"].items()
        for operation in operations.values()
        if not operation.get("security")
    ]
    assert "/api/v1/public/cases/{public_token}" in open_api
    assert [path for path in pages + open_api if not _covered(path)] == []
