"""The security policy (安全策略): the security administrator sets it, a stale form is refused,
ranges are enforced, every change is audited, and it takes effect at once."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from tests.factories import totp_now
from yimen.core import services
from yimen.core.errors import Conflict, Invalid, NotAllowed
from yimen.core.models import AuditEntry, SecurityPolicy
from yimen.core.security import current_policy

NUMBERS = {"failure_limit": 5, "lockout_minutes": 15, "session_idle_minutes": 30, "token_hours": 8}
VALUES = {**NUMBERS, "totp_required": "on"}  # the page's checkbox, ticked as it starts


@pytest.fixture
def secadmin(persona):
    return persona("secadmin")


@pytest.fixture
def secadmin_client(client, secadmin):
    client.force_login(secadmin.user)
    return client


def post_policy(client, **changes):
    data = {**VALUES, "version": current_policy().version, **changes}
    return client.post(reverse("core:security_policy"), data)


def test_page_shows_the_policy_with_its_version(secadmin_client):
    html = secadmin_client.get(reverse("core:security_policy")).content.decode()
    assert "连续失败锁定次数" in html and "允许范围 3–10" in html
    assert 'type="hidden" name="version" value="1"' in html
    assert 'name="failure_limit" value="5"' in html and 'min="3"' in html and 'max="10"' in html


def test_change_is_saved_versioned_and_audited(secadmin_client, secadmin):
    response = post_policy(secadmin_client, failure_limit=3, token_hours=24)
    assert response.status_code == 302
    policy = SecurityPolicy.objects.get()
    assert (policy.failure_limit, policy.token_hours, policy.version) == (3, 24, 2)
    assert policy.updated_by == secadmin.user
    entry = AuditEntry.objects.get(action="security_policy_update")
    assert entry.actor_username == "secadmin" and entry.unit_name == secadmin.unit.name
    assert entry.detail == {"changed": {"failure_limit": [5, 3], "token_hours": [8, 24]}, "version": 2}
    page = secadmin_client.get(response.url)
    assert "安全策略已保存，立即生效" in page.content.decode() and "第 2 版" in page.content.decode()


def test_stale_version_is_refused_in_chinese(secadmin_client, secadmin):
    services.security_policy_update(actor=secadmin, version=1, **{**NUMBERS, "lockout_minutes": 30})
    response = post_policy(secadmin_client, version=1, failure_limit=4)
    assert response.status_code == 409
    assert "安全策略已被他人修改（当前为第 2 版）" in response.content.decode()
    assert SecurityPolicy.objects.get().failure_limit == 5


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("failure_limit", 2, "须在 3–10 之间"),
        ("failure_limit", 11, "须在 3–10 之间"),
        ("lockout_minutes", 4, "须在 5–1440 之间"),
        ("lockout_minutes", 1441, "须在 5–1440 之间"),
        ("session_idle_minutes", 121, "须在 5–120 之间"),
        ("token_hours", 0, "须在 1–72 之间"),
        ("token_hours", 73, "须在 1–72 之间"),
        ("token_hours", "八", "请输入整数"),
        ("failure_limit", "", "此项为必填项"),
    ],
)
def test_out_of_range_values_get_field_messages(secadmin_client, field, value, message):
    response = post_policy(secadmin_client, **{field: value})
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    assert "is-invalid" in response.content.decode()
    assert SecurityPolicy.objects.get().version == 1
    assert not AuditEntry.objects.filter(action="security_policy_update").exists()


def test_boundaries_are_accepted(secadmin, db):
    low = {"failure_limit": 3, "lockout_minutes": 5, "session_idle_minutes": 5, "token_hours": 1}
    high = {"failure_limit": 10, "lockout_minutes": 1440, "session_idle_minutes": 120, "token_hours": 72}
    assert services.security_policy_update(actor=secadmin, version=1, **low).version == 2
    assert services.security_policy_update(actor=secadmin, version=2, **high).version == 3


def test_several_errors_are_reported_together(secadmin, db):
    with pytest.raises(Invalid) as refused:
        services.security_policy_update(actor=secadmin, version=1, failure_limit=1, token_hours=99)
    assert set(refused.value.errors) == {"failure_limit", "token_hours"}


def test_saving_without_changes_writes_nothing(secadmin_client):
    assert post_policy(secadmin_client).status_code == 302
    assert SecurityPolicy.objects.get().version == 1
    assert not AuditEntry.objects.filter(action="security_policy_update").exists()


def test_only_the_security_administrator_may_change_it(persona):
    for name in ("sysadmin", "auditor", "dispatcher"):
        with pytest.raises(NotAllowed):
            services.security_policy_update(actor=persona(name), version=1, failure_limit=3)
    assert current_policy().failure_limit == 5


def test_two_editors_with_the_same_form_the_second_is_refused(secadmin, persona):
    services.security_policy_update(actor=secadmin, version=1, failure_limit=4)
    with pytest.raises(Conflict) as refused:
        services.security_policy_update(actor=secadmin, version=1, failure_limit=6)
    assert refused.value.status == 409 and refused.value.code == "stale_version"
    assert SecurityPolicy.objects.get().failure_limit == 4


def login(client, password):
    return client.post(reverse("login"), {"username": "clerk", "password": password})


def test_lower_failure_limit_locks_after_three_failures_at_once(client, secadmin, persona):
    persona("clerk")
    services.security_policy_update(actor=secadmin, version=1, failure_limit=3, lockout_minutes=60)
    assert login(client, "wrong-Pass1").status_code == 200
    assert login(client, "wrong-Pass1").status_code == 200
    locked = login(client, "wrong-Pass1")
    assert locked.status_code == 423 and "账号已锁定 60 分钟" in locked.content.decode()
    assert login(client, PASSWORD).status_code == 423
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=61)):
        assert login(client, PASSWORD).status_code == 302


def test_shorter_idle_timeout_applies_to_the_next_request(client, secadmin, persona):
    persona("clerk")
    services.security_policy_update(actor=secadmin, version=1, session_idle_minutes=5)
    assert login(client, PASSWORD).status_code == 302
    assert client.get("/").status_code == 200  # the landing page after login
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=4)):
        assert client.get("/").status_code == 200  # activity renews the session
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=10)):
        response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_token_lifetime_applies_to_the_next_token(client, secadmin, persona):
    persona("police")
    services.security_policy_update(actor=secadmin, version=1, token_hours=1)
    body = {"username": "police", "password": PASSWORD, "otp": totp_now("police")}
    token = client.post("/api/v1/auth/token", body, "application/json").json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=61)):
        assert client.get("/api/v1/units", headers=headers).status_code == 401


def bearer(client, name: str) -> dict:
    token = client.post(
        "/api/v1/auth/token", {"username": name, "password": PASSWORD, "otp": totp_now(name)}, "application/json"
    )
    return {"Authorization": f"Bearer {token.json()['token']}"}


def test_api_reads_and_changes_the_policy(client, secadmin):
    headers = bearer(client, "secadmin")
    current = client.get("/api/v1/security/policy", headers=headers)
    assert current.status_code == 200
    assert current.json() == {
        **NUMBERS,
        "totp_required": True,
        "version": 1,
        "updated_at": current.json()["updated_at"],
    }
    assert current.json()["updated_at"].endswith("+08:00")
    changed = client.put(
        "/api/v1/security/policy", {**NUMBERS, "version": 1, "failure_limit": 3}, "application/json", headers=headers
    )
    assert changed.status_code == 200 and changed.json()["failure_limit"] == 3 and changed.json()["version"] == 2


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"version": 1, "failure_limit": 3}, 409, "stale_version"),
        ({"version": 2, "lockout_minutes": 0}, 422, "invalid"),
    ],
)
def test_api_refusals_use_the_error_shape(client, secadmin, changes, status, code):
    services.security_policy_update(actor=secadmin, version=1, failure_limit=4)
    response = client.put(
        "/api/v1/security/policy", {**NUMBERS, **changes}, "application/json", headers=bearer(client, "secadmin")
    )
    assert response.status_code == status
    assert response.json()["code"] == code and response.json()["detail"]
    if status == 422:
        assert response.json()["errors"] == {"lockout_minutes": ["须在 5–1440 之间。"]}
