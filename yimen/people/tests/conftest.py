"""Registry fixtures: residents of the test town made through the services by the clerk."""

import pytest
from django.core.cache import cache

from conftest import PASSWORD
from tests.factories import totp_now
from yimen.core.models import User
from yimen.people.tests.samples import make_resident


@pytest.fixture(autouse=True)
def fresh_coverage_counts():
    """A town's coverage is cached (selectors.COVERAGE_SECONDS); a rolled-back test's rows may
    reappear with the same ids in the next, so no count outlives its test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clerk(persona):
    return persona("clerk")


@pytest.fixture
def resident(clerk):
    """resident("张三", micro=..., seq=..., tags=[...]) -> a Person heading their own household."""

    def make(name: str = "张三", **fields):
        return make_resident(clerk, name, **fields)

    return make


@pytest.fixture
def signed_in(client, persona):
    """signed_in("police") -> the test client, logged in as that persona."""

    def sign(role: str):
        client.force_login(persona(role).user)
        return client

    return sign


class Api:
    """api.get("police", "/persons?q=张") -> the response, with that persona's bearer token."""

    def __init__(self, client, persona):
        self.client, self.persona, self.tokens = client, persona, {}

    def headers(self, name: str) -> dict[str, str]:
        if name not in self.tokens:
            if not User.objects.filter(username=name).exists():
                self.persona(name)  # (again would reset the password and end the persona's page session)
            body = {"username": name, "password": PASSWORD, "otp": totp_now(name)}
            self.tokens[name] = self.client.post("/api/v1/auth/token", body, "application/json").json()["token"]
        return {"Authorization": f"Bearer {self.tokens[name]}"}

    def get(self, name: str, path: str):
        return self.client.get(f"/api/v1{path}", headers=self.headers(name))

    def post(self, name: str, path: str, body: dict, key: str = ""):
        return self.client.post(
            f"/api/v1{path}",
            body,
            "application/json",
            headers={**self.headers(name), **({"Idempotency-Key": key} if key else {})},
        )

    def patch(self, name: str, path: str, body: dict):
        return self.client.patch(f"/api/v1{path}", body, "application/json", headers=self.headers(name))

    def delete(self, name: str, path: str, body: dict):
        return self.client.delete(f"/api/v1{path}", body, "application/json", headers=self.headers(name))


@pytest.fixture
def api(client, persona):
    return Api(client, persona)
