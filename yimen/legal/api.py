"""API: public legal services. Legal aid is a case of kind `legal_aid` (POST /cases); these
paths read and write its legal-aid file; the decision documents download from
/cases/{code}/documents/{legal_aid_grant|legal_aid_refusal}. The advisers' roster is
GET /legal/advisers (API.md "Legal services")."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator, WithJsonSchema

from yimen.cases.schemas import LocalTime, Moment
from yimen.core.api import IsoDay, Text, text_field
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, ErrorOut, refuse_unknown_query
from yimen.geo.models import Region
from yimen.legal import selectors, services
from yimen.legal.models import (
    Exemption,
    KeyGroup,
    LegalAidFile,
    OutreachEvent,
    OutreachOrder,
    TrainingSession,
    Urgency,
)

router = Router(tags=["公共法律服务"])
# An amount in yuan as a JSON number (parsed exactly, as Decimal): the schema names it a number
# only, so no client reads the Decimal's string form as an invitation to send text.
Money = Annotated[Decimal, WithJsonSchema({"type": "number", "minimum": 0, "exclusiveMaximum": 10**9})]
WRITE_ERRORS = {400: ErrorOut, **ERRORS}
VERSION = Field(None, ge=1, le=2**31 - 1, description="法律援助档案的版本号（回传则校验，过期 409）")


class AidOut(Schema):
    code: str
    matter: str
    key_groups: list[str]
    monthly_income: Decimal | None
    assets: Decimal | None
    income_standard: Decimal | None
    assets_standard: Decimal | None
    means_checked_at: LocalTime | None
    means_eligible: bool | None
    exemption: str
    urgency: str
    provided_first_at: LocalTime | None
    decide_due: LocalTime
    decide_overdue: bool = Field(..., description="七日审查期限已过（已决定的：决定时已超期）")
    granted: bool | None
    decision_reason: str
    decided_at: LocalTime | None
    assign_due: LocalTime | None
    assign_overdue: bool
    lawyer: str
    assigned_at: LocalTime | None
    result: str
    closed_at: LocalTime | None
    version: int


class AidMeansIn(Schema):
    version: int | None = VERSION
    monthly_income: Money = Field(..., ge=0, lt=10**9, description="家庭人均月收入（元）")
    assets: Money = Field(..., ge=0, lt=10**9, description="家庭财产（元）")
    income_standard: Money = Field(..., ge=0, lt=10**9, description="当地经济困难标准（元/人·月）")
    assets_standard: Money | None = Field(None, ge=0, lt=10**9)
    key_groups: list[KeyGroup] = Field(default_factory=list, max_length=len(KeyGroup.values))


class AidDecisionIn(Schema):
    version: int | None = VERSION
    granted: bool
    reason: Text = text_field(2000, required=True, description="决定理由")
    exemption: Exemption | None = Field(None, description="法律援助法第三十二条、第四十二条的情形")


class AidFirstIn(Schema):
    version: int | None = VERSION
    urgency: Urgency
    note: Text = text_field(1000, required=True, description="紧急情况说明")


class AidAssignIn(Schema):
    version: int | None = VERSION
    lawyer: Text = text_field(100, required=True, description="法律援助人员")


class AidCloseIn(Schema):
    version: int | None = VERSION
    result: Text = text_field(2000, required=True, description="援助结果")


def aid_out(aid: LegalAidFile) -> dict:
    shown = selectors.clocks(aid)
    return {
        "code": aid.case.code,
        **{
            name: getattr(aid, name)
            for name in (
                "matter",
                "key_groups",
                "monthly_income",
                "assets",
                "income_standard",
                "assets_standard",
                "means_checked_at",
                "means_eligible",
                "exemption",
                "urgency",
                "provided_first_at",
                "decide_due",
                "granted",
                "decision_reason",
                "decided_at",
                "assign_due",
                "lawyer",
                "assigned_at",
                "result",
                "closed_at",
                "version",
            )
        },
        "decide_overdue": shown[0].late,
        "assign_overdue": len(shown) > 1 and shown[1].late,
    }


def _aid(request, code: str):
    require_permission(request.member, "case.view")
    return selectors.aid_get_visible(member=request.member, code=code)


def _after(request, code: str) -> dict:
    _, aid = _aid(request, code)
    return aid_out(aid)


@router.get("/cases/{code}/legal-aid", response={200: AidOut, **ERRORS}, summary="法律援助档案（审查、决定、指派）")
def aid_detail(request, code: str):
    _, aid = _aid(request, code)
    if aid is None:
        raise Http404("该件尚无法律援助档案。")
    return aid_out(aid)


@router.post(
    "/cases/{code}/legal-aid/means", response={200: AidOut, **WRITE_ERRORS}, summary="经济困难状况核查（司法所）"
)
def aid_means(request, code: str, payload: AidMeansIn):
    case, _ = _aid(request, code)
    values = payload.model_dump()
    values["key_groups"] = [str(v) for v in values["key_groups"]]
    services.legal_aid_means_check(case=case, actor=request.member, **values)
    return _after(request, code)


@router.post(
    "/cases/{code}/legal-aid/decision",
    response={200: AidOut, **WRITE_ERRORS},
    summary="给予或不予法律援助的决定（司法所；七日，法律援助法第四十三条）",
)
def aid_decision(request, code: str, payload: AidDecisionIn):
    case, _ = _aid(request, code)
    services.legal_aid_decide(
        case=case,
        actor=request.member,
        version=payload.version,
        granted=payload.granted,
        reason=payload.reason,
        exemption=str(payload.exemption or ""),
    )
    return _after(request, code)


@router.post(
    "/cases/{code}/legal-aid/first",
    response={200: AidOut, **WRITE_ERRORS},
    summary="先行提供法律援助（法律援助法第四十四条）",
)
def aid_first(request, code: str, payload: AidFirstIn):
    case, _ = _aid(request, code)
    services.legal_aid_provide_first(
        case=case, actor=request.member, version=payload.version, urgency=str(payload.urgency), note=payload.note
    )
    return _after(request, code)


@router.post(
    "/cases/{code}/legal-aid/assign",
    response={200: AidOut, **WRITE_ERRORS},
    summary="指派法律援助人员（三日，法律援助法第四十三条）",
)
def aid_assign(request, code: str, payload: AidAssignIn):
    case, _ = _aid(request, code)
    services.legal_aid_assign(case=case, actor=request.member, **payload.model_dump())
    return _after(request, code)


@router.post("/cases/{code}/legal-aid/close", response={200: AidOut, **WRITE_ERRORS}, summary="法律援助结案")
def aid_close(request, code: str, payload: AidCloseIn):
    case, _ = _aid(request, code)
    services.legal_aid_close(case=case, actor=request.member, **payload.model_dump())
    return _after(request, code)


class AdviserVillageOut(Schema):
    code: str
    name: str


class AdviserOut(Schema):
    id: int
    name: str
    kind: str
    firm: str
    villages: list[AdviserVillageOut]
    duty: str


class AdviserQuery(Schema):
    region: str | None = Field(None, pattern=r"^\d{2,20}$", description="区划代码：服务该区域的顾问")


@router.get("/legal/advisers", response={200: list[AdviserOut], **ERRORS}, summary="一村一法律顾问名册")
def adviser_list(request, filters: Query[AdviserQuery]):
    require_permission(request.member, "unit.view")
    refuse_unknown_query(request, AdviserQuery.model_fields)
    region = None
    if filters.region:
        region = Region.objects.filter(code=filters.region).first()
        if region is None:
            raise Http404("没有这个区划。")
    return [adviser_row(a) for a in selectors.advisers_visible(request.member, region=region)]


def adviser_row(adviser) -> dict:
    return {
        "id": adviser.pk,
        "name": adviser.name,
        "kind": adviser.kind,
        "firm": adviser.firm,
        "villages": [{"code": v.code, "name": v.name} for v in adviser.villages.all()],
        "duty": adviser.duty,
    }


class AdviserLogQuery(Schema):
    month: str = Field(..., pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$", description="YYYY-MM")


class AdviserLogOut(Schema):
    adviser: AdviserOut
    month: str
    consultations: int
    answered: int
    notes: int
    aid_applications: int
    aid_granted: int
    trainings: int = Field(..., description="干部法治培训场次")
    case_talks: int = Field(..., description="典型案例宣讲场次")


@router.get(
    "/legal/advisers/{adviser_id}/log", response={200: AdviserLogOut, **ERRORS}, summary="村法律顾问月度服务台账"
)
def adviser_log(request, adviser_id: int, filters: Query[AdviserLogQuery]):
    require_permission(request.member, "unit.view")
    refuse_unknown_query(request, AdviserLogQuery.model_fields)
    if not 0 < adviser_id < 2**31:
        raise Http404("没有这名村法律顾问。")
    month = date(int(filters.month[:4]), int(filters.month[5:]), 1)
    log = selectors.adviser_month_log(member=request.member, adviser_id=adviser_id, month=month)
    return {
        "adviser": adviser_row(log.adviser),
        "month": filters.month,
        **{
            name: getattr(log, name)
            for name in (
                "consultations",
                "answered",
                "notes",
                "aid_applications",
                "aid_granted",
                "trainings",
                "case_talks",
            )
        },
    }


class OutreachMenuItemOut(Schema):
    id: int
    title: str
    season: str
    audience: str
    summary: str


class OutreachOrderIn(Schema):
    village: str = Field(..., pattern=r"^\d{12}$", description="村（社区）区划代码")
    topic: Text = text_field(100, required=True)
    wanted_by: IsoDay


class OutreachOrderOut(Schema):
    id: int
    village: AdviserVillageOut
    topic: str
    wanted_by: date
    state: str
    ordered_at: LocalTime
    schedule_due: LocalTime | None = Field(..., description="安排期限（点单后 7 日，镇里的承诺）")
    schedule_overdue: bool = Field(..., description="未在承诺期限内安排（已安排的：安排时已超期）")
    scheduled_at: LocalTime | None
    adviser: int | None = Field(..., description="安排的村法律顾问编号")
    speaker: str = Field(..., description="安排的宣讲人（顾问或法律专家）")
    planned_at: LocalTime | None = Field(..., description="安排的宣讲时间")
    event: int | None = Field(..., description="送达的送法活动编号")
    version: int


class OutreachScheduleIn(Schema):
    version: int | None = Field(None, ge=1, le=2**31 - 1, description="点单版本号（回传则校验，过期 409）")
    adviser: int | None = Field(None, ge=1, le=2**31 - 1, description="村法律顾问编号（与 expert 二选一）")
    expert: Text = text_field(100, description="法律专家姓名、单位（名册以外的专家）")
    at: Moment = Field(..., description="安排的宣讲时间")


class OutreachEventIn(Schema):
    topic: Text = text_field(100, required=True)
    place: Text = text_field(100, required=True)
    at: Moment
    speakers: list[Annotated[Text, Field(min_length=1, max_length=50)]] = Field(..., min_length=1, max_length=20)
    order: int | None = Field(None, ge=1, le=2**31 - 1, description="点单编号（点餐送达时）")
    village: str | None = Field(None, pattern=r"^\d{12}$", description="村（社区）区划代码（点单的活动取点单的村）")


class OutreachEventOut(Schema):
    id: int
    village: str | None
    topic: str
    place: str
    at: LocalTime
    speakers: list[str]
    order: int | None
    attendance: int | None
    feedback: str
    rating: Decimal | None


def _one_decimal(value):
    """An average of the feedback slips is any number from 1 to 5 (4.25 of four slips): kept to
    one decimal, half up, as the reports show it; anything but a number is left to the type."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return value


Rating = Annotated[
    Decimal, BeforeValidator(_one_decimal), WithJsonSchema({"type": "number", "minimum": 1, "maximum": 5})
]


class OutreachAttendanceIn(Schema):
    count: int = Field(..., ge=0, le=100_000)
    feedback: Text = text_field(500)
    rating: Rating | None = Field(
        None,
        ge=1,
        le=5,
        max_digits=2,
        decimal_places=1,
        description="群众满意度平均分（1–5），按一位小数（四舍五入）保存",
    )


def order_out(order: OutreachOrder) -> dict:
    village = {"code": order.village.code, "name": order.village.name}
    fields = ("topic", "wanted_by", "state", "ordered_at", "schedule_due", "scheduled_at", "planned_at", "version")
    event = getattr(order, "event", None)
    return {
        "id": order.pk,
        "village": village,
        **{name: getattr(order, name) for name in fields},
        "schedule_overdue": order.schedule_overdue,
        "adviser": order.adviser_id,
        "speaker": order.speaker,
        "event": event.pk if event else None,
    }


def event_out(event: OutreachEvent) -> dict:
    fields = ("topic", "place", "at", "speakers", "attendance", "feedback", "rating")
    village = event.village.code if event.village_id else None
    return {"id": event.pk, "order": event.order_id, "village": village, **{n: getattr(event, n) for n in fields}}


@router.get("/outreach/menu", response={200: list[OutreachMenuItemOut], **ERRORS}, summary="普法菜单（排餐）")
def outreach_menu(request):
    require_permission(request.member, "unit.view")
    return list(selectors.outreach_menu().values("id", "title", "season", "audience", "summary"))


@router.post("/outreach/orders", response={201: OutreachOrderOut, **WRITE_ERRORS}, summary="点餐：村委会、网格长点单")
def outreach_order(request, payload: OutreachOrderIn):
    order = services.outreach_order_place(actor=request.member, **payload.model_dump())
    return Status(201, order_out(order))


@router.get(
    "/outreach/orders", response={200: list[OutreachOrderOut], **ERRORS}, summary="点单列表（本辖区，最近 200 张）"
)
def outreach_orders(request):
    require_permission(request.member, "outreach.view")
    refuse_unknown_query(request, ())
    return [order_out(o) for o in selectors.orders_visible(request.member)[:200]]


@router.post(
    "/outreach/orders/{order_id}/schedule",
    response={200: OutreachOrderOut, **WRITE_ERRORS},
    summary="安排点单：宣讲人与时间（司法所、综治中心；点单后 7 日内）",
)
def outreach_schedule(request, order_id: int, payload: OutreachScheduleIn):
    require_permission(request.member, "outreach.schedule")
    order = selectors.order_get_visible(member=request.member, order_id=order_id)
    order = services.outreach_order_schedule(actor=request.member, order=order, **payload.model_dump())
    return order_out(selectors.order_get_visible(member=request.member, order_id=order.pk))


@router.post(
    "/outreach/events",
    response={201: OutreachEventOut, **WRITE_ERRORS},
    summary="送餐：登记送法活动（司法所、村法律顾问）",
)
def outreach_event(request, payload: OutreachEventIn):
    event = services.outreach_event_record(actor=request.member, **payload.model_dump())
    return Status(201, event_out(event))


@router.post(
    "/outreach/events/{event_id}/attendance",
    response={200: OutreachEventOut, **WRITE_ERRORS},
    summary="登记到场人数与群众反馈",
)
def outreach_attendance(request, event_id: int, payload: OutreachAttendanceIn):
    require_permission(request.member, "outreach.deliver")
    event = selectors.outreach_event_get(event_id=event_id)
    event = services.outreach_attendance_record(actor=request.member, event=event, **payload.model_dump())
    return event_out(event)


class ReportTopicOut(Schema):
    topic: str
    events: int
    attendance: int


class ReportVillageOut(Schema):
    village: str = Field(..., description="村（社区）名；无村的全镇活动为“全镇”")
    events: int
    attendance: int
    rating: float | None


class OutreachReportOut(Schema):
    month: str
    events: int = Field(..., description="送法活动场次")
    attendance: int = Field(..., description="到场人数合计")
    ordered_events: int = Field(..., description="其中按点单送达的场次")
    rating: float | None = Field(..., description="群众满意度平均分（1–5，已评分的活动）")
    rated: int = Field(..., description="已评分的活动场次")
    orders: int = Field(..., description="本月点单数")
    scheduled: int = Field(..., description="其中已安排")
    scheduled_on_time: int = Field(..., description="其中在承诺期限内安排")
    delivered: int = Field(..., description="其中已送达")
    on_time: int = Field(..., description="其中在希望日期前送达")
    by_topic: list[ReportTopicOut]
    by_village: list[ReportVillageOut]


@router.get("/outreach/report", response={200: OutreachReportOut, **ERRORS}, summary="送法活动月报（排送点餐）")
def outreach_report(request, filters: Query[AdviserLogQuery]):
    require_permission(request.member, "outreach.view")
    refuse_unknown_query(request, AdviserLogQuery.model_fields)
    month = date(int(filters.month[:4]), int(filters.month[5:]), 1)
    return selectors.outreach_month_report(member=request.member, month=month)


class TypicalCaseOut(Schema):
    title: str
    description: str
    answer: str


class TrainingSessionIn(Schema):
    kind: Literal[tuple(TrainingSession.Kind.values)]
    topic: Text = text_field(100, required=True)
    held_at: Moment
    place: Text = text_field(100, required=True)
    speaker: int = Field(..., ge=1, le=2**31 - 1, description="主讲的村法律顾问编号")
    villages: list[Annotated[str, Field(pattern=r"^\d{12}$")]] = Field(..., min_length=1, max_length=50)
    attendance: int = Field(..., ge=1, le=10_000)
    attendees: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(default_factory=list, max_length=500)
    cases: list[Annotated[str, Field(max_length=32, pattern=r"^[0-9-]+$")]] = Field(
        default_factory=list, max_length=10, description="选用的已办结案件编码（由系统脱敏生成典型案例）"
    )


class SpeakerOut(Schema):
    id: int
    name: str


class TrainingSessionOut(Schema):
    id: int
    kind: str
    topic: str
    held_at: LocalTime
    place: str
    speaker: SpeakerOut
    villages: list[AdviserVillageOut]
    attendance: int
    attendees: list[str] = Field(..., description="参训干部（姓名 · 单位）")
    typical_cases: list[TypicalCaseOut]


def session_out(session: TrainingSession, *, full: bool = True) -> dict:
    return {
        "id": session.pk,
        "kind": session.kind,
        "topic": session.topic,
        "held_at": session.held_at,
        "place": session.place,
        "speaker": {"id": session.speaker_id, "name": session.speaker.name},
        "villages": [{"code": v.code, "name": v.name} for v in session.villages.all()],
        "attendance": session.attendance,
        "attendees": [f"{m.user.get_full_name() or m.user.username} · {m.unit.name}" for m in session.attendees.all()]
        if full
        else [],
        "typical_cases": [
            {"title": t.title, "description": t.description, "answer": t.answer} for t in session.typical_cases.all()
        ]
        if full
        else [],
    }


@router.get(
    "/legal/training",
    response={200: list[TrainingSessionOut], **ERRORS},
    summary="干部法治培训与典型案例宣讲（最近 200 场）",
)
def training_list(request):
    require_permission(request.member, "outreach.view")
    refuse_unknown_query(request, ())
    return [session_out(s, full=False) for s in selectors.sessions_visible(request.member)[:200]]


@router.post(
    "/legal/training",
    response={201: TrainingSessionOut, **WRITE_ERRORS},
    summary="登记干部培训或案例宣讲（司法所、村法律顾问）",
)
def training_record(request, payload: TrainingSessionIn):
    values = payload.model_dump()
    values["kind"] = str(values["kind"])
    session = services.training_session_record(actor=request.member, **values)
    return Status(201, session_out(selectors.session_get_visible(member=request.member, session_id=session.pk)))


@router.get(
    "/legal/training/{session_id}",
    response={200: TrainingSessionOut, **ERRORS},
    summary="培训详情（参训干部、典型案例）",
)
def training_detail(request, session_id: int):
    require_permission(request.member, "outreach.view")
    return session_out(selectors.session_get_visible(member=request.member, session_id=session_id))
