"""Joint meetings and the half-month report, read back from the DOCX and the PDF."""

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from yimen.core.errors import Conflict, Invalid, NotAllowed
from yimen.core.models import AuditEntry
from yimen.insight import services
from yimen.insight.kpis.period import half_month_of, half_month_parse, previous_half_month
from yimen.insight.models import MeetingAction
from yimen.insight.rollups import store
from yimen.insight.tests.builders import make_case, make_lead
from yimen.insight.tests.test_kpis import GRID1


@pytest.fixture
def meeting(persona, units):
    leader = persona("leader")
    held = timezone.localdate() - timedelta(days=3)
    meeting = services.meeting_create(
        actor=leader,
        region=leader.jurisdiction,
        held_on=held,
        title="半月联席会议",
        attendees="综治中心 张主任\n派出所 李所长",
        decisions="唐家宅基地纠纷由派出所牵头化解\n汛期隐患排查",
    )
    done = services.meeting_action_add(
        actor=leader,
        meeting=meeting,
        task="排查山体滑坡隐患",
        owner=units["village"].code,
        due_on=held + timedelta(days=1),
    )
    services.meeting_action_update(actor=leader, action=done, version=1, status="done", progress="已排查 12 处")
    services.meeting_action_add(
        actor=leader, meeting=meeting, task="化解唐家纠纷", owner=units["police"].code, due_on=held + timedelta(days=2)
    )
    return meeting


def test_a_meeting_and_its_actions(persona, meeting):
    actions = list(meeting.actions.order_by("due_on"))
    assert [a.status for a in actions] == ["done", "open"]
    assert actions[0].done_on == timezone.localdate() and actions[1].is_overdue()
    assert AuditEntry.objects.filter(action__startswith="meeting_").count() == 4


def test_meeting_refusals(persona, meeting, units):
    leader = persona("leader")
    with pytest.raises(Invalid) as bad:
        services.meeting_create(
            actor=leader,
            region=leader.jurisdiction,
            held_on=timezone.localdate(),
            title="会",
            attendees="",
            decisions="",
        )
    assert set(bad.value.errors) == {"attendees"}
    with pytest.raises(NotAllowed):
        services.meeting_create(
            actor=persona("supervisor"),
            region=leader.jurisdiction,
            held_on=date(2026, 1, 1),
            title="会",
            attendees="甲",
            decisions="乙",
        )
    with pytest.raises(Invalid) as early:
        services.meeting_action_add(actor=leader, meeting=meeting, task="补", owner="nope", due_on=date(2000, 1, 1))
    assert set(early.value.errors) == {"owner", "due_on"}
    action = meeting.actions.get(status="open")
    with pytest.raises(Conflict):
        services.meeting_action_update(actor=leader, action=action, version=9, status="done", progress="好")
    with pytest.raises(Invalid):
        services.meeting_action_update(actor=leader, action=action, version=1, status="done", progress="")


def test_half_months():
    assert half_month_parse("2026-02-2").until == date(2026, 2, 28)
    assert previous_half_month(half_month_parse("2026-03-1")) == half_month_parse("2026-02-2")
    assert half_month_of(date(2026, 3, 16)).since == date(2026, 3, 16)
    with pytest.raises(Invalid):
        half_month_parse("2026-13-1")


def test_the_report_reads_back(persona, meeting, units):
    today = timezone.localdate()
    red = make_case(
        GRID1,
        units["centre"],
        received=f"{today:%Y-%m-%d} 08:00",
        title="唐家叔侄宅基地纠纷",
        risk="red",
        state="in_progress",
        joint_plan="派出所牵头、司法所调解",
        lead=units["police"],
        deadline="2026-01-01 00:00",
    )
    make_lead(red, units["police"], dispatched=f"{today:%Y-%m-%d} 09:00")
    store.rebuild(today - timedelta(days=40), today)
    leader = persona("leader")
    period = half_month_of(today)
    docx = services.half_month_report(actor=leader, region=leader.jurisdiction, period=period, fmt="docx")
    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    cells = "\n".join(c.text for t in Document(BytesIO(docx.content)).tables for r in t.rows for c in r.cells)
    assert "才湾镇半月联席会议报告" in text and "一、本期主要指标" in text and "四、上次会议议定事项落实情况" in text
    assert "受理登记量" in cells and "唐家叔侄宅基地纠纷" in cells and "派出所牵头、司法所调解" in cells
    assert "排查山体滑坡隐患" in cells and "已落实" in cells and "落实中（已逾期）" in cells
    assert "通报" in cells or "督办" in cells or "催办" in cells  # the red case is long overdue
    pdf = services.half_month_report(actor=leader, region=leader.jurisdiction, period=period, fmt="pdf")
    pages = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "半月联席会议报告" in pages and "唐家叔侄宅基地纠纷" in pages and "排查山体滑坡隐患" in pages
    # A paper for a meeting speaks Chinese: no field name of the code (received_at …) in it.
    assert not re.search(r"[a-z]+_[a-z]+", text + cells + pages)
    assert any(red.code in line for line in pages.splitlines())  # the code whole on one line


def test_the_meeting_pages(client, persona, meeting, units):
    client.force_login(persona("leader").user)
    assert "排查山体滑坡隐患" in client.get(reverse("insight:meeting", args=[meeting.pk])).content.decode()
    listing = client.get(reverse("insight:meetings")).content.decode()
    assert "半月联席会议" in listing and "生成报告" in listing
    bad = client.post(
        reverse("insight:meeting_new"), {"held_on": "2026-01-01", "title": "会", "attendees": "", "decisions": "x"}
    )
    assert bad.status_code == 422
    created = client.post(
        reverse("insight:meeting_action_new", args=[meeting.pk]),
        {"task": "回访", "owner": units["centre"].code, "due_on": timezone.localdate().isoformat()},
    )
    assert created.status_code == 302 and MeetingAction.objects.filter(task="回访").exists()
    action = MeetingAction.objects.get(task="回访")
    client.post(
        reverse("insight:meeting_action_status", args=[action.pk]),
        {"version": 1, "status": "done", "progress": "已回访"},
    )
    assert MeetingAction.objects.get(pk=action.pk).status == "done"
    period = half_month_of(timezone.localdate())
    value = f"{period.since:%Y-%m}-{1 if period.since.day == 1 else 2}"
    got = client.get(reverse("insight:report"), {"period": value, "format": "docx"})
    assert got.status_code == 200 and got["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("insight:report"), {"period": "2026-13-9"}).status_code == 302


def test_the_grid_chief_reads_but_does_not_manage(client, persona, meeting):
    client.force_login(persona("gridchief").user)
    assert client.get(reverse("insight:meetings")).status_code == 200
    assert client.get(reverse("insight:meeting", args=[meeting.pk])).status_code == 404  # a town meeting
    assert client.post(reverse("insight:meeting_new"), {}).status_code == 403


def test_the_demo_builds_meetings_once(seats, units):
    from yimen.insight.demo import build_demo
    from yimen.insight.models import JointMeeting

    assert "半月联席会议 4 次" in build_demo()
    assert JointMeeting.objects.filter(kind="regular").exclude(decisions="").count() == 4
    assert JointMeeting.objects.filter(kind="regular", decisions="", held_at__gt=timezone.now()).count() == 1  # next
    assert JointMeeting.objects.filter(kind="special").exclude(decisions="").count() == 1  # minuted
    assert not JointMeeting.objects.filter(kind="consultation").exists()  # no red case nor key person yet
    assert MeetingAction.objects.filter(status="done").exists() and MeetingAction.objects.filter(status="open").exists()
    assert MeetingAction.objects.filter(meeting__kind="special", owner=units["police"]).exists()
    build_demo()
    assert JointMeeting.objects.count() == 6
