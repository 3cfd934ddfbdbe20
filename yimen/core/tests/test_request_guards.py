"""Issue 12 items 9 and 12: bodies too large answer 413 in Chinese (the API's error shape, a page
elsewhere); TRACE and other unsupported methods 405; nothing Yimen answers is stored by a cache;
the default hosts and production's cookies and HSTS."""

import runpy
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from yimen.cases.tests.test_api import bearer

SHAPE = {"detail", "code", "errors"}
SETTINGS = Path(__file__).resolve().parents[2] / "settings.py"


@pytest.fixture
def clerk(persona):
    return persona("clerk")


def test_an_api_body_past_the_upload_limit_is_413_in_the_error_shape(client, clerk, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    headers = {**bearer(clerk), "Idempotency-Key": "big-1"}
    body = {"kind": "dispute", "title": "大", "description": "很长的描述" * 1_000}
    answer = client.post("/api/v1/cases", body, content_type="application/json", headers=headers)
    assert answer.status_code == 413
    assert set(answer.json()) == SHAPE and answer.json()["code"] == "too_large"
    assert "过大" in answer.json()["detail"]


def test_too_many_form_fields_on_a_page_is_a_chinese_413_page(client, clerk, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client.force_login(clerk.user)
    answer = client.post(reverse("cases:new"), {f"field{n}": "x" for n in range(50)})
    assert answer.status_code == 413
    assert "提交的内容过大" in answer.content.decode()
    assert answer["Content-Type"].startswith("text/html")


def test_a_page_body_past_the_limit_is_413_too(client, clerk, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    client.force_login(clerk.user)
    answer = client.post(reverse("cases:new"), {"title": "长" * 5_000})
    assert answer.status_code == 413 and "提交的内容过大" in answer.content.decode()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("TRACE", "/accounts/login/"),
        ("TRACE", "/cases/"),
        ("PUT", "/accounts/login/"),
        ("DELETE", "/cases/"),
        ("TRACE", "/api/v1/openapi.json"),
        ("POST", "/api/v1/openapi.json"),
        ("TRACE", "/api/v1/docs"),
        ("TRACE", "/api/v1/units"),
        ("CONNECT", "/api/v1/units"),
    ],
)
def test_unsupported_methods_are_405(clerk, method, path):
    client = Client()
    client.force_login(clerk.user)
    answer = client.generic(method, path, headers=bearer(clerk))
    assert answer.status_code == 405
    assert method not in answer["Allow"] and "GET" in answer["Allow"]
    if path.startswith("/api/"):
        assert set(answer.json()) == SHAPE and answer.json()["code"] == "method_not_allowed"
    else:
        assert "不支持该请求方法" in answer.content.decode()


def test_the_api_and_signed_in_pages_are_no_store(client, clerk):
    for answer in (
        client.get("/api/v1/units", headers=bearer(clerk)),
        client.get("/api/v1/nosuchthing", headers=bearer(clerk)),
        client.get(reverse("login")),
    ):
        assert "no-store" in answer["Cache-Control"], answer.request["PATH_INFO"]
    client.force_login(clerk.user)
    for path in ("/", "/map/", "/cases/"):
        assert "no-store" in client.get(path)["Cache-Control"], path


def test_a_view_that_sets_its_own_cache_control_keeps_it(client, persona):
    client.force_login(persona("gridworker").user)
    worker = client.get(reverse("fieldwork:service_worker"))
    assert worker.status_code == 200 and worker["Cache-Control"] == "no-cache"


def settings_under(monkeypatch, tmp_path, **env) -> dict:
    """yimen/settings.py evaluated afresh under the given environment."""
    for name in ("YIMEN_ALLOWED_HOSTS", "YIMEN_SECURE_COOKIES", "YIMEN_HSTS_SECONDS", "YIMEN_PRODUCTION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("YIMEN_VAR_DIR", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_the_default_hosts_leave_out_the_test_client_name(monkeypatch, tmp_path):
    hosts = settings_under(monkeypatch, tmp_path)["ALLOWED_HOSTS"]
    assert "testserver" not in hosts and "127.0.0.1" in hosts


def test_production_forces_secure_cookies_and_hsts(monkeypatch, tmp_path):
    secrets = {name: "x" * 50 for name in ("YIMEN_SECRET_KEY", "YIMEN_AUDIT_KEY", "YIMEN_FIELD_KEY")}
    found = settings_under(monkeypatch, tmp_path, YIMEN_PRODUCTION="true", YIMEN_SECURE_COOKIES="false", **secrets)
    assert found["SESSION_COOKIE_SECURE"] and found["CSRF_COOKIE_SECURE"]
    assert found["SECURE_HSTS_SECONDS"] >= 180 * 24 * 3600
    assert not found["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and not found["SECURE_HSTS_PRELOAD"]
    local = settings_under(monkeypatch, tmp_path)
    assert not local["SESSION_COOKIE_SECURE"] and local["SECURE_HSTS_SECONDS"] == 0


def test_an_unknown_host_is_a_chinese_400_and_the_api_says_so_in_its_shape(client, db):
    page = client.get("/accounts/login/", headers={"host": "evil.example"})
    assert page.status_code == 400 and "请求格式有误" in page.content.decode()
    api = client.get("/api/v1/units", headers={"host": "evil.example"})
    assert api.status_code == 400 and set(api.json()) == SHAPE
