"""Citizens' pages (no login): the rating's SMS code from the progress page, and 随手拍 at /s/ —
a small page for WeChat's browser and old Android phones; static JS calls the public API."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST

from yimen.cases import selectors as case_selectors
from yimen.citizens import selectors, services
from yimen.core.errors import DomainError
from yimen.core.permissions import public
from yimen.geo.models import Region


@public
@require_POST
def rating_verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        case = case_selectors.public_case_get(token=token)
    except Http404:
        return TemplateResponse(request, "cases/public_missing.html", status=404)
    try:
        services.rating_code_send(case=case, ip=request.META.get("REMOTE_ADDR", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "验证码已发送到登记的手机，请在下方填写。")
    return redirect("cases:public", token=token)


@public
@require_GET
def report_page(request: HttpRequest) -> HttpResponse:
    villages = Region.objects.filter(level=Region.Level.VILLAGE).order_by("code").only("code", "name")
    return TemplateResponse(request, "citizens/report.html", {"villages": villages})


@public
@require_GET
def report_status(request: HttpRequest, token: str) -> HttpResponse:
    citizen = selectors.citizen_report_get(token=token)
    case = citizen.report.case
    context = {"citizen": citizen, "case": case, "answer": selectors.answer(case=case) if case else ""}
    return TemplateResponse(request, "citizens/status.html", context)


@public
@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    code, last4 = request.GET.get("code", "").strip(), request.GET.get("phone_last4", "").strip()
    if code or last4:
        try:
            case = selectors.case_by_code(code=code, phone_last4=last4)
        except Http404:
            messages.error(request, "未找到：请核对案件编码和手机号后四位。")
        else:
            return redirect("cases:public", token=case.public_token)
    return TemplateResponse(request, "citizens/lookup.html", {"code": code})
