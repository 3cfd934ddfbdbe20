"""API tokens end when their holder logs out, the password changes, the account is disabled or
locked, or the sysadmin revokes them (issue 12 item 7); an ended token answers 401."""

from django.urls import reverse

from conftest import PASSWORD
from tests.factories import totp_now
from yimen.core.models import AuditEntry

TOKEN_URL = "/api/v1/auth/token"


def issue(client, username: str) -> dict:
    """A fresh token's Authorization header (with the code of the user's authenticator: police
    handlers may reveal, so they give the second factor)."""
    body = {"username": username, "password": PASSWORD, "otp": totp_now(username)}
    response = client.post(TOKEN_URL, body, "application/json")
    assert response.status_code == 200
    return {"Authorization": f"Bearer {response.json()['token']}"}


def units(client, headers: dict):
    return client.get("/api/v1/units", headers=headers)


def assert_refused(response) -> None:
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "code", "errors"}
    assert response.json()["code"] == "not_authenticated"


def test_logout_ends_the_presented_token_only(client, persona):
    persona("police")
    first, second = issue(client, "police"), issue(client, "police")
    response = client.delete(TOKEN_URL, headers=first)
    assert response.status_code == 204 and response.content == b""
    assert_refused(units(client, first))
    assert units(client, second).status_code == 200
    entry = AuditEntry.objects.get(action="token_revoke")
    assert entry.actor_username == "police" and entry.target == "user:police"


def test_logout_with_an_ended_or_missing_token_is_401(client, persona):
    persona("police")
    headers = issue(client, "police")
    assert client.delete(TOKEN_URL, headers=headers).status_code == 204
    assert_refused(client.delete(TOKEN_URL, headers=headers))
    assert_refused(client.delete(TOKEN_URL))
    assert AuditEntry.objects.filter(action="token_revoke").count() == 1


def test_a_new_password_ends_every_token_of_the_account(client, persona):
    persona("police")
    admin = persona("sysadmin")
    headers = [issue(client, "police"), issue(client, "police")]
    client.force_login(admin.user)
    changed = client.post(reverse("org:user_password", args=["police"]), {"password": "Neu@2026pass"})
    assert changed.status_code == 302
    for each in headers:
        assert_refused(units(client, each))
    entry = AuditEntry.objects.get(action="tokens_revoke")
    assert (entry.actor_username, entry.target) == ("sysadmin", "user:police")
    assert entry.detail == {"reason": "password", "count": 2} and entry.purpose == "密码已更改"


def test_disabling_an_account_ends_its_tokens_for_good(client, persona):
    persona("police")
    admin = persona("sysadmin")
    headers = issue(client, "police")
    client.force_login(admin.user)
    client.post(reverse("org:user_active", args=["police"]), {"active": "false"})
    client.post(reverse("org:user_active", args=["police"]), {"active": "true"})
    # Re-enabling the account does not bring the old token back.
    assert_refused(units(client, headers))
    assert AuditEntry.objects.get(action="tokens_revoke").detail == {"reason": "disabled", "count": 1}


def test_a_lockout_ends_the_accounts_tokens(client, persona):
    persona("police")
    headers = issue(client, "police")
    for _ in range(5):
        client.post(TOKEN_URL, {"username": "police", "password": "wrong-Pass1"}, "application/json")
    assert client.post(TOKEN_URL, {"username": "police", "password": PASSWORD}, "application/json").status_code == 423
    assert_refused(units(client, headers))
    # Each attempt on the locked account re-checks, but only the one that found a token is audited.
    entries = AuditEntry.objects.filter(action="tokens_revoke")
    assert [e.detail for e in entries] == [{"reason": "locked", "count": 1}]
    assert entries[0].actor_username == "police"


def test_sysadmin_revokes_an_accounts_tokens_through_the_api(client, persona):
    persona("police")
    persona("sysadmin")
    persona("clerk")
    police = [issue(client, "police"), issue(client, "police")]
    admin = issue(client, "sysadmin")
    response = client.delete("/api/v1/users/police/tokens", headers=admin)
    assert response.status_code == 200 and response.json() == {"revoked": 2}
    for each in police:
        assert_refused(units(client, each))
    assert units(client, admin).status_code == 200
    again = client.delete("/api/v1/users/police/tokens", headers=admin)
    assert again.json() == {"revoked": 0}
    details = [e.detail for e in AuditEntry.objects.filter(action="tokens_revoke", actor_username="sysadmin")]
    assert details == [{"reason": "admin", "count": 2}, {"reason": "admin", "count": 0}]
    clerk = issue(client, "clerk")
    refused = client.delete("/api/v1/users/sysadmin/tokens", headers=clerk)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert units(client, admin).status_code == 200
    missing = client.delete("/api/v1/users/nobody/tokens", headers=admin)
    assert missing.status_code == 404 and set(missing.json()) == {"detail", "code", "errors"}


def test_sysadmin_revokes_an_accounts_tokens_on_its_page(client, persona):
    persona("police")
    admin = persona("sysadmin")
    headers = issue(client, "police")
    client.force_login(admin.user)
    page = client.get(reverse("org:user_detail", args=["police"]))
    assert "有效接口令牌：<strong>1</strong> 个" in page.content.decode()
    response = client.post(reverse("org:user_tokens_revoke", args=["police"]), follow=True)
    assert "已吊销 1 个接口令牌。" in response.content.decode()
    assert "有效接口令牌：<strong>0</strong> 个" in response.content.decode()
    assert_refused(units(client, headers))
    assert AuditEntry.objects.filter(action="tokens_revoke", actor_username="sysadmin").count() == 1
