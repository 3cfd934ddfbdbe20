"""API: cases (API.md "Cases"). Thin: find the case within the caller's scope, call the service.

Every action is its own path, /cases/{code}/actions/<action>, with its own body schema, so the
OpenAPI document states exactly what each step takes."""

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Header, Query, Router, Schema, Status
from pydantic import AfterValidator

from yimen.cases import catalogue, documents, rules, selectors, services
from yimen.cases.models import LEVEL_NAMES, Case, Channel, Kind, Party, PetitionType, Risk
from yimen.core.api import NO_NUL, IsoDay, Text
from yimen.core.errors import NotFound
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, ErrorOut, refuse_unknown_query

router = Router(tags=["案件"])
WRITE_ERRORS = {400: ErrorOut, **ERRORS}  # 400: a body that is not JSON


def _aware(value: datetime) -> datetime:
    # A naive time is Beijing time. Ranges (not in the future, within a year ...) are the
    # services' to check, with field errors, after the case has been found.
    return value if value.tzinfo else timezone.make_aware(value)


def _local(value: datetime | None) -> datetime | None:
    return timezone.localtime(value) if value else value


# Choices as inline enums: Django's TextChoices classes would become OpenAPI components named
# after the class ("Kind"), colliding with other apps' ("Unit.Kind").
KindValue = Literal[tuple(Kind.values)]
ChannelValue = Literal[tuple(Channel.values)]
RiskValue = Literal[tuple(Risk.values)]
PetitionTypeValue = Literal[tuple(PetitionType.values)]
PartyRoleValue = Literal[tuple(Party.Role.values)]
StateValue = Literal[tuple(Case.State.values)]
Moment = Annotated[datetime, AfterValidator(_aware)]
LocalTime = Annotated[datetime, AfterValidator(_local)]  # answers in +08:00 (API.md)
UnitCode = Annotated[str, Field(max_length=40, pattern=NO_NUL)]
Version = Annotated[int, Field(ge=1, le=2_147_483_647, description="读取时的案件版本号（乐观并发）")]


def _text(max_length: int, *, required: bool = False, description: str = ""):
    if required:
        return Field(..., min_length=1, max_length=max_length, pattern=NO_NUL, description=description)
    return Field("", max_length=max_length, pattern=NO_NUL, description=description)


# --------------------------------------------------------------------------------------------
# Schemas


class LocationIn(Schema):
    lat: float = Field(..., ge=-90, le=90)
    lng: float = Field(..., ge=-180, le=180)


class PartyIn(Schema):
    name: Text = _text(100, required=True)
    role: PartyRoleValue
    phone: Annotated[str, Field(max_length=30, pattern=NO_NUL)] | None = None
    id_number: Annotated[str, Field(max_length=18, pattern=NO_NUL)] | None = None
    person_id: int | None = Field(None, ge=1, le=2**63 - 1)


class CaseIn(Schema):
    kind: KindValue
    title: Text = _text(200, required=True)
    description: Text = _text(5000)
    channel: ChannelValue
    region: Text = Field(..., min_length=1, max_length=24, pattern=NO_NUL, description="区划/网格代码")
    location: LocationIn | None = None
    occurred_at: Moment | None = None
    received_at: Moment | None = Field(None, description="收到时间（默认现在）；法定期限自此起算")
    category: Annotated[str, Field(max_length=60, pattern=NO_NUL)] | None = Field(None, description="派单目录条目代码")
    risk: RiskValue | None = None
    petition_type: PetitionTypeValue | None = None
    accused_units: list[UnitCode] = Field([], max_length=20)
    parties: list[PartyIn] = Field([], max_length=50)
    group_size: int | None = Field(None, ge=1, le=100_000, description="涉及人数（默认按申请人、代表人计）")


class PartyOut(Schema):
    name: str
    role: str
    phone_masked: str
    id_number_masked: str
    person_id: int | None


class AssignmentOut(Schema):
    unit: str = Field(..., alias="unit.code")
    unit_name: str = Field(..., alias="unit.name")
    role: str
    state: str
    deadline: LocalTime | None
    sign_deadline: LocalTime | None
    dispute_deadline: LocalTime | None
    signed_at: LocalTime | None
    replied_at: LocalTime | None
    reply: str


class UnitRef(Schema):
    code: str
    name: str


class LocationOut(Schema):
    lat: float
    lng: float


class CaseOut(Schema):
    code: str
    public_token: str
    kind: str
    title: str
    description: str
    channel: str
    state: str
    state_label: str
    version: int
    risk: str
    region: str
    region_name: str
    location: LocationOut | None
    occurred_at: LocalTime | None
    received_at: LocalTime
    category: str | None
    category_name: str | None
    petition_type: str | None
    accused_units: list[str]
    group_size: int
    first_unit: UnitRef
    lead_unit: str | None
    accept_deadline: LocalTime | None
    deadline: LocalTime | None
    extension_days: int
    overdue: bool
    overdue_level: str
    merged_into: str | None
    referred_to: str
    joint_plan: str
    rating: int | None
    parties: list[PartyOut]
    assignments: list[AssignmentOut]
    allowed_actions: list[str]
    created_at: LocalTime
    updated_at: LocalTime


class CaseItemOut(Schema):
    code: str
    title: str
    kind: str
    state: str
    risk: str
    region: str
    region_name: str
    lead_unit: str | None
    deadline: LocalTime | None
    overdue: bool
    updated_at: LocalTime


class CasePageOut(Schema):
    count: int
    items: list[CaseItemOut]


class CaseQuery(Schema):
    state: StateValue | None = None
    kind: KindValue | None = None
    region: Annotated[str, Field(max_length=24, pattern=NO_NUL)] | None = Field(None, description="区划代码（含下级）")
    risk: RiskValue | None = None
    overdue: bool | None = None
    q: Text = Field("", max_length=100, pattern=NO_NUL)
    received_since: IsoDay | None = Field(None, description="收到日期起（含），北京时间 YYYY-MM-DD")
    received_until: IsoDay | None = Field(None, description="收到日期止（含），北京时间 YYYY-MM-DD")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=200)


class EventOut(Schema):
    at: LocalTime
    actor: str
    unit: str
    unit_name: str
    action: str
    from_state: str
    to_state: str
    note: str


class DocumentOut(Schema):
    kind: str
    title: str
    url: str
    content_type: str


class StepOut(Schema):
    at: LocalTime
    action: str
    label: str
    unit: str


class PublicCaseOut(Schema):
    code: str
    state: str
    state_label: str
    steps: list[StepOut]
    can_rate: bool


class RatingIn(Schema):
    rating: int = Field(..., ge=1, le=5)
    note: Text = _text(500)


class CatalogueRowOut(Schema):
    code: str
    name: str
    group: str
    kind: str
    lead: str
    supports: list[str]
    deadline: str
    risk: str
    is_default: bool


# Action bodies (API.md: body {version, ...})


class VersionIn(Schema):
    version: Version


class NoteIn(VersionIn):
    note: Text = _text(2000)


class ReasonIn(VersionIn):
    reason: Text = _text(2000, required=True)


class DispatchIn(VersionIn):
    lead_unit: Text = Field(..., min_length=1, max_length=40, pattern=NO_NUL)
    support_units: list[UnitCode] = Field([], max_length=20)
    deadline: Moment | None = Field(None, description="办理期限（默认按派单目录计算）")
    plan: Text = _text(5000, description="联合处置方案（红色风险必填）")
    note: Text = _text(2000)


class RedispatchIn(VersionIn):
    lead_unit: Text = Field(..., min_length=1, max_length=40, pattern=NO_NUL)
    support_units: list[UnitCode] = Field([], max_length=20)
    note: Text = _text(2000)


class ReplyIn(VersionIn):
    text: Text = _text(5000, required=True)


class ReviewIn(VersionIn):
    approved: bool
    note: Text = _text(2000)


class ExtendIn(VersionIn):
    days: int = Field(..., ge=1, le=365)
    reason: Text = _text(2000, required=True)


class FollowUpIn(VersionIn):
    rating: int = Field(..., ge=1, le=5)
    note: Text = _text(2000)
    cause: Literal["subjective", "objective"] | None = Field(
        None, description="不满意的原因：subjective 主观（办理不力，重办）或 objective 客观（政策法律所限）"
    )


class MergeIn(VersionIn):
    into: Text = Field(..., min_length=1, max_length=32, pattern=NO_NUL, description="并入的案件编码")
    note: Text = _text(2000)


class ReferIn(VersionIn):
    to: Text = _text(100, required=True, description="转往何处，如 110、人民法院、劳动仲裁")
    reason: Text = _text(2000, required=True)


class RaiseRiskIn(VersionIn):
    risk: RiskValue
    reason: Text = _text(2000, required=True)
    plan: Text = _text(5000, description="联合处置方案（升为红色时必填，已有方案可不填）")


ACTION_BODIES: dict[str, type[Schema]] = {
    "accept": NoteIn,
    "decline": ReasonIn,
    "dispatch": DispatchIn,
    "sign": NoteIn,
    "dispute": ReasonIn,
    "redispatch": RedispatchIn,
    "reply": ReplyIn,
    "review": ReviewIn,
    "extend": ExtendIn,
    "close": NoteIn,
    "follow_up": FollowUpIn,
    "archive": NoteIn,
    "merge": MergeIn,
    "refer": ReferIn,
    "urge": NoteIn,
    "supervise": NoteIn,
    "censure": NoteIn,
    "raise_risk": RaiseRiskIn,
}
# Who acts (API.md), for the OpenAPI summaries.
ACTORS = {
    "accept": "派单员；窗口受理员",
    "decline": "派单员；窗口受理员",
    "close": "派单员；窗口受理员（窗口直接办结，未派单）",
    "follow_up": "派单员；窗口受理员",
    "sign": "承办单位",
    "dispute": "主办单位（退单时限内）",
    "reply": "承办单位",
    "extend": "主办单位",
    "urge": "督办员",
    "supervise": "督办员",
    "censure": "督办员",
    "raise_risk": "派单员、承办单位、督办员",
}


# --------------------------------------------------------------------------------------------
# Answers


def case_out(case: Case, member) -> dict:
    return {
        "code": case.code,
        "public_token": case.public_token,
        "kind": case.kind,
        "title": case.title,
        "description": case.description,
        "channel": case.channel,
        "state": case.state,
        "state_label": case.get_state_display(),
        "version": case.version,
        "risk": case.risk,
        "region": case.region.code,
        "region_name": case.region.name,
        "location": {"lat": case.lat, "lng": case.lng} if case.lat is not None else None,
        "occurred_at": case.occurred_at,
        "received_at": case.received_at,
        "category": case.category.code if case.category else None,
        "category_name": case.category.name if case.category else None,
        "petition_type": case.petition_type or None,
        "accused_units": [u.code for u in case.accused_units.all()],
        "group_size": case.group_size,
        "first_unit": case.first_unit,
        "lead_unit": case.lead_unit.code if case.lead_unit else None,
        "accept_deadline": case.accept_deadline,
        "deadline": case.deadline,
        "extension_days": case.extension_days,
        "overdue": case.is_overdue,
        "overdue_level": LEVEL_NAMES[case.overdue_level],
        "merged_into": case.merged_into.code if case.merged_into else None,
        "referred_to": case.referred_to,
        "joint_plan": case.joint_plan,
        "rating": case.rating,
        "parties": list(case.parties.all()),
        "assignments": list(case.assignments.all()),
        "allowed_actions": rules.allowed_actions(case=case, member=member),
        "created_at": case.created_at,
        "updated_at": case.updated_at,
    }


def _item(case: Case) -> dict:
    return {
        "code": case.code,
        "title": case.title,
        "kind": case.kind,
        "state": case.state,
        "risk": case.risk,
        "region": case.region.code,
        "region_name": case.region.name,
        "lead_unit": case.lead_unit.code if case.lead_unit else None,
        "deadline": case.deadline,
        "overdue": case.is_overdue,
        "updated_at": case.updated_at,
    }


def _visible(request, code: str) -> Case:
    require_permission(request.member, "case.view")
    return selectors.case_get_visible(member=request.member, code=code)


# --------------------------------------------------------------------------------------------
# Routes


@router.post(
    "/cases",
    response={201: CaseOut, 200: CaseOut, **WRITE_ERRORS},
    summary="登记案件（一案一码）；须带 Idempotency-Key",
    description="同一 Idempotency-Key 与相同内容重试，返回第一次登记的案件（不会重复登记）；同一键换了内容 → 409。",
)
def case_create(
    request,
    payload: CaseIn,
    idempotency_key: str = Header(
        ..., alias="Idempotency-Key", min_length=1, max_length=100, description="客户端生成的唯一键（如 UUID）"
    ),
):
    require_permission(request.member, "case.register")
    fields = payload.model_dump()
    registered = services.case_register(actor=request.member, idempotency_key=idempotency_key, **fields)
    case = selectors.case_get_visible(member=request.member, code=registered.case.code)
    return Status(201, case_out(case, request.member))


@router.get("/cases", response={200: CasePageOut, **ERRORS}, summary="案件列表（仅本人可见范围）")
def case_list(request, filters: Query[CaseQuery]):
    require_permission(request.member, "case.view")
    refuse_unknown_query(request, CaseQuery.model_fields)
    wanted = selectors.CaseFilters(
        state=filters.state,
        kind=filters.kind,
        region=filters.region,
        risk=filters.risk,
        overdue=filters.overdue,
        q=filters.q,
        received_since=filters.received_since,
        received_until=filters.received_until,
    )
    count, rows = selectors.case_page(
        member=request.member, filters=wanted, page=filters.page, page_size=filters.page_size
    )
    return {"count": count, "items": [_item(c) for c in rows]}


@router.get("/catalogue", response={200: list[CatalogueRowOut], **ERRORS}, summary="派单目录（现行版本）")
def catalogue_list(request, kind: KindValue | None = None):
    require_permission(request.member, "case.view")
    refuse_unknown_query(request, {"kind"})
    return [
        {
            "code": row.code,
            "name": row.name,
            "group": row.group,
            "kind": row.kind,
            "lead": row.lead,
            "supports": row.supports,
            "deadline": str(row.policy),
            "risk": row.risk,
            "is_default": row.is_default,
        }
        for row in catalogue.catalogue_rows(kind=kind)
    ]


@router.get("/cases/{code}", response={200: CaseOut, **ERRORS}, summary="案件详情")
def case_detail(request, code: str):
    return case_out(_visible(request, code), request.member)


@router.get("/cases/{code}/timeline", response={200: list[EventOut], **ERRORS}, summary="案件流转记录（最早在前）")
def case_timeline(request, code: str):
    case = _visible(request, code)
    return [
        {
            "at": e.at,
            "actor": e.actor_name,
            "unit": e.unit.code if e.unit else "",
            "unit_name": e.unit.name if e.unit else "",
            "action": e.action,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "note": e.note,
        }
        for e in selectors.case_timeline(case=case)
    ]


@router.get("/cases/{code}/documents", response={200: list[DocumentOut], **ERRORS}, summary="案件文书")
def case_documents(request, code: str):
    return selectors.case_documents(case=_visible(request, code))


PDF_RESPONSE = {
    "responses": {
        "200": {
            "description": "PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get("/cases/{code}/documents/{kind}", response=ERRORS, summary="下载文书（PDF）", openapi_extra=PDF_RESPONSE)
def case_document_download(request, code: str, kind: str):
    case = _visible(request, code)
    if kind != "receipt":
        raise NotFound("没有这份文书。")
    body = documents.receipt_pdf(
        case=case, lookup_url=request.build_absolute_uri(f"/public/cases/{case.public_token}/")
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{case.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _action_route(action: str, body: type[Schema]) -> None:
    service = services.ACTION_SERVICES[action]

    def act(request, code: str, payload: body):
        case = _visible(request, code)
        service(case=case, actor=request.member, **payload.model_dump())
        return case_out(selectors.case_get_visible(member=request.member, code=code), request.member)

    act.__name__ = f"case_{action}"
    who = ACTORS.get(action, "派单员")
    router.post(
        f"/cases/{{code}}/actions/{action}",
        response={200: CaseOut, **WRITE_ERRORS},
        summary=f"{rules.ACTION_LABELS[action]}（{who}）",
        operation_id=f"case_action_{action}",
    )(act)


for _action, _body in ACTION_BODIES.items():
    _action_route(_action, _body)


@router.post("/cases/{code}/actions/{action}", response=WRITE_ERRORS, include_in_schema=False)
def case_action_unknown(request, code: str, action: str):
    """Any other action name: a JSON 404 in API.md's shape (not in the schema: the named actions
    above are the contract)."""
    _visible(request, code)
    raise NotFound(f"没有“{action}”这个操作。", code="unknown_action")


# --------------------------------------------------------------------------------------------
# The citizen's lookup (no login, no personal data)


@router.get(
    "/public/cases/{public_token}", auth=None, response={200: PublicCaseOut, 404: ErrorOut}, summary="群众查询办理进度"
)
def public_case(request, public_token: str):
    case = selectors.public_case_get(token=public_token)
    return _public(case)


def _public(case: Case) -> dict:
    done = (Case.State.CLOSED, Case.State.FOLLOWED_UP, Case.State.ARCHIVED)
    return {
        "code": case.code,
        "state": case.state,
        "state_label": case.get_state_display(),
        "steps": selectors.public_steps(case=case),
        "can_rate": case.state in done and case.public_rated_at is None,
    }


@router.post(
    "/public/cases/{public_token}/rating",
    auth=None,
    response={200: PublicCaseOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="群众评价（办结后一次）",
)
def public_rating(request, public_token: str, payload: RatingIn):
    case = services.case_rate_public(token=public_token, rating=payload.rating, note=payload.note)
    return _public(case)
