"""大屏令牌: a leader's read-only grant lets a hall PC show the big screen without a staff login;
it opens nothing else, survives idleness, and ends when revoked or expired (issue 12 item 8)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yimen.core.models import AuditEntry
from yimen.org import services as org_services


@pytest.fixture
def leader(persona):
    return persona("leader")


def issue(client: Client, leader, label: str = "大厅大屏", days: int = 30) -> str:
    client.force_login(leader.user)
    response = client.post(reverse("insight:display_tokens"), {"label": label, "days": days})
    assert response.status_code == 201
    return re.search(r'user-select-all">([^<]+)<', response.content.decode()).group(1)


def open_screen(token: str) -> Client:
    hall = Client()
    response = hall.post(reverse("insight:display_open"), {"token": token})
    assert response.status_code == 302 and response.url == reverse("insight:display_screen")
    return hall


def data(hall: Client):
    return hall.get(reverse("insight:display_data"), headers={"Accept": "application/json", "X-Yimen-Poll": "1"})


def test_a_hall_screen_opens_read_only_with_a_display_token(client, leader):
    token = issue(client, leader)
    hall = open_screen(token)
    screen = hall.get(reverse("insight:display_screen"))
    assert screen.status_code == 200
    body = screen.content.decode()
    assert "综治中心指挥大屏" in body and "只读大屏" in body and "返回指挥中心" not in body
    got = data(hall)
    assert got.status_code == 200 and "kpis" in got.json() and "boards" in got.json()
    assert AuditEntry.objects.filter(action="display_token_issue", actor_username="leader").count() == 1
    assert AuditEntry.objects.filter(action="display_open", unit_code=leader.unit.code).count() == 1


def test_the_display_session_opens_nothing_else(client, leader):
    hall = open_screen(issue(client, leader))
    for path in (reverse("insight:dashboard"), reverse("insight:data"), "/cases/", "/persons/", "/"):
        response = hall.get(path)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), path
    assert hall.get("/api/v1/units").status_code == 401


def test_the_display_outlives_idleness_but_not_revocation(client, leader):
    token = issue(client, leader)
    hall = open_screen(token)
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        assert data(hall).status_code == 200  # no staff session to time out
    client.force_login(leader.user)
    row = re.search(r"/dashboard/display/(\d+)/revoke/", client.get(reverse("insight:display_tokens")).content.decode())
    revoked = client.post(reverse("insight:display_token_revoke", args=[row.group(1)]), follow=True)
    assert "已吊销大屏令牌“大厅大屏”" in revoked.content.decode()
    assert AuditEntry.objects.filter(action="display_token_revoke", actor_username="leader").count() == 1
    gone = data(hall)
    assert gone.status_code == 302 and gone.url == reverse("insight:display_open")
    form = hall.get(reverse("insight:display_screen"), follow=True)
    assert "大屏令牌已过期或已被吊销" in form.content.decode()
    again = Client().post(reverse("insight:display_open"), {"token": token})
    assert again.status_code == 422 and "大屏令牌无效、已过期或已吊销" in again.content.decode()


def test_a_display_token_expires(client, leader):
    hall = open_screen(issue(client, leader, days=1))
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert data(hall).status_code == 302


def test_a_disabled_leader_takes_the_display_down(client, leader, persona):
    hall = open_screen(issue(client, leader))
    org_services.user_set_active(actor=persona("sysadmin"), user=leader.user, active=False)
    assert data(hall).status_code == 302


def test_only_who_may_issue_sees_and_revokes_a_units_tokens(client, leader, persona):
    issue(client, leader)
    client.force_login(persona("clerk").user)
    assert client.get(reverse("insight:display_tokens")).status_code == 403
    other_leader = persona("gridchief")  # another unit's seat: its list is empty, the token not its own
    other_leader.role = "leader"
    other_leader.save(update_fields=["role"])
    client.force_login(other_leader.user)
    assert "本单位尚未签发大屏令牌" in client.get(reverse("insight:display_tokens")).content.decode()
    token_id = AuditEntry.objects.get(action="display_token_issue").target.split(":")[1]
    assert client.post(reverse("insight:display_token_revoke", args=[token_id])).status_code == 404


def test_a_wrong_token_is_refused_alike(db):
    response = Client().post(reverse("insight:display_open"), {"token": "not-a-token"})
    assert response.status_code == 422 and "大屏令牌无效、已过期或已吊销" in response.content.decode()
    assert Client().get(reverse("insight:display_screen")).url == reverse("insight:display_open")


def test_issuing_checks_the_label_and_the_days(client, leader):
    client.force_login(leader.user)
    response = client.post(reverse("insight:display_tokens"), {"label": "大屏", "days": 365})
    assert response.status_code == 422
    assert not AuditEntry.objects.filter(action="display_token_issue").exists()
