"""API: a joint meeting's agenda and minutes (issue 20 part 3: "agenda drawn from red cases,
whistles and topics, attendance, minutes, decisions"). Thin: find the meeting the caller sees,
read through meeting_agenda, change through the meeting services.

| call | who | answer |
|---|---|---|
| `GET /meetings/{id}/agenda` | `meeting.view` | the cases the caller sees; the centre and leaders: `proposed` |
| `POST /meetings/{id}/agenda {case, note?}` | `meeting.manage` | 201; not red nor summoned → 409; minuted → 409 |
| `GET /meetings/{id}/minutes` | `meeting.view` | `{attendees, decisions, version, recorded}` |
| `POST /meetings/{id}/minutes {version, attendees, decisions}` | `meeting.manage` | 200; not yet held or stale → 409 |
"""

from datetime import date, datetime

from ninja import Field, Router, Schema, Status

from yimen.core.api import NO_NUL, Text
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, Id
from yimen.insight import meeting_access, meeting_agenda, services
from yimen.insight.schemas import CODE

router = Router(tags=["指挥中心"])


class AgendaCaseOut(Schema):
    case: str
    title: str
    risk: str
    note: str
    added_at: datetime


class ProposedCaseOut(Schema):
    case: str
    title: str
    risk: str
    region: str
    received_at: datetime


class ProposedWhistleOut(Schema):
    case: str
    title: str
    summoned_by: str = Field(description="吹哨单位")
    summoned_at: datetime
    reason: str


class ProposedTopicOut(Schema):
    id: int
    label: str
    terms: list[str]
    month: date
    size: int
    project: bool = Field(description="已立项治理")


class ProposedOut(Schema):
    red: list[ProposedCaseOut] = Field(description="辖区内办理中、尚未上会的红色风险案件（最早受理的在前）")
    whistled: list[ProposedWhistleOut] = Field(description="会前半个月内吹哨报到、尚未上会的案件")
    topics: list[ProposedTopicOut] = Field(description="上月每月一题")


class AgendaOut(Schema):
    items: list[AgendaCaseOut]
    proposed: ProposedOut | None = Field(description="候选议题：仅中心与领导可见；受邀单位为 null")


class AgendaIn(Schema):
    case: Text = Field(description="案件编码", **CODE)
    note: Text = Field("", max_length=300, pattern=NO_NUL, description="上会事由")


class MinutesIn(Schema):
    version: int = Field(ge=1, le=2**31 - 1, description="读取纪要时的 version；他人已改 → 409")
    attendees: Text = Field(min_length=1, max_length=5000, pattern=NO_NUL, description="参会人员，每行一人：单位 姓名")
    decisions: Text = Field(min_length=1, max_length=5000, pattern=NO_NUL, description="议定事项，每行一项")


class MinutesOut(Schema):
    attendees: str
    decisions: str
    version: int
    recorded: bool = Field(description="已登记纪要")


def _slot(item) -> dict:
    case = item.case
    return {"case": case.code, "title": case.title, "risk": case.risk, "note": item.note, "added_at": item.added_at}


def _proposed(found: meeting_agenda.AgendaProposals) -> dict:
    return {
        "red": [
            {
                "case": c.code,
                "title": c.title,
                "risk": c.risk,
                "region": c.region.name,
                "received_at": c.received_at,
            }
            for c in found.red
        ],
        "whistled": [
            {
                "case": w.case.code,
                "title": w.case.title,
                "summoned_by": w.summoned_by_unit.name,
                "summoned_at": w.summoned_at,
                "reason": w.reason,
            }
            for w in found.whistled
        ],
        "topics": found.topics,
    }


def _minutes(meeting) -> dict:
    return {
        "attendees": meeting.attendees,
        "decisions": meeting.decisions,
        "version": meeting.version,
        "recorded": bool(meeting.decisions),
    }


@router.get("/meetings/{meeting_id}/agenda", response={200: AgendaOut, **ERRORS}, summary="会议议程与候选议题")
def agenda(request, meeting_id: Id):
    require_permission(request.member, "meeting.view")
    meeting = meeting_access.meeting_get_visible(request.member, meeting_id)
    items = [_slot(item) for item in meeting_agenda.agenda_items(request.member, meeting)]
    whole = meeting_access.sees_meeting_whole(request.member, meeting)
    proposed = _proposed(meeting_agenda.agenda_proposals(request.member, meeting)) if whole else None
    return {"items": items, "proposed": proposed}


@router.post(
    "/meetings/{meeting_id}/agenda",
    response={201: AgendaCaseOut, **ERRORS},
    summary="将案件列入会议议程（派单员、领导）",
)
def agenda_add(request, meeting_id: Id, payload: AgendaIn):
    require_permission(request.member, "meeting.manage")
    meeting = meeting_access.meeting_get_visible(request.member, meeting_id)
    item = services.meeting_agenda_add(actor=request.member, case=payload.case, note=payload.note, meeting=meeting)
    return Status(201, _slot(item))


@router.get("/meetings/{meeting_id}/minutes", response={200: MinutesOut, **ERRORS}, summary="会议纪要")
def minutes(request, meeting_id: Id):
    require_permission(request.member, "meeting.view")
    return _minutes(meeting_access.meeting_get_visible(request.member, meeting_id))


@router.post(
    "/meetings/{meeting_id}/minutes", response={200: MinutesOut, **ERRORS}, summary="登记会议纪要：参会人员与议定事项"
)
def minutes_record(request, meeting_id: Id, payload: MinutesIn):
    require_permission(request.member, "meeting.manage")
    meeting = meeting_access.meeting_get_visible(request.member, meeting_id)
    return _minutes(services.meeting_minutes_record(actor=request.member, meeting=meeting, **payload.dict()))
