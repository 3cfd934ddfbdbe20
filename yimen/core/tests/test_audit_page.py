"""The security auditor's page /audit/: filters, pages of 50, htmx partials, the chain panel."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yimen.core import audit
from yimen.core.models import AuditEntry


@pytest.fixture
def auditor_client(client, persona):
    client.force_login(persona("auditor").user)
    return client


def record_at(when: datetime, **fields) -> AuditEntry:
    with time_machine.travel(when, tick=False):
        return audit.record(**{"action": "login", "username": "clerk", **fields})


def rows(response) -> list[AuditEntry]:
    return list(response.context["page_obj"])


def test_page_lists_entries_in_beijing_time_with_chinese_labels(auditor_client):
    record_at(
        datetime(2026, 3, 1, 0, 30, tzinfo=UTC),
        action="security_policy_update",
        username="secadmin",
        unit_name="才湾镇综治中心",
        target="security_policy",
        purpose="调整锁定次数",
        ip="10.1.2.3",
    )
    response = auditor_client.get(reverse("core:audit"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026-03-01 08:30:00" in html and 'datetime="2026-03-01T08:30:00+08:00"' in html
    for shown in ("secadmin", "才湾镇综治中心", "修改安全策略", "security_policy", "调整锁定次数", "10.1.2.3", "成功"):
        assert shown in html
    assert 'data-testid="audit-chain"' in html and "尚未校验过" in html


def test_filters_by_actor_action_and_result(auditor_client):
    record_at(datetime(2026, 3, 1, 1, tzinfo=UTC), username="clerk")
    record_at(datetime(2026, 3, 1, 2, tzinfo=UTC), username="police")
    record_at(datetime(2026, 3, 1, 3, tzinfo=UTC), username="police", action="login_failed", result="failure")
    url = reverse("core:audit")
    assert [e.actor_username for e in rows(auditor_client.get(url, {"actor": "police"}))] == ["police", "police"]
    assert [e.action for e in rows(auditor_client.get(url, {"action": "login_failed"}))] == ["login_failed"]
    assert [e.result for e in rows(auditor_client.get(url, {"result": "failure"}))] == ["failure"]
    newest_first = [e.actor_username for e in rows(auditor_client.get(url, {"action": "login"}))]
    assert newest_first == ["police", "clerk"]


def test_since_and_until_are_whole_beijing_days(auditor_client):
    record_at(datetime(2026, 2, 28, 15, 59, tzinfo=UTC), target="before")  # 2-28 23:59 Beijing
    record_at(datetime(2026, 2, 28, 16, 0, tzinfo=UTC), target="first")  # 3-01 00:00 Beijing
    record_at(datetime(2026, 3, 1, 15, 59, tzinfo=UTC), target="last")  # 3-01 23:59 Beijing
    record_at(datetime(2026, 3, 1, 16, 0, tzinfo=UTC), target="after")  # 3-02 00:00 Beijing
    response = auditor_client.get(reverse("core:audit"), {"since": "2026-03-01", "until": "2026-03-01"})
    assert [e.target for e in rows(response)] == ["last", "first"]
    everything = auditor_client.get(reverse("core:audit"), {"since": "0001-01-01", "until": "9999-12-31"})
    assert len(rows(everything)) == 4


def test_actions_are_chosen_by_their_chinese_labels_and_unlabelled_ones_still_show(auditor_client):
    record_at(datetime(2026, 3, 1, tzinfo=UTC), action="retired_action")
    html = auditor_client.get(reverse("core:audit")).content.decode()
    assert '<option value="login_failed">登录失败</option>' in html
    assert '<option value="security_policy_update">修改安全策略</option>' in html
    assert '<span title="retired_action">retired_action</span>' in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"since": "2026-13-40"}, "since", "请输入有效日期"),
        ({"until": "yesterday"}, "until", "请输入有效日期"),
        ({"since": "2026-03-02", "until": "2026-03-01"}, "until", "截止日期不能早于起始日期"),
        ({"action": "no_such_action"}, "action", "选择一个有效的选项"),
        ({"result": "maybe"}, "result", "选择一个有效的选项"),
        ({"actor": "a\x00b"}, "actor", "空字符"),  # never reaches PostgreSQL, which cannot hold NUL
    ],
)
def test_bad_filter_input_gets_a_field_message_not_a_crash(auditor_client, params, field, message):
    record_at(datetime(2026, 3, 1, tzinfo=UTC))
    response = auditor_client.get(reverse("core:audit"), params)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    html = response.content.decode()
    assert message in html and "is-invalid" in html and 'data-testid="audit-invalid"' in html
    assert response.context["page_obj"] is None


def test_pages_of_fifty_newest_first(auditor_client):
    for i in range(120):
        record_at(datetime(2026, 3, 1, 0, i % 60, i // 60, tzinfo=UTC), target=f"t{i}")
    url = reverse("core:audit")
    first = auditor_client.get(url, {"action": "login"})
    assert len(rows(first)) == 50 and rows(first)[0].target == "t119"
    assert "1 / 3" in first.content.decode()
    assert "action=login&amp;page=2" in first.content.decode()  # the filter rides along
    last = auditor_client.get(url, {"action": "login", "page": 3})
    assert [e.target for e in rows(last)][-1] == "t0" and len(rows(last)) == 20
    assert len(rows(auditor_client.get(url, {"page": "999"}))) == 20  # past the end: the last page
    assert len(rows(auditor_client.get(url, {"page": "x"}))) == 50


def test_htmx_request_gets_the_partial_and_the_response_varies_on_it(auditor_client):
    record_at(datetime(2026, 3, 1, tzinfo=UTC))
    full = auditor_client.get(reverse("core:audit"))
    partial = auditor_client.get(reverse("core:audit"), {"actor": "clerk"}, headers={"HX-Request": "true"})
    assert "<html" in full.content.decode()
    assert "<html" not in partial.content.decode() and 'data-testid="audit-rows"' in partial.content.decode()
    assert 'data-testid="audit-chain"' not in partial.content.decode()
    for response in (full, partial):
        assert "HX-Request" in response["Vary"]
    restore = auditor_client.get(
        reverse("core:audit"), headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_page_cost_is_flat(auditor_client, htmx):
    """The same number of queries for 1 entry as for a full page of 50."""
    headers = {"HX-Request": "true"} if htmx else {}

    def queries_for(n: int) -> int:
        AuditEntry.objects.all().delete()
        for _ in range(n):
            audit.record(action="login", username="clerk")
        with CaptureQueriesContext(connection) as captured:
            assert auditor_client.get(reverse("core:audit"), headers=headers).status_code == 200
        return len(captured)

    assert queries_for(1) == queries_for(60)


def test_verify_now_records_the_check_and_reports_it(auditor_client):
    record_at(datetime(2026, 3, 1, tzinfo=UTC))
    response = auditor_client.post(reverse("core:audit_verify"), follow=True)
    assert "审计链完整：共 1 条" in response.content.decode()
    check = AuditEntry.objects.get(action="audit_verify")
    assert (check.result, check.actor_username, check.detail["trigger"]) == ("success", "auditor", "manual")
    assert check.unit_name and check.ip == "127.0.0.1"
    assert "完整（共 1 条）" in response.content.decode() and "手动校验（auditor）" in response.content.decode()


def test_verify_now_shows_a_broken_chain(auditor_client):
    for _ in range(3):
        record_at(datetime(2026, 3, 1, tzinfo=UTC))
    AuditEntry.objects.filter(seq=2).update(target="x")
    response = auditor_client.post(reverse("core:audit_verify"), follow=True)
    html = response.content.decode()
    assert "审计链断裂：第 2 条" in html and "断裂：第 2 条" in html
    assert AuditEntry.objects.get(action="audit_verify").result == "failure"


def test_verify_now_by_htmx_returns_the_panel(auditor_client):
    response = auditor_client.post(reverse("core:audit_verify"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="audit-chain"') and "完整（共 0 条）" in html


def test_verify_now_needs_post_and_csrf(persona):
    client = Client(enforce_csrf_checks=True)
    client.force_login(persona("auditor").user)
    assert client.get(reverse("core:audit_verify")).status_code == 405
    assert client.post(reverse("core:audit_verify")).status_code == 403
    assert not AuditEntry.objects.filter(action="audit_verify").exists()
    page = client.get(reverse("core:audit"))
    token = page.context["csrf_token"]
    assert client.post(reverse("core:audit_verify"), {"csrfmiddlewaretoken": str(token)}).status_code == 302
    assert AuditEntry.objects.filter(action="audit_verify").exists()


def test_page_needs_login(client, db):
    response = client.get(reverse("core:audit"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
