"""API: cases (API.md "Cases"). Thin: find the case within the caller's scope, call the service.

Every action is its own path, /cases/{code}/actions/<action>, with its own body schema, so the
OpenAPI document states exactly what each step takes."""

from typing import Annotated, Literal

from django.http import Http404, HttpResponse
from ninja import Header, Path, Query, Router, Schema, Status

from yimen.cases import catalogue, documents, rules, selectors, services, timeline
from yimen.cases.models import LEVEL_NAMES, Case
from yimen.cases.schemas import (
    ACTION_BODIES,
    CaseIn,
    CaseOut,
    CasePageOut,
    CaseQuery,
    CaseRegisteredOut,
    CatalogueRowOut,
    DocumentOut,
    EventOut,
    KindValue,
    PartyRevealIn,
    PartyRevealOut,
    PublicCaseOut,
    RatingIn,
)
from yimen.core.documents import DOCX
from yimen.core.errors import NotFound
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, ErrorOut, refuse_unknown_query

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
        "state_label": case.get_state_display(),
        "steps": selectors.public_steps(case=case),
        "can_rate": case.public_rating_open,
    }


@router.post(
    "/public/cases/{public_token}/rating",
    auth=None,
    response={200: PublicCaseOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="群众评价（办结后一次）",
)
def public_rating(request, public_token: str, payload: RatingIn):
    case = services.case_rate_public(token=public_token, rating=payload.rating, note=payload.note)
    return _public(case)
