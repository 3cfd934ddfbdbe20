"""Emergency fixtures: every persona seated in the test town; a notifier that keeps what it sends."""

import pytest

from conftest import PERSONAS
from yimen.cases.tests.test_api import bearer


class Collect:
    """The notifier's test backend: every message lands in `sent`."""

    sent: list[tuple[str, str]] = []

    def send(self, to_phone: str, message: str) -> str:
        Collect.sent.append((to_phone, message))
        return "ok"


@pytest.fixture
def seats(persona):
    return {name: persona(name) for name in PERSONAS}


@pytest.fixture
def outbox(settings):
    settings.YIMEN_NOTIFIER = "yimen.emergency.tests.conftest.Collect"
    Collect.sent = []
    return Collect.sent


def call(client, member, method: str, url: str, body: dict | None = None, **headers):
    send = getattr(client, method)
    kwargs = {"headers": {**bearer(member), **headers}}
    if body is not None:
        return send(url, body, "application/json", **kwargs)
    return send(url, **kwargs)
