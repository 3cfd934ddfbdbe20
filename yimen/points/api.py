"""API: 积分制 (API.md "Points (积分制)"). Thin: find the record within the caller's scope (404
otherwise), call the service."""

import datetime as dt
from typing import Literal

from ninja import Header, Query, Router, Schema, Status
from pydantic import Field

from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, ErrorOut, Id, refuse_unknown_query
from yimen.points import selectors, services
from yimen.points.months import MONTH_PATTERN, month_bounds

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


@router.get("/points/rules", response={200: list[RuleOut], **ERRORS}, summary="本村积分细则（现行版本）")
def rule_list(request, filters: Query[VillageQuery]):
    require_permission(request.member, "points.view")
    refuse_unknown_query(request, {"village"})
    village = selectors.village_visible(request.member, filters.village)
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
    require_permission(request.member, "points.view")
    refuse_unknown_query(request, {"village", "month"})
    village = selectors.village_visible(request.member, filters.village)
    since, until = month_bounds(filters.month)
    return {"village": village.code, "month": filters.month, **selectors.board(village, since, until)}
