"""API: citizens' own doors (API.md "Citizens (no login)"): phone codes, 随手拍, lookup by code,
the rating's code, and the demo's SMS outbox. Every /public/ path is rate-limited by core.ratelimit."""

from django.conf import settings
from django.http import Http404
from ninja import Query, Router, Schema, Status
from ninja.security import django_auth

from yimen.cases import selectors as case_selectors
from yimen.citizens import selectors, services
from yimen.citizens.dictionary import dictionary
from yimen.citizens.schemas import (
    CitizenReportIn,
    CitizenReportOut,
    CommentIn,
    OutboxOut,
    PublicLookupOut,
    SentOut,
    VerifyIn,
)
from yimen.citizens.services.codes import clean_mobile
from yimen.citizens.sms import outbox_visible
from yimen.core.schemas import ErrorOut, refuse_unknown_query
from yimen.org.auth import BearerAuth

router = Router(tags=["群众自助"])
PUBLIC_ERRORS = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def public_case_out(case) -> dict:
    return {
        "code": case.code,
        "state": case.state,
        "state_label": case_selectors.public_state_label(case),
        "steps": case_selectors.public_steps(case=case),
        "clocks": case_selectors.public_clocks(case=case),
        "can_rate": case.public_rating_open,
    }


def _sent() -> dict:
    return {"sent": True, "expires_in": settings.YIMEN_SMS_CODE_MINUTES * 60}


@router.post("/public/verify", auth=None, response={200: SentOut, **PUBLIC_ERRORS}, summary="获取短信验证码（随手拍）")
def verify(request, payload: VerifyIn):
    services.code_send(phone=payload.phone, ip=_ip(request))
    return _sent()


def report_out(citizen) -> dict:
    report = citizen.report
    case = report.case
    return {
        "public_token": citizen.public_token,
        "state": report.state,
        "state_label": report.get_state_display(),
        "created_at": citizen.created_at,
        "case": {"code": case.code, "public_token": case.public_token} if case else None,
    }


@router.post(
    "/public/reports", auth=None, response={201: CitizenReportOut, **PUBLIC_ERRORS}, summary="随手拍：群众反映问题"
)
def report_create(request, payload: CitizenReportIn):
    photos = ([payload.photo] if payload.photo else []) + list(payload.photos)
    citizen = services.citizen_report_submit(
        phone=payload.phone,
        code=payload.code,
        text=payload.text,
        kind=payload.kind,
        region=payload.region,
        location=payload.location.dict() if payload.location else None,
        photos=photos,
        ip=_ip(request),
    )
    return Status(201, report_out(citizen))


@router.get(
    "/public/reports/{public_token}",
    auth=None,
    response={200: CitizenReportOut, 404: ErrorOut, 429: ErrorOut},
    summary="随手拍办理情况",
)
def report_get(request, public_token: str):
    return report_out(selectors.citizen_report_get(token=public_token))


class LookupQuery(Schema):
    code: str
    phone_last4: str


@router.get(
    "/public/cases", auth=None, response={200: PublicLookupOut, **PUBLIC_ERRORS}, summary="凭案件编码和手机后四位查询"
)
def lookup(request, query: Query[LookupQuery]):
    refuse_unknown_query(request, {"code", "phone_last4"})
    case = selectors.case_by_code(code=query.code, phone_last4=query.phone_last4)
    return lookup_out(case)


@router.post(
    "/public/cases/{public_token}/verify",
    auth=None,
    response={200: SentOut, **PUBLIC_ERRORS},
    summary="评价前获取短信验证码（发到登记的申请人手机，不显示号码）",
)
def rating_verify(request, public_token: str):
    case = case_selectors.public_case_get(token=public_token)
    services.rating_code_send(case=case, ip=_ip(request))
    return _sent()


@router.post(
    "/public/cases/{public_token}/comments",
    auth=None,
    response={201: PublicLookupOut, **PUBLIC_ERRORS},
    summary="群众补充情况（凭发到申请人手机的验证码；承办单位在案件办理记录中看到）",
)
def comment(request, public_token: str, payload: CommentIn):
    case = case_selectors.public_case_get(token=public_token)
    case = services.citizen_comment(case=case, code=payload.code, text=payload.text)
    return Status(201, lookup_out(case))


def lookup_out(case) -> dict:
    return {**public_case_out(case), "public_token": case.public_token, "answer": selectors.answer(case=case)}


@router.get("/dictionary", auth=None, response={200: list[dict], 429: ErrorOut}, summary="数据字典（公开字段）")
def data_dictionary(request):
    return dictionary()


@router.get(
    "/demo/outbox",
    auth=[BearerAuth(), django_auth],
    response={200: list[OutboxOut], 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="演示：短信发件箱（仅演示环境）",
)
def demo_outbox(request, to: str):
    if not outbox_visible():
        raise Http404
    phone = clean_mobile(to)
    return [
        {"to": m.to_phone_masked, "message": m.message, "sent_at": m.sent_at} for m in selectors.outbox(phone=phone)
    ]
