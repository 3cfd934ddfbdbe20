"""API: the 快警站 — lost and found, missing persons, the call list, tourist help and the station's
day (API.md "快警站"). Thin: find the record within the caller's scope (404 otherwise), call the
service."""

from django.utils import timezone
from ninja import Query, Router, Status

from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS
from yimen.emergency import selectors, services
from yimen.emergency.api.common import WRITE_ERRORS, once
from yimen.emergency.models import LostItem, MissingPerson
from yimen.emergency.schemas import (
    CallListIn,
    CallListOut,
    DayQuery,
    HandOverIn,
    HelpIn,
    HelpOut,
    LostItemIn,
    LostItemOut,
    MatchOut,
    MissingIn,
    MissingOut,
    RemovalReasonIn,
    ReturnIn,
    SightingIn,
    SightingOut,
    StationDayOut,
    TaskNoteIn,
)

router = Router(tags=["应急指挥与快警站"])


def _item(i: LostItem) -> dict:
    return {
        "id": i.pk,
        "kind": i.kind,
        "description": i.description,
        "place": i.place,
        "at": i.at,
        "state": i.state,
        "returned_to": i.returned_to,
        "registered_at": i.registered_at,
        "handed_to": i.handed_to,
        "handed_signed_by": i.handed_signed_by,
        "handed_at": i.handed_at,
    }


@router.post("/lost-items", response={201: LostItemOut, **WRITE_ERRORS}, summary="失物/拾物登记")
def lost_item_create(request, payload: LostItemIn):
    fields = payload.model_dump()

    def make():
        return services.lost_item_record(actor=request.member, **fields)

    require_permission(request.member, "lostfound.record")
    return Status(201, _item(once(request, "lost_item", fields, make, LostItem)))


@router.get(
    "/lost-items/due", response={200: list[LostItemOut], **ERRORS}, summary="招领期满待上交的拾得物品（民法典第318条）"
)
def lost_items_due(request):
    before = services.handover_due_before(timezone.now())
    return [_item(i) for i in selectors.lost_items_due(request.member, before)[:200]]


@router.post("/lost-items/{item_id}/hand-over", response={200: LostItemOut, **WRITE_ERRORS}, summary="上交无人认领物品")
def lost_item_hand_over(request, item_id: int, payload: HandOverIn):
    item = selectors.lost_item_get(request.member, item_id)
    return _item(services.lost_item_hand_over(actor=request.member, item=item, **payload.model_dump()))


@router.get("/lost-items/{item_id}/matches", response={200: list[MatchOut], **ERRORS}, summary="可能匹配的物品")
def lost_item_matches(request, item_id: int):
    item = selectors.lost_item_get(request.member, item_id)
    return [{**_item(c), "score": score} for c, score in selectors.lost_item_matches(request.member, item)]


@router.post("/lost-items/{item_id}/return", response={200: LostItemOut, **WRITE_ERRORS}, summary="发还物品")
def lost_item_return(request, item_id: int, payload: ReturnIn):
    item = selectors.lost_item_get(request.member, item_id)
    return _item(services.lost_item_return(actor=request.member, item=item, **payload.model_dump()))


def _missing(p: MissingPerson) -> dict:
    minutes = int((p.found_at - p.reported_at).total_seconds() // 60) if p.found_at else None
    return {
        "id": p.pk,
        "name": p.name,
        "state": p.state,
        "last_seen_at": p.last_seen_at,
        "place": p.place,
        "alerted": p.alerted,
        "found_at": p.found_at,
        "minutes_to_find": minutes,
    }


@router.post("/missing-persons", response={201: MissingOut, **WRITE_ERRORS}, summary="走失人员登记（立即通知）")
def missing_create(request, payload: MissingIn):
    fields = payload.model_dump()

    def make():
        return services.missing_person_report(actor=request.member, **fields)

    require_permission(request.member, "lostfound.record")
    return Status(201, _missing(once(request, "missing_person", fields, make, MissingPerson)))


@router.post("/missing-persons/{person_id}/found", response={200: MissingOut, **WRITE_ERRORS}, summary="已找到")
def missing_found(request, person_id: int, payload: TaskNoteIn):
    person = selectors.missing_get(request.member, person_id)
    return _missing(services.missing_person_found(actor=request.member, person=person, note=payload.note))


@router.post(
    "/missing-persons/{person_id}/sightings", response={201: SightingOut, **WRITE_ERRORS}, summary="登记走失人员线索"
)
def missing_sighting(request, person_id: int, payload: SightingIn):
    person = selectors.missing_get(request.member, person_id)
    row = services.missing_person_sighting(actor=request.member, person=person, **payload.model_dump())
    return Status(
        201,
        {"id": row.pk, "person": person.pk, "place": row.place, "at": row.at, "note": row.note, "by": row.by.user.name},
    )


def _entry(e) -> dict:
    return {
        "id": e.pk,
        "name": e.name,
        "phone": e.phone_masked,
        "note": e.note,
        "removed_at": e.removed_at,
        "removed_reason": e.removed_reason,
    }


@router.get("/station/call-list", response={200: list[CallListOut], **ERRORS}, summary="快警站通知名单（含已移出）")
def call_list(request):
    return [_entry(e) for e in selectors.call_list(request.member)]


@router.post("/station/call-list", response={201: CallListOut, **WRITE_ERRORS}, summary="加入通知名单")
def call_list_add(request, payload: CallListIn):
    return Status(201, _entry(services.call_list_add(actor=request.member, **payload.model_dump())))


@router.post(
    "/station/call-list/{entry_id}/remove",
    response={200: CallListOut, **WRITE_ERRORS},
    summary="移出通知名单（须写原因）",
)
def call_list_remove(request, entry_id: int, payload: RemovalReasonIn):
    entry = selectors.call_list_entry_get(request.member, entry_id)
    return _entry(services.call_list_remove(actor=request.member, entry=entry, reason=payload.reason))


@router.post("/station/help", response={201: HelpOut, **WRITE_ERRORS}, summary="游客求助登记（一键）")
def station_help(request, payload: HelpIn):
    row = services.tourist_help_record(actor=request.member, kind=payload.kind, note=payload.note)
    return Status(201, {"id": row.pk, "kind": row.kind, "note": row.note, "at": row.at})


@router.get("/station/day", response={200: StationDayOut, **ERRORS}, summary="快警站当日工作数据")
def station_day(request, filters: Query[DayQuery]):
    day = selectors.station_day(request.member, filters.date or timezone.localdate())
    return {**day, "date": day.pop("day")}
