"""API: cases (API.md "Cases"). Thin: find the case within the caller's scope, call the service.

Every action is its own path, /cases/{code}/actions/<action>, with its own body schema, so the
OpenAPI document states exactly what each step takes."""

from typing import Annotated, Literal

from django.http import Http404, HttpResponse
from ninja import Header, Path, Query, Router, Schema, Status
from ninja.security import django_auth

from yimen.cases import catalogue, documents, rules, selectors, services, timeline
from yimen.cases.models import LEVEL_NAMES, Case
from yimen.cases.schemas import (
    ACTION_BODIES,
    ArriveIn,
    CaseIn,
    CaseOut,
    CasePageOut,
    CaseQuery,
    CaseRegisteredOut,
    CatalogueRowOut,
    DocumentOut,
    EventOut,
    KindValue,
    PartyRegisterIn,
    PartyRegisterOut,
    PartyRevealIn,
    PartyRevealOut,
    PersonCasesQuery,
    PublicCaseOut,
    RatingIn,
    WhistleIn,
    WhistleOut,
    WhistleRateIn,
    WhistleReleaseIn,
)
from yimen.core.documents import DOCX
from yimen.core.errors import NotFound
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, ID_MAX, ErrorOut, parse_id, refuse_unknown_query
from yimen.geo.models import Region
from yimen.org.auth import BearerAuth
from yimen.people.selectors import person_get_readable

router = Router(tags=["案件"])
WRITE_ERRORS = {400: ErrorOut, **ERRORS}  # 400: a body that is not JSON


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
    "take": "首接单位（派单目录列其为主办时）",
    "note": "承办单位、首接单位、派单员、窗口受理员、网格长",
}


# --------------------------------------------------------------------------------------------
# Answers


def case_out(case: Case, member) -> dict:
    return {
        "code": case.code,
        "kind": case.kind,
        "title": case.title,
        "description": case.description,
        "channel": case.channel,
        "source_ref": case.source_ref,
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
    response={201: CaseRegisteredOut, 200: CaseRegisteredOut, **WRITE_ERRORS},
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
    if registered.created:
        case = selectors.case_as_registered(member=request.member, case=registered.case)
    else:
        case = selectors.case_get_visible(member=request.member, code=registered.case.code)
    # A replay says so: 200 with the first answer's body (README: idempotent creates).
    body = {**case_out(case, request.member), "public_token": case.public_token}
    return Status(201 if registered.created else 200, body)


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
        sort=filters.sort,
    )
    count, exact, rows = selectors.case_page(
        member=request.member, filters=wanted, page=filters.page, page_size=filters.page_size
    )
    return {"count": count, "count_exact": exact, "items": [_item(c) for c in rows]}


@router.get(
    "/persons/{person_id}/cases",
    response={200: CasePageOut, **ERRORS},
    summary="某人的案件（仅本人可见范围）",
    description="关联该人员的当事人，或身份证号、手机号与之相同的当事人（盲索引比对）；人员不在辖区内 → 404。",
)
def person_case_list(
    request,
    person_id: Annotated[int, Path(ge=1, le=ID_MAX, description="人员编号")],
    paging: Query[PersonCasesQuery],
):
    require_permission(request.member, "case.view")
    require_permission(request.member, "person.view")
    refuse_unknown_query(request, PersonCasesQuery.model_fields)
    person = person_get_readable(member=request.member, person_id=person_id)  # the cases stay the member's own
    cases = selectors.person_cases(member=request.member, person=person)
    start = (paging.page - 1) * paging.page_size
    count, exact = selectors.count_capped(cases)
    return {"count": count, "count_exact": exact, "items": [_item(c) for c in cases[start : start + paging.page_size]]}


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
            "contact": e.data.get("contact") if e.action == "note" else None,
        }
        for e in selectors.case_timeline(case=case)
    ]


@router.get("/cases/{code}/documents", response={200: list[DocumentOut], **ERRORS}, summary="案件文书")
def case_documents(request, code: str):
    return selectors.case_documents(case=_visible(request, code), member=request.member)


DOCUMENT_RESPONSE = {
    "responses": {
        "200": {
            "description": "PDF 或 DOCX",
            "content": {
                content_type: {"schema": {"type": "string", "format": "binary"}}
                for content_type in ("application/pdf", DOCX)
            },
        }
    }
}


@router.get(
    "/cases/{code}/documents/{kind}",
    response=ERRORS,
    summary="下载文书（PDF 或 DOCX）",
    openapi_extra=DOCUMENT_RESPONSE,
)
def case_document_download(request, code: str, kind: str, format: Literal["pdf", "docx"] = "pdf"):
    refuse_unknown_query(request, {"format"})
    case = _visible(request, code)
    try:
        body, content_type, filename = documents.document_file(
            case=case, kind=kind, fmt=format, member=request.member, absolute=request.build_absolute_uri
        )
    except Http404 as exc:
        raise NotFound(str(exc)) from exc
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
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
        summary=f"{timeline.label(action)}（{who}）",
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


@router.post(
    "/cases/{code}/parties/{index}/reveal",
    response={200: PartyRevealOut, **WRITE_ERRORS},
    summary="查看当事人完整电话和身份证号（承办单位；须说明目的，记入审计日志）",
)
def case_party_reveal(
    request, code: str, index: Annotated[int, Path(ge=0, le=999)], payload: PartyRevealIn, response: HttpResponse
):
    case = _visible(request, code)
    response["Cache-Control"] = "no-store"
    return services.case_party_reveal(
        case=case, actor=request.member, index=index, purpose=payload.purpose, ip=request.META.get("REMOTE_ADDR", "")
    )


@router.post(
    "/cases/{code}/parties/{index}/register",
    response={201: PartyRegisterOut, **WRITE_ERRORS},
    summary="当事人登记到民情档案并关联（维护实有人口的角色）",
    description="按受理时所填姓名、身份证号、电话登记为该微网格的实有人口；同一身份证号已在本辖区登记则直接关联。",
)
def case_party_register(request, code: str, index: Annotated[int, Path(ge=0, le=999)], payload: PartyRegisterIn):
    case = _visible(request, code)
    region = Region.objects.filter(code=payload.region).first()
    person = services.case_party_register(case=case, actor=request.member, index=index, region=region)
    return Status(201, {"person": person.pk})


# --------------------------------------------------------------------------------------------
# The citizen's lookup (no login, no personal data)


@router.get(
    "/public/cases/{public_token}",
    auth=None,
    response={200: PublicCaseOut, 404: ErrorOut, 429: ErrorOut},
    summary="群众查询办理进度",
)
def public_case(request, public_token: str):
    case = selectors.public_case_get(token=public_token)
    return _public(case)


def _public(case: Case) -> dict:
    return {
        "code": case.code,
        "state": case.state,
        "state_label": selectors.public_state_label(case),
        "steps": selectors.public_steps(case=case),
        "clocks": selectors.public_clocks(case=case),
        "can_rate": case.public_rating_open,
    }


@router.post(
    "/public/cases/{public_token}/rating",
    auth=None,
    response={200: PublicCaseOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="群众评价（办结后一次）",
)
def public_rating(request, public_token: str, payload: RatingIn):
    case = services.case_rate_public(token=public_token, rating=payload.rating, note=payload.note, code=payload.code)
    return _public(case)


# --------------------------------------------------------------------------------------------
# 吹哨报到 (API.md "吹哨报到"): beside the case, so no version is sent (services/whistles.py)


def whistle_out(whistle) -> dict:
    user = whistle.summoned_by_user
    return {
        "id": whistle.pk,
        "summoned_at": whistle.summoned_at,
        "summoned_by": user.name or user.username,
        "summoned_by_unit": whistle.summoned_by_unit.code,
        "place": whistle.place,
        "reason": whistle.reason,
        "arrive_within_minutes": whistle.arrive_within_minutes,
        "open": whistle.is_open,
        "released_at": whistle.released_at,
        "release_note": whistle.release_note,
        "units": [
            {
                "unit": call.unit.code,
                "unit_name": call.unit.name,
                "due_at": call.due_at,
                "arrived_at": call.arrived_at,
                "late": call.late,
                "location": {"lat": call.lat, "lng": call.lng} if call.lat is not None else None,
                "rating": call.rating,
                "rated_at": call.rated_at,
            }
            for call in whistle.calls.all()
        ],
    }


def _whistle(request, code: str, whistle_id: str):
    case = _visible(request, code)
    return selectors.whistle_get(case=case, whistle_id=parse_id(whistle_id, field="id"))


def _fresh(whistle) -> dict:
    return whistle_out(selectors.whistle_get(case=whistle.case, whistle_id=whistle.pk))


@router.get("/cases/{code}/whistles", response={200: list[WhistleOut], **ERRORS}, summary="吹哨报到记录（未撤哨在前）")
def whistle_list(request, code: str):
    return [whistle_out(w) for w in selectors.case_whistles(case=_visible(request, code))]


@router.post("/cases/{code}/whistles", response={201: WhistleOut, **WRITE_ERRORS}, summary="吹哨（政法委员、派单员）")
def whistle_create(request, code: str, payload: WhistleIn):
    case = _visible(request, code)
    whistle = services.whistle_blow(case=case, actor=request.member, **payload.model_dump())
    return Status(201, _fresh(whistle))


@router.post(
    "/cases/{code}/whistles/{whistle_id}/arrive",
    response={200: WhistleOut, **WRITE_ERRORS},
    summary="报到（被召集单位，每单位一次）",
    auth=[BearerAuth(), django_auth],  # also the phone app's signed-in session (/m/, with CSRF)
)
def whistle_arrive(request, code: str, whistle_id: str, payload: ArriveIn):
    whistle = _whistle(request, code, whistle_id)
    services.whistle_arrive(whistle=whistle, actor=request.member, location=payload.model_dump()["location"])
    return _fresh(whistle)


@router.post(
    "/cases/{code}/whistles/{whistle_id}/rate",
    response={200: WhistleOut, **WRITE_ERRORS},
    summary="报到评价（吹哨一方，报到后）",
)
def whistle_rate(request, code: str, whistle_id: str, payload: WhistleRateIn):
    whistle = _whistle(request, code, whistle_id)
    services.whistle_rate(whistle=whistle, actor=request.member, unit=payload.unit, rating=payload.rating)
    return _fresh(whistle)


@router.post(
    "/cases/{code}/whistles/{whistle_id}/release",
    response={200: WhistleOut, **WRITE_ERRORS},
    summary="撤哨（吹哨一方，须说明理由）",
)
def whistle_release(request, code: str, whistle_id: str, payload: WhistleReleaseIn):
    whistle = _whistle(request, code, whistle_id)
    services.whistle_release(whistle=whistle, actor=request.member, reason=payload.reason)
    return _fresh(whistle)
