"""The permission matrix: every role against every page and every API read (DESIGN §8).

Pages come from walking the URL resolver, so a new page that declares no permission fails here;
API paths come from the OpenAPI schema, so a new endpoint must be added to API_READS."""

import importlib
import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import PASSWORD, PERSONAS
from tests.factories import MembershipFactory, UserFactory, totp_now
from yimen.people.tests.samples import make_defence_group

ROLES = sorted(PERSONAS)
# Each later app declares its own rows in yimen/<app>/tests/matrix.py: API_READS (the same shape
# as below) and samples(seats) -> {url parameter: value} for its page routes.
APP_MATRICES = [
    importlib.import_module(f"{app}.tests.matrix")
    for app in settings.INSTALLED_APPS
    if app.startswith("yimen.") and importlib.util.find_spec(f"{app}.tests.matrix")
]


@pytest.fixture(autouse=True)
def unlimited(settings):
    """The sweep opens every door as every role from one address within seconds, which is what
    the rate limiter exists to stop (its own tests: yimen/core/tests/test_rate_limits.py)."""
    settings.YIMEN_RATE_PUBLIC = settings.YIMEN_RATE_LOGIN = (10**6, 60)


def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("api/"):
                continue
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def sample_url(route: str, pattern: URLPattern, seats: dict) -> str:
    if route.startswith("cases/"):
        code = seats["case"].code
    else:
        code = seats["clerk"].unit.code if "unit" in (pattern.name or "") else "450324106"
    samples = {
        "code": code,
        "public_token": seats["case"].public_token,
        "token": seats["case"].public_token,
        "username": seats["target"].username,
        "seat_id": str(MembershipFactory(user=seats["target"], unit=seats["clerk"].unit).id),
        "year": "2026",
        "person_id": str(seats["group"].lead.head_id),
        "household_id": str(seats["group"].lead_id),
        "group_id": str(seats["group"].pk),
        "attachment_id": "1",
        "index": "0",
        "whistle_id": "1",
        "kind": "receipt",
        "order_id": "1",
    }
    for matrix in APP_MATRICES:
        samples.update(matrix.samples(seats))
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: samples[m.group(1)], route)


def pages(seats):
    for route, pattern in walk(get_resolver().url_patterns):
        yield sample_url(route, pattern, seats), pattern.callback.required_perm


@pytest.fixture
def seats(persona):
    found = {role: persona(role) for role in ROLES}
    # The account the sysadmin's actions land on, so the sweep never disables a persona.
    found["target"] = UserFactory(username="matrix_target")
    # A resident, their household and their 十户联防 group in 才湾村 (gridworker2 sees none of them).
    found["group"] = make_defence_group(found["clerk"])
    # A case the centre registered and dispatched to the police station (for case URLs).
    found["case"] = sample_case(found)
    return found


def sample_case(seats: dict):
    from yimen.cases import services

    case = services.case_register(
        actor=seats["clerk"],
        kind="dispute",
        title="样例纠纷",
        channel="visit",
        region="45032410620001",
        parties=[{"name": "样例当事人", "role": "applicant"}],
    ).case
    case = services.case_accept(case=case, actor=seats["clerk"], version=case.version)
    return services.case_dispatch(
        case=case, actor=seats["dispatcher"], version=case.version, lead_unit="450324106-police"
    )


def test_every_page_declares_who_may_open_it():
    undeclared = [route for route, p in walk(get_resolver().url_patterns) if not hasattr(p.callback, "required_perm")]
    assert undeclared == []


def carries_token(response, seats) -> bool:
    """Whether a staff answer shows the sample case's public token (issue 12 item 2: only the
    receipt the first receiver prints carries it; the citizen's own pages are public)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return seats["case"].public_token.encode() in body


def test_pages_by_role(client, seats):
    failures = []
    for url, perm in pages(seats):
        for role in ROLES:
            client.force_login(seats[role].user)
            response = client.get(url)
            status = response.status_code
            if perm != "public" and "/receipt/" not in url and carries_token(response, seats):
                failures.append(f"{role} {url} shows the public token")
            allowed = perm in ("public", "member") or perm in seats[role].permissions
            if status == 405:  # a POST-only action: a role without the permission is refused on POST too
                status = client.post(url).status_code
                ok = status == 403 if not allowed else status != 403
            else:
                ok = status in (200, 302, 404) if allowed else status == 403
            if not ok:
                failures.append(f"{role} {url} -> {status} (needs {perm})")
        client.logout()
    assert failures == []


def test_pages_send_anonymous_users_to_login(client, seats):
    for url, perm in pages(seats):
        if perm == "public":
            continue
        response = client.get(url)
        assert response.status_code in (302, 405), url
        if response.status_code == 302:
            assert response.url.startswith("/accounts/login/"), url


# Every GET in the API with the permission it needs and a sample path.
API_READS = {
    "/api/v1/units": ("unit.view", "/api/v1/units"),
    "/api/v1/regions/{code}": ("region.view", "/api/v1/regions/450324106"),
    "/api/v1/regions/{code}/summary": ("region.view", "/api/v1/regions/450324106/summary"),
    "/api/v1/locate": ("region.view", "/api/v1/locate?lat=25.855&lng=110.985"),
    "/api/v1/audit": ("audit.view", "/api/v1/audit"),
    "/api/v1/security/policy": ("security.manage", "/api/v1/security/policy"),
    "/api/v1/cases": ("case.view", "/api/v1/cases"),
    "/api/v1/catalogue": ("case.view", "/api/v1/catalogue"),
    "/api/v1/cases/{code}": ("case.view", "/api/v1/cases/{case}"),
    "/api/v1/cases/{code}/timeline": ("case.view", "/api/v1/cases/{case}/timeline"),
    "/api/v1/cases/{code}/documents": ("case.view", "/api/v1/cases/{case}/documents"),
    "/api/v1/cases/{code}/documents/{kind}": ("case.view", "/api/v1/cases/{case}/documents/receipt"),
    "/api/v1/cases/{code}/whistles": ("case.view", "/api/v1/cases/{case}/whistles"),
    "/api/v1/cases/{code}/supervision-orders": ("case.view", "/api/v1/cases/{case}/supervision-orders"),
    "/api/v1/cases/{code}/upward-report": ("case.view", "/api/v1/cases/{case}/upward-report"),
    "/api/v1/cases/{code}/dispatch-suggestion": ("case.dispatch", "/api/v1/cases/{case}/dispatch-suggestion"),
    "/api/v1/public/cases/{public_token}": ("public", "/api/v1/public/cases/{token}"),
    "/api/v1/persons": ("person.view", "/api/v1/persons?q=联防"),
    "/api/v1/persons/{person_id}": ("person.view", "/api/v1/persons/1"),
    # both: a person's cases (the legal adviser sees cases but no residents)
    "/api/v1/persons/{person_id}/cases": ("case.view+person.view", "/api/v1/persons/1/cases"),
}


for _matrix in APP_MATRICES:
    API_READS.update(_matrix.API_READS)


def test_every_api_read_is_in_the_matrix(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    reads = {path for path, ops in schema["paths"].items() if "get" in ops}
    assert reads == set(API_READS)


def test_api_reads_by_role(client, seats):
    failures = []
    for role in ROLES:
        token = client.post(
            "/api/v1/auth/token", {"username": role, "password": PASSWORD, "otp": totp_now(role)}, "application/json"
        )
        headers = {"Authorization": f"Bearer {token.json()['token']}"}
        for perm, url in API_READS.values():
            url = url.format(case=seats["case"].code, token=seats["case"].public_token)
            response = client.get(url, headers=headers)
            if perm != "public" and not url.endswith("/receipt") and carries_token(response, seats):
                failures.append(f"{role} {url} shows the public token")
            allowed = perm == "public" or set(perm.split("+")) <= seats[role].permissions
            expected = (200, 404) if allowed else (403,)
            if response.status_code not in expected:
                failures.append(f"{role} {url} -> {response.status_code} (needs {perm})")
            if response.status_code >= 400:
                assert set(response.json()) == {"detail", "code", "errors"}
        anonymous = client.get(API_READS["/api/v1/units"][1])
        assert anonymous.status_code == 401
    assert failures == []
