"""API: GET /kpis (API.md "Mediation, documents, KPIs"), for the centre and leaders over their
jurisdiction. Thin: resolve the region within the jurisdiction, check the period, compute."""

from datetime import date, datetime

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from yimen.cases.schemas import KindValue
from yimen.core.api import NO_NUL, Text
from yimen.core.identity import mask_name
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, ErrorOut, Id, refuse_unknown_query
from yimen.insight import meeting_access, rankings, selectors, services
from yimen.insight.kpis.definitions import KPIS
from yimen.insight.kpis.period import period_parse
from yimen.insight.schemas import (
    AnswerIn,
    ItemIn,
    ItemOut,
    JointMeetingIn,
    JointMeetingOut,
    MeetingDetailOut,
    MeetingListOut,
)

router = Router(tags=["指挥中心"])
DAY = r"^\d{4}-\d{2}-\d{2}$"
DATE = {"format": "date"}  # a calendar day; kpis.period gives the Chinese message for any other


class KpiQuery(Schema):
    region: Text | None = Field(None, max_length=24, pattern=NO_NUL, description="区划代码（含下级）；默认本人管辖范围")
    since: Text | None = Field(
        None,
        max_length=10,
        pattern=DAY,
        json_schema_extra=DATE,
        description="起始日期（含），北京时间 YYYY-MM-DD；默认截止日所在年的 1 月 1 日",
    )
    until: Text | None = Field(
        None,
        max_length=10,
        pattern=DAY,
        json_schema_extra=DATE,
        description="截止日期（含），北京时间 YYYY-MM-DD；默认今天；不早于起始日期",
    )
    kind: KindValue | None = Field(None, description="只统计这一种类的案件")
    unit: Text | None = Field(
        None, max_length=40, pattern=NO_NUL, description="只统计主办（未派单时首接）为该单位的案件"
    )


class KpisOut(Schema):
    region: str
    region_name: str
    since: date
    until: date
    received: int
    accepted_rate: float | None
    signed_on_time_rate: float | None
    closed_on_time_rate: float | None
    overdue: int
    mediation_success_rate: float | None
    satisfaction_rate: float | None
    repeat_petition_rate: float | None
    village_resolution_rate: float | None
    police_contact_coverage: float | None
    informant_activity_rate: float | None


@router.get(
    "/kpis",
    response={200: KpisOut, **ERRORS},
    summary="指标（领导、综治中心；本人管辖范围）",
    description="期间按北京时间的自然日计，含起止两日；比率为 0–1，分母为 0 时为 null。"
    "截止早于起始、2000 年以前或明年年底以后的日期 → 422。\n\n"
    + "\n".join(f"- `{kpi.key}`：{kpi.definition}" for kpi in KPIS),
)
def kpi_figures(request, filters: Query[KpiQuery]):
    require_permission(request.member, "kpi.view")
    refuse_unknown_query(request, KpiQuery.model_fields)
    board = selectors.kpi_board(
        member=request.member,
        region=filters.region,
        since=filters.since,
        until=filters.until,
        kind=filters.kind,
        unit=filters.unit,
    )
    return {
        "region": board.region.code,
        "region_name": board.region.name,
        "since": board.period.since,
        "until": board.period.until,
        **board.values,
    }


# ---------------------------------------------------------------------------------------------
# 公开三率排名 (API.md "Public accountability"): no login, no personal data, from the rollups.


class RankingQuery(Schema):
    since: Text | None = Field(None, max_length=10, pattern=DAY, json_schema_extra=DATE, description="起始日期（含）")
    until: Text | None = Field(None, max_length=10, pattern=DAY, json_schema_extra=DATE, description="截止日期（含）")


class RateDefinitionOut(Schema):
    key: str
    label: str
    definition: str


class RankOut(Schema):
    rank: int
    code: str
    received: int
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None


class UnitRankOut(RankOut):
    unit: str


class VillageRankOut(RankOut):
    village: str


class RankingOut(Schema):
    since: date
    until: date
    counted_at: datetime
    definitions: list[RateDefinitionOut]
    scope: str
    units: list[UnitRankOut]
    villages: list[VillageRankOut]


@router.get(
    "/public/rankings",
    auth=None,
    response={200: RankingOut, 422: ErrorOut, 429: ErrorOut},
    summary="公开三率排名（无需登录）：各单位、各村的响应率、解决率、满意率",
    description="期间按北京时间的自然日计，含起止两日；默认当年 1 月 1 日至今天。比率为 0–1，分母为 0 时为 null。"
    f"同一期间的排名保留 {rankings.RANKING_SECONDS // 60} 分钟（counted_at 为统计时间）。\n\n"
    + "\n".join(f"- `{r.key}`：{r.definition}" for r in rankings.RATES)
    + f"\n\n{rankings.SCOPE_NOTE}",
)
def public_rankings(request, filters: Query[RankingQuery]):
    refuse_unknown_query(request, RankingQuery.model_fields)
    ranking = rankings.public_ranking(period=period_parse(filters.since, filters.until))
    # Written once per counting, like the page's tables: validating hundreds of rows on every
    # request cost more than reading the kept ranking.
    key = f"insight:public-ranking-json:{ranking.period.since}:{ranking.period.until}:{ranking.counted_at.isoformat()}"
    body = cache.get_or_set(
        key,
        lambda: RankingOut.model_validate(rankings.ranking_out(ranking)).model_dump_json(),
        rankings.RANKING_SECONDS,
    )
    return HttpResponse(body, content_type="application/json; charset=utf-8")


# ---------------------------------------------------------------------------------------------
# Joint meetings and 会商 (API.md): the centre and leaders schedule them and give items; the
# owner unit reads and answers its items; a 会商's invited units read its case for the session.

LIST_LIMIT = 100


def _unit(unit) -> dict:
    return {"code": unit.code, "name": unit.name}


def _item_out(item) -> dict:
    return {
        "id": item.pk,
        "unit": _unit(item.owner),
        "text": item.task,
        "due": item.due_on,
        "case": item.case.code if item.case_id else None,
        "status": item.status,
        "answer": item.progress,
        "answered_at": item.answered_at,
    }


def _meeting_out(meeting, items=None) -> dict:
    now = timezone.now()
    reading = bool(meeting.kind == "consultation" and meeting.held_at and meeting.held_at <= now < meeting.ends_at)
    out = {
        "id": meeting.pk,
        "kind": meeting.kind,
        "topic": meeting.title,
        "held_on": meeting.held_on,
        "held_at": meeting.held_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "host": _unit(meeting.host),
        "units": [_unit(u) for u in meeting.units.all()],
        "case": meeting.case.code if meeting.case_id else None,
        # Never the ID number or phone: the person's id and masked name only.
        "person": {"id": meeting.person_id, "name": mask_name(meeting.person.name)} if meeting.person_id else None,
        "reading_open": reading,
    }
    if items is not None:
        out["items"] = [_item_out(item) for item in items]
    return out


@router.get("/meetings", response={200: MeetingListOut, **ERRORS}, summary="联席会议与会商（本人可见的）")
def meeting_list(request):
    require_permission(request.member, "meeting.view")
    meetings = meeting_access.meetings_visible_to(request.member)
    return {"count": meetings.count(), "items": [_meeting_out(m) for m in meetings[:LIST_LIMIT]]}


@router.post("/meetings", response={201: JointMeetingOut, **ERRORS}, summary="召开联席会议或会商（派单员、领导）")
def meeting_schedule(request, payload: JointMeetingIn):
    meeting = services.meeting_schedule(actor=request.member, **payload.dict())
    return Status(201, _meeting_out(meeting_access.meeting_get_visible(request.member, meeting.pk)))


@router.get("/meetings/{meeting_id}", response={200: MeetingDetailOut, **ERRORS}, summary="会议及您可见的督办事项")
def meeting_detail(request, meeting_id: Id):
    require_permission(request.member, "meeting.view")
    meeting = meeting_access.meeting_get_visible(request.member, meeting_id)
    return _meeting_out(meeting, meeting_access.items_visible_to(request.member, meeting))


@router.get("/meetings/{meeting_id}/items", response={200: list[ItemOut], **ERRORS}, summary="督办事项（您可见的）")
def item_list(request, meeting_id: Id):
    require_permission(request.member, "meeting.view")
    meeting = meeting_access.meeting_get_visible(request.member, meeting_id)
    return [_item_out(item) for item in meeting_access.items_visible_to(request.member, meeting)]


@router.post("/meetings/{meeting_id}/items", response={201: ItemOut, **ERRORS}, summary="分派督办事项（派单员、领导）")
def item_add(request, meeting_id: Id, payload: ItemIn):
    require_permission(request.member, "meeting.manage")
    meeting = meeting_access.meeting_get_visible(request.member, meeting_id)
    item = services.meeting_action_add(
        actor=request.member,
        meeting=meeting,
        task=payload.text,
        owner=payload.unit,
        due_on=payload.due,
        case=payload.case or "",
    )
    return Status(201, _item_out(item))


@router.post(
    "/meetings/{meeting_id}/items/{item_id}/answer",
    response={200: ItemOut, **ERRORS},
    summary="责任单位答复督办事项（其他单位 403）",
)
def item_answer(request, meeting_id: Id, item_id: Id, payload: AnswerIn):
    require_permission(request.member, "meeting.answer")
    meeting = meeting_access.meeting_get_visible(request.member, meeting_id)
    item = meeting_access.item_get(meeting, item_id)
    return _item_out(services.meeting_action_answer(actor=request.member, action=item, text=payload.text))
