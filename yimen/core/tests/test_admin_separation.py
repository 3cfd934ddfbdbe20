"""三员分立 (等保2.0 level 3): the system, security and audit administrators each run their own
part and are refused the other two's pages and APIs."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PASSWORD
from tests.factories import totp_now
from yimen.org.roles import PERMISSIONS, Role

ADMINS = ("sysadmin", "secadmin", "auditor")
# persona -> pages of its own (url name, kwargs)
OWN_PAGES = {
    "sysadmin": [("org:user_list", {}), ("org:unit_list", {}), ("core:calendar", {})],
    "secadmin": [("core:security_policy", {})],
    "auditor": [("core:audit", {})],
}
POLICY = {"version": 1, "failure_limit": 5, "lockout_minutes": 15, "session_idle_minutes": 30, "token_hours": 8}
# persona -> API calls of its own (method, path, JSON body)
OWN_APIS = {
    "sysadmin": [("get", "/api/v1/units", {})],
    "secadmin": [("get", "/api/v1/security/policy", {}), ("put", "/api/v1/security/policy", POLICY)],
    "auditor": [("get", "/api/v1/audit", {})],
}


def test_the_three_roles_share_no_permission():
    sysadmin, secadmin, auditor = (PERMISSIONS[role] for role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR))
    assert not sysadmin & secadmin and not sysadmin & auditor and not secadmin & auditor
    assert "audit.view" in auditor and "security.manage" in secadmin and "user.manage" in sysadmin


@pytest.mark.parametrize("name", ADMINS)
def test_each_admin_opens_its_own_pages(client, persona, name):
    client.force_login(persona(name).user)
    for url_name, kwargs in OWN_PAGES[name]:
        assert client.get(reverse(url_name, kwargs=kwargs)).status_code == 200, url_name


@pytest.mark.parametrize("name", ADMINS)
@pytest.mark.parametrize("owner", ADMINS)
def test_no_admin_opens_another_admins_pages(client, persona, name, owner):
    if name == owner:
        return
    client.force_login(persona(name).user)
    for url_name, kwargs in OWN_PAGES[owner]:
        response = client.get(reverse(url_name, kwargs=kwargs))
        assert response.status_code == 403, (name, url_name)
        assert "无权访问" in response.content.decode()
    if owner == "auditor":
        assert client.post(reverse("core:audit_verify")).status_code == 403
    if owner == "secadmin":
        assert client.post(reverse("core:security_policy"), {"version": 1, "failure_limit": 3}).status_code == 403


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += _patterns(entry, prefix + str(entry.pattern))
        else:
            found.append((prefix + str(entry.pattern), entry))
    return found


def _sample_path(route: str) -> str:
    # Any value will do: the role check runs before the view looks anything up.
    for converter, value in (("<str:code>", "X1"), ("<str:username>", "nobody"), ("<int:seat_id>", "1")):
        route = route.replace(converter, value)
    return "/" + route


def test_every_admin_only_page_refuses_the_other_admins(client, persona):
    """Walks the URL resolver, so a page added later is covered too."""
    members = {name: persona(name) for name in ADMINS}
    checked = 0
    for route, pattern in _patterns(get_resolver()):
        perm = getattr(pattern.callback, "required_perm", None)
        holders = [name for name, member in members.items() if perm and member.has_perm(perm)]
        if len(holders) != 1 or "<" in _sample_path(route):
            continue
        for name in set(ADMINS) - set(holders):
            client.force_login(members[name].user)
            statuses = {client.get(_sample_path(route)).status_code, client.post(_sample_path(route)).status_code}
            assert 403 in statuses and statuses <= {403, 405}, (name, route, statuses)
            checked += 1
    assert checked >= 2 * 8  # users, units, calendar, security, audit and their sub-pages


def _bearer(client, name: str) -> dict:
    response = client.post(
        "/api/v1/auth/token", {"username": name, "password": PASSWORD, "otp": totp_now(name)}, "application/json"
    )
    return {"Authorization": f"Bearer {response.json()['token']}"}


@pytest.mark.parametrize("name", ADMINS)
def test_no_admin_calls_another_admins_api(client, persona, name):
    persona(name)
    headers = _bearer(client, name)
    for owner, calls in OWN_APIS.items():
        for method, path, body in calls:
            if method == "get":
                response = client.get(path, headers=headers)
            else:
                response = client.put(path, body, "application/json", headers=headers)
            if owner == name:
                assert response.status_code == 200, (name, method, path)
            else:
                assert response.status_code == 403, (name, method, path)
                assert set(response.json()) == {"detail", "code", "errors"}
                assert response.json()["code"] == "forbidden"


def test_sysadmin_cannot_read_the_audit_log(client, persona):
    """The one who manages accounts must not read the trail of what those accounts did."""
    client.force_login(persona("sysadmin").user)
    assert client.get(reverse("core:audit"), {"actor": "sysadmin"}).status_code == 403
    assert client.get("/api/v1/audit", headers=_bearer(client, "sysadmin")).status_code == 403
