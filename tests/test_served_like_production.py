"""Security headers, cookies and CSRF on every response (issue: served like production)."""

import re

from django.test import Client
from django.urls import reverse

from conftest import PASSWORD


def test_security_headers_on_pages_and_api(client, persona):
    persona("clerk")
    for response in (client.get(reverse("login")), client.get("/api/v1/units"), client.get("/api/v1/openapi.json")):
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert not re.search(r"https?://", csp), "the policy names no outside host"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_samesite(client, persona):
    persona("clerk")
    response = client.post(reverse("login"), {"username": "clerk", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_forms_refuse_a_post_without_csrf_token(persona):
    persona("clerk")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 403
    page = strict.get(reverse("login"))
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()


def test_pages_load_no_asset_from_another_host(client, persona):
    persona("clerk")
    client.post(reverse("login"), {"username": "clerk", "password": PASSWORD})
    for path in ("/", "/map/", "/units/", reverse("login")):
        html = client.get(path, follow=True).content.decode()
        assert not re.search(r"""(src|href)=["']https?://""", html), path


def test_api_docs_are_served_locally(client, db):
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger" in html.lower()
    assert not re.search(r"""(src|href)=["']https?://""", html)
