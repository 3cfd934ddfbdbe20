"""The idle timeout counts what a person does, not what a page polls by itself (issue 12 item 8):
the big screen's refresh and an import's progress never keep a session alive."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse

from conftest import PASSWORD
from tests.factories import totp_now
from yimen.core.models import AuditEntry
from yimen.org.idle import POLL_HEADER

START = datetime(2026, 3, 2, 9, 0, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
POLL = {POLL_HEADER: "1"}


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def leader(client, persona, clock):
    """A leader logged in at START who opened the big screen."""
    persona("leader")
    assert client.post(reverse("login"), {"username": "leader", "password": PASSWORD}).status_code == 302
    assert client.get(reverse("insight:screen")).status_code == 200
    return client


def poll_screen(client):
    return client.get(reverse("insight:data"), headers={"Accept": "application/json", **POLL})


def test_a_screen_that_only_polls_is_logged_out_after_the_idle_minutes(leader, clock):
    for _ in range(6):  # a refresh every 5 minutes for 30 minutes: all answered, none renews
        clock.shift(timedelta(minutes=5))
        assert poll_screen(leader).status_code == 200
    clock.shift(timedelta(minutes=1))
    ended = poll_screen(leader)
    assert ended.status_code == 401
    assert ended.json()["code"] == "session_idle" and set(ended.json()) == {"detail", "code", "errors"}
    assert ended["HX-Refresh"] == "true"  # htmx pollers reload onto the login page
    page = leader.get("/", follow=True)
    assert page.redirect_chain[-1][0].startswith(reverse("login"))
    assert "您已超过 30 分钟未操作" in page.content.decode()
    entry = AuditEntry.objects.get(action="session_idle_end")
    assert entry.actor_username == "leader"


def test_a_poll_does_not_push_the_session_expiry(leader, clock):
    expiry = leader.session.get_expiry_date()
    clock.shift(timedelta(minutes=10))
    poll_screen(leader)
    assert leader.session.get_expiry_date() == expiry
    leader.get(reverse("insight:dashboard"))
    assert leader.session.get_expiry_date() == expiry + timedelta(minutes=10)


def test_a_real_click_renews_the_session(leader, clock):
    clock.shift(timedelta(minutes=25))
    assert leader.get(reverse("insight:dashboard")).status_code == 200  # the leader clicks
    clock.shift(timedelta(minutes=25))
    assert poll_screen(leader).status_code == 200  # 50 minutes after login, 25 after the click
    clock.shift(timedelta(minutes=6))
    assert poll_screen(leader).status_code == 401


def test_an_htmx_progress_poll_does_not_count_either(leader, clock):
    clock.shift(timedelta(minutes=20))
    # Any page polled with the header (the import progress panel sends it on every 1 s refresh).
    assert leader.get("/", headers={"HX-Request": "true", **POLL}).status_code == 200
    clock.shift(timedelta(minutes=11))
    ended = leader.get("/", headers={"HX-Request": "true", **POLL})
    assert ended.status_code == 401 and ended["HX-Refresh"] == "true"


def test_the_import_progress_panel_marks_its_refresh_as_a_poll():
    class Running:
        code, state, running, processed_rows, total_rows, percent = "IMP1", "running", True, 1, 10, 10

        def get_state_display(self):
            return "处理中"

    html = render_to_string("people/import_job_panel.html", {"job": Running()})
    assert 'hx-trigger="every 1s"' in html and f'"{POLL_HEADER}": "1"' in html


def test_an_api_call_with_a_token_opens_no_session(client, persona):
    persona("police")
    body = {"username": "police", "password": PASSWORD, "otp": totp_now("police")}
    token = client.post("/api/v1/auth/token", body, "application/json")
    response = client.get("/api/v1/units", headers={"Authorization": f"Bearer {token.json()['token']}"})
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
