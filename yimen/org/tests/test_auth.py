"""Login, lockout, idle timeout and API tokens (等保 level 3; API.md "Auth")."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from tests.factories import totp_now
from yimen.core.models import AuditEntry


def login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_chinese_and_login_lands_on_home(client, persona):
    persona("clerk")
    page = client.get(reverse("login"))
    assert "用户名" in page.content.decode() and "登录" in page.content.decode()
    response = login(client, "clerk")
    assert response.status_code == 302 and response.url == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert AuditEntry.objects.filter(action="login", actor_username="clerk").exists()


def test_wrong_password_shows_chinese_error_and_is_audited(client, persona):
    persona("clerk")
    response = login(client, "clerk", "wrong-Pass1")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert AuditEntry.objects.filter(action="login_failed", actor_username="clerk", result="failure").count() == 1


def test_five_failures_lock_the_account_even_for_the_right_password(client, persona):
    persona("clerk")
    for _ in range(4):
        assert login(client, "clerk", "wrong-Pass1").status_code == 200
    locked = login(client, "clerk", "wrong-Pass1")
    assert locked.status_code == 423
    assert "账号已锁定 15 分钟" in locked.content.decode()
    refused = login(client, "clerk")
    assert refused.status_code == 423
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert AuditEntry.objects.filter(action="login_locked", actor_username="clerk").count() >= 2


def test_lock_lifts_after_fifteen_minutes(client, persona):
    persona("clerk")
    for _ in range(5):
        login(client, "clerk", "wrong-Pass1")
    assert login(client, "clerk").status_code == 423
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=16)):
        assert login(client, "clerk").status_code == 302


def test_success_resets_the_failure_count(client, persona):
    persona("clerk")
    for _ in range(4):
        login(client, "clerk", "wrong-Pass1")
    assert login(client, "clerk").status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        login(client, "clerk", "wrong-Pass1")
    assert login(client, "clerk").status_code == 302


def test_idle_session_ends_after_thirty_minutes(client, persona):
    persona("clerk")
    login(client, "clerk")
    assert client.get("/").status_code == 200
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=20)):
        assert client.get("/").status_code == 200  # activity renews the session
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=51)):
        response = client.get("/")
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_logout_ends_the_session_and_is_audited(client, persona):
    persona("clerk")
    login(client, "clerk")
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="logout", actor_username="clerk").exists()


@pytest.mark.parametrize("path", ["/", "/units/", "/regions/", "/map/"])
def test_pages_need_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_api_token_issue_and_use(client, persona):
    persona("police")
    body = {"username": "police", "password": PASSWORD, "otp": totp_now("police")}
    response = client.post("/api/v1/auth/token", body, "application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["username"] == "police"
    assert body["user"]["memberships"][0]["role"] == "handler"
    assert body["expires_at"]
    units = client.get("/api/v1/units", headers={"Authorization": f"Bearer {body['token']}"})
    assert units.status_code == 200


def test_api_token_bad_credentials_401_then_locked_423(client, persona):
    persona("police")
    for _ in range(4):
        bad = client.post("/api/v1/auth/token", {"username": "police", "password": "x"}, "application/json")
        assert bad.status_code == 401
        assert bad.json()["code"] == "bad_credentials"
    locked = client.post("/api/v1/auth/token", {"username": "police", "password": "x"}, "application/json")
    assert locked.status_code == 423
    right = client.post("/api/v1/auth/token", {"username": "police", "password": PASSWORD}, "application/json")
    assert right.status_code == 423
    assert right.json()["code"] == "locked" and "锁定" in right.json()["detail"]


def test_api_token_expires(client, persona):
    persona("police")
    body = {"username": "police", "password": PASSWORD, "otp": totp_now("police")}
    token = client.post("/api/v1/auth/token", body, "application/json").json()
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=9)):
        response = client.get("/api/v1/units", headers={"Authorization": f"Bearer {token['token']}"})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_api_without_token_is_401(client, db):
    response = client.get("/api/v1/units")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "code", "errors"}


def test_api_token_missing_fields_is_422_with_field_errors(client, db):
    response = client.post("/api/v1/auth/token", {"username": "police"}, "application/json")
    assert response.status_code == 422
    assert response.json()["errors"]["password"] == ["此项为必填项。"]
