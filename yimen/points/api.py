"""API: 积分制 (API.md "Points (积分制)"). Thin: find the record within the caller's scope (404
otherwise), call the service."""

import datetime as dt
from typing import Literal

from ninja import Header, Query, Router, Schema, Status
from pydantic import Field

from yimen.core.api import NO_NUL, Text, text_field
from yimen.core.errors import Invalid
from yimen.core.images import MAX_PHOTOS
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, ErrorOut, Id, Photo, refuse_unknown_query
from yimen.geo.models import Region
from yimen.points import selectors, services
from yimen.points.months import MONTH_PATTERN, month_bounds, period_bounds

router = Router(tags=["积分制（村民自治）"])
KEY = Header(None, alias="Idempotency-Key", max_length=100, description="可选：客户端生成的唯一键，重试不重复创建")
MONTH = MONTH_PATTERN.pattern


class RuleOut(Schema):
    code: str
    category: Literal["industry", "virtue", "sanitation", "integrity", "family"]
    name: str
    points: int
    evidence_required: Literal["none", "photo", "witness"]


class VillageQuery(Schema):
    village: str = Field(..., max_length=24)


class AwardIn(Schema):
    household: Id
    rule: str = Field(..., min_length=1, max_length=40)
    note: str = Field(..., min_length=1, max_length=500)
    evidence: str = Field("", max_length=500)
    photos: list[Photo] = Field(
        [], max_length=MAX_PHOTOS, description="现场照片：压缩后的 JPEG/PNG，base64（可带 data: 前缀），最多 3 张"
    )


class RejectIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)


class AwardOut(Schema):
    id: int
    state: Literal["proposed", "approved", "rejected"]


class EntryOut(Schema):
    at: dt.datetime
    rule: str
    points: int
    state: str


class LedgerOut(Schema):
    balance: int
    entries: list[EntryOut]


class RedemptionIn(Schema):
    household: Id
    item: Id
    quantity: int = Field(..., ge=1, le=1000)


class RedemptionOut(Schema):
    id: int
    household: int
    item: int
    quantity: int
    points: int
    balance: int
    at: dt.datetime


class BoardQuery(Schema):
    village: str = Field(..., max_length=24)
    month: str = Field(..., pattern=MONTH)


class RedOut(Schema):
    household: int
    name: str
    points: int


class BlackOut(Schema):
    category: str
    behaviour: str
    count: int
    points: int


class BoardOut(Schema):
    village: str
    month: str
    red: list[RedOut]
    black: list[BlackOut]


WRITE_ERRORS = {400: ErrorOut, **ERRORS}


def village_read(request, filters, allowed: tuple[str, ...] = ("village",)) -> Region:
    """Every village-wide read: points.view, only the filters the endpoint names (a misspelt one
    is refused, not ignored), and a village within the member's reach (404 otherwise)."""
    require_permission(request.member, "points.view")
    refuse_unknown_query(request, set(allowed))
    return selectors.village_visible(request.member, filters.village)


@router.get("/points/rules", response={200: list[RuleOut], **ERRORS}, summary="本村积分细则（现行版本）")
def rule_list(request, filters: Query[VillageQuery]):
    village = village_read(request, filters)
    return [
        {
            "code": r.code,
            "category": r.category,
            "name": r.name,
            "points": r.points,
            "evidence_required": r.evidence_required,
        }
        for r in selectors.rules_for(village)
    ]


@router.post(
    "/points/awards",
    response={201: AwardOut, 200: AwardOut, **WRITE_ERRORS},
    summary="申报赋分或扣分（网格员、网格长）",
)
def award_create(request, payload: AwardIn, idempotency_key: str | None = KEY):
    require_permission(request.member, "points.propose")
    household = selectors.household_visible(request.member, payload.household)
    award = services.award_propose(
        actor=request.member,
        household=household,
        rule_code=payload.rule,
        note=payload.note,
        evidence=payload.evidence,
        photos=payload.photos,
        idempotency_key=idempotency_key,
    )
    return Status(201, {"id": award.pk, "state": award.state})


@router.post(
    "/points/awards/{award_id}/approve", response={200: AwardOut, **WRITE_ERRORS}, summary="审核通过（村两委）"
)
def award_approve(request, award_id: Id):
    require_permission(request.member, "points.approve")
    award = services.award_approve(actor=request.member, award_id=award_id)
    return {"id": award.pk, "state": award.state}


@router.post("/points/awards/{award_id}/reject", response={200: AwardOut, **WRITE_ERRORS}, summary="驳回（须写明理由）")
def award_reject(request, award_id: Id, payload: RejectIn):
    require_permission(request.member, "points.approve")
    award = services.award_reject(actor=request.member, award_id=award_id, reason=payload.reason)
    return {"id": award.pk, "state": award.state}


@router.get("/households/{household_id}/points", response={200: LedgerOut, **ERRORS}, summary="户积分台账与余额")
def household_points(request, household_id: Id):
    require_permission(request.member, "points.view")
    household = selectors.household_visible(request.member, household_id)
    entries = [
        {"at": e.at, "rule": e.rule_code or e.kind, "points": e.points, "state": "approved"}
        for e in selectors.ledger(household)
    ]
    pending = [
        {"at": a.proposed_at, "rule": a.rule.code, "points": a.rule.points, "state": a.state}
        for a in selectors.pending_awards(household)
    ]
    return {"balance": selectors.balance_of(household), "entries": pending + entries}


@router.post(
    "/points/redemptions",
    response={201: RedemptionOut, **WRITE_ERRORS},
    summary="积分超市兑换（余额、库存同一事务核验）",
)
def redemption_create(request, payload: RedemptionIn, idempotency_key: str | None = KEY):
    require_permission(request.member, "points.redeem")
    household = selectors.household_visible(request.member, payload.household)
    r = services.redeem(
        actor=request.member,
        household=household,
        item_id=payload.item,
        quantity=payload.quantity,
        idempotency_key=idempotency_key,
    )
    body = {"id": r.pk, "household": r.household_id, "item": r.item_id, "quantity": r.quantity, "points": r.points}
    return Status(201, {**body, "balance": r.entry.balance_after, "at": r.at})


@router.get(
    "/points/board", response={200: BoardOut, **ERRORS}, summary="红黑榜（红榜仅列已同意公示的户，黑榜不列姓名）"
)
def board(request, filters: Query[BoardQuery]):
    village = village_read(request, filters, ("village", "month"))
    since, until = month_bounds(filters.month)
    return {"village": village.code, "month": filters.month, **selectors.board(village, since, until)}


# —— 申诉 (issue 16 part 2) ——


class AppealIn(Schema):
    grounds: Text = text_field(500, required=True, description="户提出的申诉理由")


class AppealDecideIn(Schema):
    upheld: bool = Field(..., description="true：申诉成立（冲正该笔积分）；false：不成立")
    decision: Text = text_field(500, required=True, description="处理意见")


class AppealOut(Schema):
    id: int
    entry: int
    household: int
    grounds: str
    state: Literal["open", "upheld", "dismissed"]
    decision: str
    filed_at: dt.datetime

    @staticmethod
    def resolve_entry(appeal) -> int:
        return appeal.entry_id

    @staticmethod
    def resolve_household(appeal) -> int:
        return appeal.entry.household_id


@router.get("/points/appeals", response={200: list[AppealOut], **ERRORS}, summary="本村待处理的申诉")
def appeal_list(request, filters: Query[VillageQuery]):
    village = village_read(request, filters)
    return list(selectors.appeals_open(request.member).filter(entry__village=village)[:200])


@router.post(
    "/points/entries/{entry_id}/appeal",
    response={201: AppealOut, **WRITE_ERRORS},
    summary="登记户对已入账积分的申诉（须在细则规定的申诉期内）",
)
def appeal_create(request, entry_id: Id, payload: AppealIn):
    require_permission(request.member, "points.approve")
    entry = selectors.entry_visible(request.member, entry_id)
    return Status(201, services.appeal_file(actor=request.member, entry=entry, grounds=payload.grounds))


@router.post(
    "/points/appeals/{appeal_id}/decide",
    response={200: AppealOut, **WRITE_ERRORS},
    summary="处理申诉（审核该笔积分的人须回避）",
)
def appeal_decide(request, appeal_id: Id, payload: AppealDecideIn):
    require_permission(request.member, "points.approve")
    appeal = selectors.appeal_visible(request.member, appeal_id)
    decided = services.appeal_decide(
        actor=request.member, appeal=appeal, upheld=payload.upheld, decision=payload.decision
    )
    return decided


# —— 微心愿 (issue 16 part 5) ——


class WishIn(Schema):
    household: Id
    text: Text = text_field(500, required=True, description="群众的微心愿")


class WishCloseIn(Schema):
    outcome: Text = text_field(500, required=True, description="办成了什么")


class WishDeclineIn(Schema):
    reason: Text = text_field(500, required=True, description="不予办理的理由")


class WishOut(Schema):
    id: int
    household: int
    text: str
    state: Literal["open", "fulfilled", "declined", "case"]
    outcome: str
    case_code: str
    recorded_at: dt.datetime

    @staticmethod
    def resolve_household(wish) -> int:
        return wish.household_id


@router.get("/points/wishes", response={200: list[WishOut], **ERRORS}, summary="本村微心愿（待认领的在前）")
def wish_list(request, filters: Query[VillageQuery]):
    village = village_read(request, filters)
    return selectors.wishes_of(request.member, village=village)


@router.post("/points/wishes", response={201: WishOut, **WRITE_ERRORS}, summary="记录群众微心愿（网格员、网格长）")
def wish_create(request, payload: WishIn):
    require_permission(request.member, "points.propose")
    household = selectors.household_visible(request.member, payload.household)
    return Status(201, services.wish_record(actor=request.member, household=household, text=payload.text))


@router.post("/points/wishes/{wish_id}/fulfil", response={200: WishOut, **WRITE_ERRORS}, summary="心愿已实现")
def wish_fulfil(request, wish_id: Id, payload: WishCloseIn):
    require_permission(request.member, "points.approve")
    wish = selectors.wish_visible(request.member, wish_id)
    return services.wish_close(actor=request.member, wish=wish, state="fulfilled", outcome=payload.outcome)


@router.post(
    "/points/wishes/{wish_id}/decline", response={200: WishOut, **WRITE_ERRORS}, summary="不予办理（须写明理由）"
)
def wish_decline(request, wish_id: Id, payload: WishDeclineIn):
    require_permission(request.member, "points.approve")
    wish = selectors.wish_visible(request.member, wish_id)
    try:
        closed = services.wish_close(actor=request.member, wish=wish, state="declined", outcome=payload.reason)
    except Invalid as refused:  # the service names its own field; this body calls it reason
        raise Invalid(refused.message, errors={"reason": refused.errors.get("outcome", [refused.message])}) from None
    return closed


@router.post(
    "/points/wishes/{wish_id}/case", response={200: WishOut, **WRITE_ERRORS}, summary="转为案件（网格上报的求助）"
)
def wish_case(request, wish_id: Id):
    require_permission(request.member, "points.approve")
    wish = selectors.wish_visible(request.member, wish_id)
    return services.wish_to_case(actor=request.member, wish=wish)


# —— 村民议事 (issue 16 part 5) ——


class DecisionIO(Schema):
    text: Text = text_field(300, required=True, description="议定事项")
    owner: Text = text_field(50, required=True, description="负责人")


class MeetingIn(Schema):
    village: str = Field(..., max_length=24, pattern=NO_NUL)
    kind: Literal["council", "group", "courtyard", "fireside"]
    held_at: dt.datetime = Field(..., description="召开时间（只记已召开的会议）")
    place: Text = text_field(100, required=True)
    attendance: int = Field(..., ge=1, le=100_000)
    wishes: list[Id] = Field([], max_length=50, description="议题：本村待认领的微心愿")
    notes: Text = text_field(500, description="其他议题（如待办案件、村务）")
    decisions: list[DecisionIO] = Field(..., min_length=1, max_length=50)


class MeetingOut(Schema):
    id: int
    village: str
    kind: str
    held_at: dt.datetime
    place: str
    attendance: int
    wishes: list[int]
    notes: str
    decisions: list[DecisionIO]


def _meeting(meeting, village) -> dict:
    return {
        "id": meeting.pk,
        "village": village.code,
        "kind": meeting.kind,
        "held_at": meeting.held_at,
        "place": meeting.place,
        "attendance": meeting.attendance,
        "wishes": [w.pk for w in meeting.wishes.all()],
        "notes": meeting.notes,
        "decisions": [{"text": d.text, "owner": d.owner} for d in meeting.decisions.all()],
    }


@router.get("/points/meetings", response={200: list[MeetingOut], **ERRORS}, summary="本村村民议事记录")
def meeting_list(request, filters: Query[VillageQuery]):
    village = village_read(request, filters)
    return [_meeting(m, village) for m in selectors.meetings_of(village)]


@router.post(
    "/points/meetings",
    response={201: MeetingOut, **WRITE_ERRORS},
    summary="记录已召开的议事会（议题取自待认领的微心愿，议定事项须有负责人）",
)
def meeting_create(request, payload: MeetingIn):
    require_permission(request.member, "points.approve")
    village = selectors.village_visible(request.member, payload.village)
    meeting = services.meeting_record(
        actor=request.member,
        village=village,
        kind=payload.kind,
        held_at=payload.held_at,
        place=payload.place,
        attendance=payload.attendance,
        wish_ids=payload.wishes,
        notes=payload.notes,
        decisions=[(d.text, d.owner) for d in payload.decisions],
    )
    return Status(201, _meeting(meeting, village))


# —— 最美农家 (issue 16 part 4) ——

YEAR = Field(..., ge=2000, le=2100)


class BestQuery(Schema):
    village: str = Field(..., max_length=24)
    year: int = YEAR


class BestIn(Schema):
    village: str = Field(..., max_length=24, pattern=NO_NUL)
    year: int = YEAR
    household: Id
    votes_for: int = Field(..., ge=0, le=100_000)
    voters: int = Field(..., ge=1, le=100_000)


class BestOut(Schema):
    household: int
    name: str
    points: int
    votes_for: int
    voters: int
    elected: bool


class BestBoardOut(Schema):
    village: str
    year: int
    candidates: list[RedOut]
    chosen: list[BestOut]


def _best(best) -> dict:
    head = best.household.head
    return {
        "household": best.household_id,
        "name": head.name if head else "",
        "points": best.points,
        "votes_for": best.votes_for,
        "voters": best.voters,
        "elected": best.elected,
    }


@router.get(
    "/points/best",
    response={200: BestBoardOut, **ERRORS},
    summary="最美农家：年度候选户（同意公示、积分靠前）与投票结果",
)
def best_board(request, filters: Query[BestQuery]):
    village = village_read(request, filters, ("village", "year"))
    chosen = selectors.best_families(village, filters.year)
    voted = {b.household_id for b in chosen}
    candidates = [row for row in selectors.best_candidates(village, filters.year) if row["household"] not in voted]
    return {
        "village": village.code,
        "year": filters.year,
        "candidates": candidates,
        "chosen": [_best(b) for b in chosen],
    }


@router.post("/points/best", response={201: BestOut, **WRITE_ERRORS}, summary="登记最美农家投票结果（过半数当选）")
def best_vote(request, payload: BestIn):
    require_permission(request.member, "points.approve")
    village = selectors.village_visible(request.member, payload.village)
    household = selectors.household_visible(request.member, payload.household)
    best = services.best_family_record(
        actor=request.member,
        village=village,
        year=payload.year,
        household=household,
        votes_for=payload.votes_for,
        voters=payload.voters,
    )
    return Status(201, _best(best))


# —— 自治报告 (issue 16 part 6: participation and fulfilled wishes, never volume per worker) ——


class ReportQuery(Schema):
    village: str = Field(..., max_length=24)
    month: str | None = Field(None, pattern=MONTH)
    year: int | None = Field(None, ge=2000, le=2100)


class FulfilledOut(Schema):
    id: int
    text: str
    outcome: str


class VillageReportOut(Schema):
    village: str
    period: str
    households: int
    taking_part: int
    share: int = Field(..., description="参与户占比（%）")
    redeeming: int
    wishes: int
    fulfilled: int
    to_case: int
    open: int
    meetings: int
    attendance: int
    fulfilled_wishes: list[FulfilledOut]


@router.get(
    "/points/report",
    response={200: VillageReportOut, **ERRORS},
    summary="村自治报告：参与户与已实现的微心愿（不按干部计件）",
)
def village_report(request, filters: Query[ReportQuery]):
    village = village_read(request, filters, ("village", "month", "year"))
    period, since, until = period_bounds(month=filters.month or "", year=str(filters.year or ""))
    report = selectors.village_report(village, since, until)
    fulfilled = [{"id": w.pk, "text": w.text, "outcome": w.outcome} for w in report.pop("fulfilled_list")]
    return {"village": village.code, "period": period, **report, "fulfilled_wishes": fulfilled}


# —— 红榜公示同意 (个人信息保护法 arts. 14, 15) ——


class BoardConsentIn(Schema):
    given: bool = Field(..., description="true：同意在红榜公示户名；false：撤回同意")


class BoardConsentOut(Schema):
    household: int
    given: bool


@router.post(
    "/households/{household_id}/points/consent",
    response={200: BoardConsentOut, **WRITE_ERRORS},
    summary="登记或撤回户在红榜公示的同意",
)
def consent_set(request, household_id: Id, payload: BoardConsentIn):
    require_permission(request.member, "points.approve")
    household = selectors.household_visible(request.member, household_id)
    if payload.given:
        services.consent_give(actor=request.member, household=household)
    else:
        services.consent_withdraw(actor=request.member, household=household)
    return {"household": household.pk, "given": selectors.consents(household)}
