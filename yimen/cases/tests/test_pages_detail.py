"""The case page: only the actions this member may take now, each a form posting the version it
was drawn with; refusals (stale, wrong input, wrong role) keep what was typed. The supervision
board and attachments."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yimen.cases.models import Attachment, Case
from yimen.cases.tests.conftest import POLICE, VILLAGE, act, case_in

STALE = "已被他人更新，请刷新后重试"


def actions_on_page(client, member, case) -> set[str]:
    client.force_login(member.user)
    response = client.get(f"/cases/{case.code}/")
    assert response.status_code == 200
    return {panel.action for panel in response.context["panels"]}


def test_each_member_sees_only_what_they_may_do_now(client, seats):
    case = case_in("dispatched", seats)  # lead 派出所, support 司法所
    assert actions_on_page(client, seats["clerk"], case) == {"note"}  # the first receiver keeps a file
    assert actions_on_page(client, seats["police"], case) == {"sign", "dispute", "raise_risk", "note"}
    assert actions_on_page(client, seats["judicial"], case) == {"sign", "raise_risk", "note"}  # support: no dispute
    assert actions_on_page(client, seats["supervisor"], case) == {"urge", "supervise", "censure", "raise_risk"}
    assert actions_on_page(client, seats["leader"], case) == set()
    client.force_login(seats["police"].user)
    raise_risk = next(p.form for p in client.get(f"/cases/{case.code}/").context["panels"] if p.action == "raise_risk")
    assert case.risk == "blue"
    assert [value for value, _ in raise_risk.fields["risk"].choices] == ["yellow", "orange", "red"]  # only upward
    client.force_login(seats["leader"].user)
    html = client.get(f"/cases/{case.code}/").content.decode()
    assert 'data-testid="action-sign"' not in html  # the leader's page has no forms at all


def test_the_clerk_accepts_and_the_dispatcher_dispatches_from_the_page(client, seats):
    case = case_in("registered", seats)
    assert "accept" in actions_on_page(client, seats["clerk"], case)
    response = client.post(f"/cases/{case.code}/actions/accept/", {"version": case.version})
    assert response.status_code == 302 and response.url == f"/cases/{case.code}/"
    case.refresh_from_db()
    assert case.state == "accepted"
    client.force_login(seats["dispatcher"].user)
    page = client.get(f"/cases/{case.code}/")
    dispatch = next(panel.form for panel in page.context["panels"] if panel.action == "dispatch")
    assert POLICE in dict(dispatch.fields["lead_unit"].choices)
    response = client.post(f"/cases/{case.code}/actions/dispatch/", {"version": case.version, "lead_unit": POLICE})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "dispatched" and case.lead_unit.code == POLICE


def test_a_unit_ticked_by_the_suggestion_and_chosen_as_lead_leads(client, seats):
    """The form comes with the tier's units ticked (the village leads a blue case, the police
    support it); choosing the police as lead instead must not be refused for the tick."""
    case = case_in("accepted", seats)
    client.force_login(seats["dispatcher"].user)
    sent = {"version": case.version, "lead_unit": POLICE, "support_units": [POLICE, VILLAGE]}
    assert client.post(f"/cases/{case.code}/actions/dispatch/", sent).status_code == 302
    roles = dict(case.assignments.values_list("unit__code", "role"))
    assert roles == {POLICE: "lead", VILLAGE: "support"}


def test_a_stale_version_says_so_and_keeps_the_text(client, seats):
    case = case_in("in_progress", seats)
    drawn = case.version
    act("raise_risk", case, seats["supervisor"], risk="orange", reason="当事人情绪激动")  # someone else, meanwhile
    client.force_login(seats["police"].user)
    response = client.post(f"/cases/{case.code}/actions/reply/", {"version": drawn, "text": "已调解，双方签订协议"})
    assert response.status_code == 409
    html = response.content.decode()
    assert STALE in html and "已调解，双方签订协议" in html
    panel = response.context["failed"]
    assert panel.form["version"].value() == str(drawn + 1)  # ready to send again on the new version
    assert Case.objects.get(pk=case.pk).state == "in_progress"


def test_missing_input_is_a_field_error_in_chinese(client, seats):
    case = case_in("dispatched", seats)
    client.force_login(seats["police"].user)
    response = client.post(f"/cases/{case.code}/actions/dispute/", {"version": case.version, "reason": " "})
    assert response.status_code == 422
    assert "请填写退单理由" in response.content.decode()
    missing = client.post(f"/cases/{case.code}/actions/dispute/", {})
    assert missing.status_code == 422 and "缺少案件版本号" in missing.content.decode()


def test_merge_and_archive_ask_for_their_reason_on_the_page(client, seats):
    """Grave steps ask for their reason: a merge without one, or an archive without a word, is
    refused with the field named and the case unchanged."""
    duplicate, first = case_in("accepted", seats), case_in("accepted", seats)
    client.force_login(seats["dispatcher"].user)
    url = f"/cases/{duplicate.code}/actions/merge/"
    refused = client.post(url, {"version": duplicate.version, "into": first.code})
    assert refused.status_code == 422 and "请填写并单理由" in refused.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.state == "accepted"
    reason = "同一申请人就同一事项重复来访"
    assert client.post(url, {"version": duplicate.version, "into": first.code, "note": reason}).status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.state == "merged" and duplicate.events.get(action="merge").note == reason

    done = case_in("followed_up", seats)
    archive = client.post(f"/cases/{done.code}/actions/archive/", {"version": done.version})
    assert archive.status_code == 422 and "请填写归档说明" in archive.content.decode()


def test_a_role_without_the_step_is_refused(client, seats):
    case = case_in("dispatched", seats)
    client.force_login(seats["clerk"].user)
    assert client.post(f"/cases/{case.code}/actions/sign/", {"version": case.version}).status_code == 403
    client.force_login(seats["court"].user)  # may sign, but this case is not the court's: not even visible
    assert client.post(f"/cases/{case.code}/actions/sign/", {"version": case.version}).status_code == 404
    client.force_login(seats["police"].user)
    assert client.get(f"/cases/{case.code}/actions/sign/").status_code == 405


def test_a_step_someone_else_took_keeps_the_text_without_a_button(client, seats):
    case = case_in("replied", seats)
    drawn = case.version
    act("review", case, seats["dispatcher"], approved=True)
    client.force_login(seats["dispatcher"].user)
    response = client.post(
        f"/cases/{case.code}/actions/review/", {"version": drawn, "approved": "false", "note": "证据不足，请补充"}
    )
    assert response.status_code == 409
    assert response.context["failed"].still_allowed is False
    assert "证据不足，请补充" in response.content.decode()


def test_the_supervisor_urges_from_the_board(client, seats):
    late = case_in("dispatched", seats, received_at=timezone.now() - timedelta(days=40))
    calm = case_in("dispatched", seats, title="按期办理中")
    client.force_login(seats["supervisor"].user)
    board = client.get("/cases/supervision/")
    html = board.content.decode()
    assert late.code in html and calm.code not in html
    response = client.post(
        f"/cases/{late.code}/actions/urge/", {"version": late.version, "next": "/cases/supervision/"}
    )
    assert response.status_code == 302 and response.url == "/cases/supervision/"
    assert Case.objects.get(pk=late.pk).supervision_level == 1
    evil = client.post(
        f"/cases/{late.code}/actions/urge/", {"version": late.version + 1, "next": "https://evil.example/"}
    )
    assert evil.url == f"/cases/{late.code}/"
    client.force_login(seats["dispatcher"].user)  # sees the board, has no buttons
    assert 'data-action="urge"' not in client.get("/cases/supervision/").content.decode()


def test_the_board_asks_the_reason_for_supervise_and_censure_on_the_case_page(client, seats):
    """督办 and 通报 issue a 督办单 and need a typed reason (issue 21 item 10): on the board they
    are links to the case page with that form open, never one-click posts."""
    late = case_in("dispatched", seats, received_at=timezone.now() - timedelta(days=40))
    client.force_login(seats["supervisor"].user)
    html = client.get("/cases/supervision/").content.decode()
    link = f'href="/cases/{late.code}/?act=censure#act-censure"'
    assert link in html and f'action="/cases/{late.code}/actions/censure/"' not in html
    page = client.get(f"/cases/{late.code}/?act=censure").content.decode()
    assert 'class="collapse show" id="act-censure"' in page and "reason_type" in page
    client.force_login(seats["police"].user)  # may not censure: the form does not open
    assert 'class="collapse show"' not in client.get(f"/cases/{late.code}/?act=censure").content.decode()


def test_red_cases_show_their_plan_on_the_board(client, seats):
    case = case_in("in_progress", seats)
    act("raise_risk", case, seats["police"], risk="red", reason="扬言报复", plan="镇村干部、派出所联合稳控，每日回访")
    assert "raise_risk" not in actions_on_page(client, seats["police"], case)  # nothing above red
    client.force_login(seats["leader"].user)
    html = client.get("/cases/supervision/").content.decode()
    assert case.code in html and "镇村干部、派出所联合稳控" in html


def test_attachments_are_stored_sealed_with_a_checksum_and_downloaded_in_scope(client, seats, media):
    case = case_in("in_progress", seats)
    client.force_login(seats["police"].user)
    upload = SimpleUploadedFile("现场照片.jpg", b"\xff\xd8photo", content_type="image/jpeg")
    response = client.post(f"/cases/{case.code}/attachments/", {"file": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert len(attachment.sha256) == 64 and attachment.size == 7
    # At rest the file is SM4-sealed and readable by its owner only (issue 12 item 6).
    on_disk = media / attachment.file.name
    assert b"photo" not in on_disk.read_bytes() and on_disk.stat().st_size > 7
    assert on_disk.stat().st_mode & 0o777 == 0o600
    download = client.get(f"/cases/{case.code}/attachments/{attachment.pk}/")
    assert b"".join(download.streaming_content) == b"\xff\xd8photo"
    assert client.post(f"/cases/{case.code}/attachments/", {}).status_code == 422
    client.force_login(seats["gridworker2"].user)
    assert client.get(f"/cases/{case.code}/attachments/{attachment.pk}/").status_code == 404


@pytest.mark.parametrize("state", ["registered", "closed", "archived"])
def test_the_page_draws_in_every_state(client, seats, state):
    case = case_in(state, seats)
    client.force_login(seats["dispatcher"].user)
    response = client.get(f"/cases/{case.code}/")
    assert response.status_code == 200
    timeline = [row["event"].action for row in response.context["events"]]
    assert timeline[0] == "register"
    assert "唐建国" in response.content.decode() and "13907730001" not in response.content.decode()


def test_the_page_costs_the_same_for_a_short_and_a_long_timeline(client, seats):
    client.force_login(seats["supervisor"].user)
    costs = []
    for urges in (0, 12):
        case = case_in("in_progress", seats)
        for _ in range(urges):
            act("urge", case, seats["supervisor"])
        url = f"/cases/{case.code}/"
        client.get(url)  # warm the per-process caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        costs.append(len(queries))
    assert costs[0] == costs[1]
