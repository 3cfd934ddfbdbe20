"""API: mediation (API.md "Mediation, documents"). Thin: find the case within the caller's scope
(404 otherwise), call the service. Each write appends one timeline event to the case."""

from django.http import Http404
from ninja import Query, Router, Schema, Status

from yimen.cases import selectors as case_selectors
from yimen.cases.models import Case
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, ErrorOut, parse_id, refuse_unknown_query
from yimen.mediation import selectors, services
from yimen.mediation.models import Mediator, Session
from yimen.mediation.schemas import (
    AgreementIn,
    AgreementOut,
    ConfirmationAcceptIn,
    ConfirmationApplyIn,
    ConfirmationDecisionIn,
    ConfirmationExtendIn,
    ConfirmationOut,
    ConsentIn,
    EndIn,
    ExtensionIn,
    MediationOut,
    MediatorIn,
    MediatorOut,
    MediatorUpdateIn,
    PerformanceIn,
    SessionIn,
    SessionOut,
    TeamIn,
)

router = Router(tags=["调解（三调联动）"])
WRITE_ERRORS = {400: ErrorOut, **ERRORS}


class MediatorQuery(Schema):
    region: str | None = None


def _mediator(m: Mediator) -> dict:
    return {"id": m.pk, "name": m.name, "kind": m.kind, "region": m.region.code, "skills": m.skills}


def _session(s: Session) -> dict:
    return {
        "id": s.pk,
        "held_at": s.held_at,
        "place": s.place,
        "mediators": [m.pk for m in s.mediators.all()],
        "attendees": s.attendees,
        "minutes": s.minutes,
        "outcome": s.outcome,
    }


def _case(request, code: str, perm: str = "mediation.record") -> Case:
    require_permission(request.member, perm)
    return case_selectors.case_get_visible(member=request.member, code=code)


@router.get("/mediators", response={200: list[MediatorOut], **ERRORS}, summary="调解员（按区划，含服务该区域的调解员）")
def mediator_list(request, filters: Query[MediatorQuery]):
    require_permission(request.member, "mediation.view")
    refuse_unknown_query(request, {"region"})
    region = selectors.region_visible(request.member, filters.region) if filters.region is not None else None
    return [_mediator(m) for m in selectors.mediators_in(request.member, region)]


@router.post("/mediators", response={201: MediatorOut, **WRITE_ERRORS}, summary="登记调解员（派单员、司法所）")
def mediator_create(request, payload: MediatorIn):
    return Status(201, _mediator(services.mediator_save(actor=request.member, **payload.model_dump())))


@router.put("/mediators/{mediator_id}", response={200: MediatorOut, **WRITE_ERRORS}, summary="修改调解员（带 version）")
def mediator_update(request, mediator_id: int, payload: MediatorUpdateIn):
    require_permission(request.member, "mediator.manage")
    mediator = selectors.mediator_for_edit(request.member, mediator_id)
    fields = payload.model_dump()
    return _mediator(services.mediator_save(actor=request.member, mediator=mediator, **fields))


@router.get(
    "/cases/{code}/mediation",
    response={200: MediationOut, **ERRORS},
    summary="案件的调解（调解组、意愿、记录、协议、司法确认）",
)
def mediation_detail(request, code: str):
    case = _case(request, code, "mediation.view")
    mediation = selectors.mediation_for_panel(case)
    if mediation is None:
        raise Http404
    agreement = selectors.one_or_none(mediation, "agreement")
    confirmation = selectors.one_or_none(agreement, "confirmation")
    return {
        "case": case.code,
        "version": case.version,
        "committee": mediation.committee,
        "level": mediation.level,
        "result": mediation.result,
        "started_at": mediation.started_at,
        "due": mediation.due,
        "extension_days": mediation.extension_days,
        "ended_at": mediation.ended_at,
        "next_channel": mediation.next_channel,
        "team": [
            {"mediator": t.mediator_id, "name": t.mediator.name, "role": t.role, "is_chief": t.is_chief}
            for t in mediation.team.all()
        ],
        "consents": [
            {"party": c.party_id, "name": c.party.name, "consented": c.consented, "manner": c.manner, "at": c.at}
            for c in mediation.consents.all()
        ],
        "sessions": [_session(s) for s in mediation.sessions.all()],
        "agreement": agreement
        and {
            "signed_at": agreement.signed_at,
            "oral": agreement.oral,
            "partial": agreement.partial,
            "mediator": agreement.mediator_id,
            "copies": agreement.copies,
            "performance_due": agreement.performance_due,
            "confirm_by": agreement.confirm_by,
            "performance": agreement.performance,
        },
        "confirmation": confirmation and _confirmation(confirmation),
    }


def _confirmation(c) -> dict:
    return {
        "court": c.court.code,
        "state": c.state,
        "applied_on": c.applied_on,
        "accept_due": c.accept_due,
        "accepted_on": c.accepted_on,
        "decide_due": c.decide_due,
        "extended": c.extended,
        "decided_on": c.decided_on,
    }


@router.post(
    "/cases/{code}/mediation/team", response={201: MediationOut, **WRITE_ERRORS}, summary="组建调解组（主办单位）"
)
def mediation_team(request, code: str, payload: TeamIn):
    case = _case(request, code)
    roles = {parse_id(key, field="roles"): role for key, role in payload.roles.items()}
    services.mediation_team_assemble(
        case=case,
        actor=request.member,
        version=payload.version,
        members=payload.members,
        roles=roles,
        chief=payload.chief,
        without_consent_reason=payload.without_consent_reason,
    )
    return Status(201, mediation_detail(request, code))


@router.post(
    "/cases/{code}/mediation/consents", response={201: MediationOut, **WRITE_ERRORS}, summary="记录当事人调解意愿"
)
def mediation_consent(request, code: str, payload: ConsentIn):
    services.mediation_consent_record(case=_case(request, code), actor=request.member, **payload.model_dump())
    return Status(201, mediation_detail(request, code))


@router.post(
    "/cases/{code}/mediation/sessions",
    response={201: SessionOut, **WRITE_ERRORS},
    summary="记录调解（主办单位的承办人或调解员）",
)
def mediation_session(request, code: str, payload: SessionIn):
    session = services.mediation_session_record(case=_case(request, code), actor=request.member, **payload.model_dump())
    return Status(201, _session(session))


@router.post(
    "/cases/{code}/mediation/extension",
    response={201: MediationOut, **WRITE_ERRORS},
    summary="延长调解期限（须双方当事人同意）",
)
def mediation_extension(request, code: str, payload: ExtensionIn):
    services.mediation_extend(case=_case(request, code), actor=request.member, **payload.model_dump())
    return Status(201, mediation_detail(request, code))


@router.post(
    "/cases/{code}/mediation/end",
    response={201: MediationOut, **WRITE_ERRORS},
    summary="终止调解（调解不成或当事人不同意）",
)
def mediation_end(request, code: str, payload: EndIn):
    services.mediation_end(case=_case(request, code), actor=request.member, **payload.model_dump())
    return Status(201, mediation_detail(request, code))


@router.post(
    "/cases/{code}/mediation/agreement",
    response={201: AgreementOut, **WRITE_ERRORS},
    summary="登记调解协议；书面协议出具调解协议书（DOCX、PDF）",
    description="缺少人民调解法第二十九条规定的内容 → 422，errors 标出缺少的字段。",
)
def mediation_agreement(request, code: str, payload: AgreementIn):
    case = _case(request, code)
    services.mediation_agreement_record(case=case, actor=request.member, **payload.model_dump())
    documents = [d for d in case_selectors.case_documents(case=case, member=request.member) if d["kind"] == "agreement"]
    return Status(201, {"documents": documents})


@router.post(
    "/cases/{code}/mediation/performance", response={201: MediationOut, **WRITE_ERRORS}, summary="协议履行回访"
)
def mediation_performance(request, code: str, payload: PerformanceIn):
    services.performance_record(case=_case(request, code), actor=request.member, **payload.model_dump())
    return Status(201, mediation_detail(request, code))


@router.post(
    "/cases/{code}/mediation/court-confirmation",
    response={201: ConfirmationOut, **WRITE_ERRORS},
    summary="申请司法确认（协议生效 30 日内）",
)
def confirmation_apply(request, code: str, payload: ConfirmationApplyIn):
    found = services.court_confirmation_apply(
        case=_case(request, code),
        actor=request.member,
        version=payload.version,
        applied_on=payload.applied_on,
        court=payload.court or None,
    )
    return Status(201, _confirmation(found))


@router.post(
    "/cases/{code}/mediation/court-confirmation/accept",
    response={200: ConfirmationOut, **WRITE_ERRORS},
    summary="法院受理司法确认（3 日内；受理申请的法庭承办人）",
    description="调解一方 → 403 court_only；其他法院 → 404（看不到该案）。",
)
def confirmation_accept(request, code: str, payload: ConfirmationAcceptIn):
    return _confirmation(
        services.court_confirmation_accept(case=_case(request, code), actor=request.member, **payload.model_dump())
    )


@router.post(
    "/cases/{code}/mediation/court-confirmation/extend",
    response={200: ConfirmationOut, **WRITE_ERRORS},
    summary="延长审查期限（一次，10 日；法庭承办人）",
)
def confirmation_extend(request, code: str, payload: ConfirmationExtendIn):
    return _confirmation(
        services.court_confirmation_extend(case=_case(request, code), actor=request.member, **payload.model_dump())
    )


@router.post(
    "/cases/{code}/mediation/court-confirmation/decision",
    response={200: ConfirmationOut, **WRITE_ERRORS},
    summary="司法确认裁定（受理后 15 日内；法庭承办人）",
    description="调解一方不能确认协议有效 → 403 court_only。",
)
def confirmation_decision(request, code: str, payload: ConfirmationDecisionIn):
    return _confirmation(
        services.court_confirmation_decide(case=_case(request, code), actor=request.member, **payload.model_dump())
    )
