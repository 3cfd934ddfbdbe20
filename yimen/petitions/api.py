"""API: petitions (信访). A petition is a case (POST /cases with kind=petition, optional
review_of and accused_users); these paths read its petition record and issue its written
documents, which then download from /cases/{code}/documents/{kind}."""

from typing import Literal

from ninja import Field, Query, Router, Schema

from yimen.cases.models import Case, PetitionType
from yimen.cases.schemas import LocalTime, VersionIn
from yimen.core.api import IsoDay, Text, text_field
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, ErrorOut, refuse_unknown_query
from yimen.petitions import selectors, services
from yimen.petitions.models import PetitionRecord
from yimen.petitions.rules import request_until

router = Router(tags=["信访"])
WRITE_ERRORS = {400: ErrorOut, **ERRORS}
LevelValue = Literal[tuple(PetitionRecord.Level.values)]
PetitionTypeValue = Literal[tuple(PetitionType.values)]


class DeadlineOut(Schema):
    label: str
    due: LocalTime | None
    done: LocalTime | None
    late: bool
    note: str


class PetitionOut(Schema):
    code: str
    title: str
    state: str
    petition_type: str
    form: str
    is_group: bool
    level: str
    review_of: str | None = Field(None, description="本件请求复查/复核的原事项编码")
    reviews: list[str] = Field(..., description="复查/复核链上的其他事项（仅本人可见者）")
    repeat_of: str | None = Field(None, description="重复信访：前次同一事项的编码（本人不可见时为 null）")
    repeat_reason: str
    notice_issued_at: LocalTime | None
    notice_accepted: bool | None
    opinion_issued_at: LocalTime | None
    request_until: LocalTime | None = Field(None, description="可申请复查/复核的截止时间（复核后为 null）")
    extension_days: int
    extension_notified_at: LocalTime | None
    deadlines: list[DeadlineOut]
    version: int = Field(..., description="信访记录的版本号（出具文书时回传）")


class PetitionItemOut(Schema):
    code: str
    title: str
    state: str
    petition_type: str
    level: str
    is_group: bool
    repeat_of: str | None
    received_at: LocalTime
    deadline: LocalTime | None
    overdue: bool


class PetitionPageOut(Schema):
    count: int
    repeats: int
    repeat_rate: float | None = Field(None, description="重复信访率（0–1）；定义见 repeat_rate_definition")
    repeat_rate_definition: str
    items: list[PetitionItemOut]


class RegisterQuery(Schema):
    petition_type: PetitionTypeValue | None = None
    level: LevelValue | None = None
    repeat: bool | None = None
    overdue: bool | None = None
    received_since: IsoDay | None = Field(None, description="收到日期起（含），北京时间 YYYY-MM-DD")
    received_until: IsoDay | None = Field(None, description="收到日期止（含），北京时间 YYYY-MM-DD")
    q: Text = Field("", max_length=100, pattern=r"^[^\x00]*$")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=200)


class OpinionIn(VersionIn):
    facts: Text = text_field(5000, required=True, description="查明的事实")
    basis: Text = text_field(3000, required=True, description="处理依据（法律、法规、政策）")
    opinion: Text = text_field(5000, required=True, description="处理意见 / 复查意见 / 复核意见")
    next_body: Text = text_field(100, description="申请复查或复核的机关（不填按规则默认）")


def petition_out(member, case: Case, record: PetitionRecord) -> dict:
    chain = selectors.petition_chain(member=member, case=case)
    links = selectors.repeat_links(member=member, case=case, record=record)
    return {
        "code": case.code,
        "title": case.title,
        "state": case.state,
        "petition_type": case.petition_type,
        "form": record.form,
        "is_group": record.is_group,
        "level": record.level,
        "review_of": next((c.code for c, _ in chain if c.pk == record.review_of_id), None),
        "reviews": [c.code for c, _ in chain if c.pk != case.pk],
        "repeat_of": links["earlier"].code if links["earlier"] else None,
        "repeat_reason": record.repeat_reason,
        "notice_issued_at": record.notice_issued_at,
        "notice_accepted": record.notice_accepted,
        "opinion_issued_at": record.opinion_issued_at,
        "request_until": request_until(record),
        "extension_days": case.extension_days,
        "extension_notified_at": record.extension_notified_at,
        "deadlines": [
            {"label": d.label, "due": d.due, "done": d.done, "late": d.late, "note": d.note}
            for d in selectors.petition_deadlines(case=case, record=record)
        ],
        "version": record.version,
    }


def _petition(request, code: str) -> tuple[Case, PetitionRecord]:
    require_permission(request.member, "case.view")
    return selectors.petition_get_visible(member=request.member, code=code)


@router.get(
    "/cases/{code}/petition",
    response={200: PetitionOut, **ERRORS},
    summary="信访记录（层级、复查复核链、重复信访、期限）",
)
def petition_detail(request, code: str):
    return petition_out(request.member, *_petition(request, code))


def _after(request, code: str) -> dict:
    return petition_out(request.member, *selectors.petition_get_visible(member=request.member, code=code))


@router.post(
    "/cases/{code}/petition/notice",
    response={200: PetitionOut, **WRITE_ERRORS},
    summary="出具受理告知书或不予受理告知书（信访办、派单员）",
)
def petition_notice(request, code: str, payload: VersionIn):
    case, _ = _petition(request, code)
    services.petition_notice_issue(case=case, actor=request.member, version=payload.version)
    return _after(request, code)


@router.post(
    "/cases/{code}/petition/opinion",
    response={200: PetitionOut, **WRITE_ERRORS},
    summary="出具处理意见书、复查意见书或复核意见书（主办单位、信访办）",
)
def petition_opinion(request, code: str, payload: OpinionIn):
    case, _ = _petition(request, code)
    services.petition_opinion_issue(case=case, actor=request.member, **payload.model_dump())
    return _after(request, code)


@router.post(
    "/cases/{code}/petition/extension-notice",
    response={200: PetitionOut, **WRITE_ERRORS},
    summary="延期告知书（信访工作条例第三十四条）",
)
def petition_extension_notice(request, code: str, payload: VersionIn):
    case, _ = _petition(request, code)
    services.petition_extension_notify(case=case, actor=request.member, version=payload.version)
    return _after(request, code)


@router.get("/petitions", response={200: PetitionPageOut, **ERRORS}, summary="信访台账与重复信访率（仅本人可见范围）")
def petition_list(request, filters: Query[RegisterQuery]):
    require_permission(request.member, "petition.view")
    refuse_unknown_query(request, RegisterQuery.model_fields)
    wanted = selectors.RegisterFilters(
        petition_type=filters.petition_type,
        level=filters.level,
        repeat=filters.repeat,
        overdue=filters.overdue,
        received_since=filters.received_since,
        received_until=filters.received_until,
        q=filters.q,
    )
    records = selectors.petition_register(member=request.member, filters=wanted)
    rate = selectors.repeat_rate(records)
    start = (filters.page - 1) * filters.page_size
    page = list(records[start : start + filters.page_size])
    seen = selectors.visible_ids(member=request.member, ids=[r.repeat_of_id for r in page if r.repeat_of_id])
    return {
        "count": rate["total"],
        "repeats": rate["repeats"],
        "repeat_rate": rate["rate"],
        "repeat_rate_definition": selectors.REPEAT_RATE_DEFINITION,
        "items": [
            {
                "code": r.case.code,
                "title": r.case.title,
                "state": r.case.state,
                "petition_type": r.case.petition_type,
                "level": r.level,
                "is_group": r.is_group,
                "repeat_of": r.repeat_of.code if r.repeat_of_id in seen else None,
                "received_at": r.case.received_at,
                "deadline": r.case.deadline,
                "overdue": r.case.is_overdue,
            }
            for r in page
        ],
    }
