"""吹哨报到 on the case page: the panel (open whistles first, each unit's clock, arrival and
rating) and its four forms — blow (政法委员, dispatcher), arrive (a summoned unit's member), rate
and release (the summoner's side). A refused form is drawn again with what was typed."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from yimen.cases import selectors, services
from yimen.cases.forms import ArriveForm, WhistleForm, WhistleRateForm, WhistleReleaseForm
from yimen.cases.models import Case, Whistle
from yimen.core.errors import DomainError, Invalid
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.core.schemas import parse_id

from .common import safe_next
from .detail import _render
from .whistle_panel import Failed


def _redraw(request: HttpRequest, case: Case, failed: Failed, status: int) -> HttpResponse:
    return _render(request, case, whistle_failed=failed, status=status)


def _done(request: HttpRequest, case: Case, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("cases:detail", code=case.code)


def _run(request, case: Case, failed: Failed, call) -> HttpResponse | None:
    """Call the service; on a refusal, the page again with the form and its messages."""
    try:
        call()
    except DomainError as exc:
        add_service_errors(failed.form, exc)
        if not exc.errors:  # field messages stand by their fields under the form's own summary
            failed.error = exc.message
        fresh = selectors.case_get_visible(member=request.member, code=case.code)
        return _redraw(request, fresh, failed, exc.status)
    return None


@member_required("case.whistle")
@require_POST
def whistle_blow(request: HttpRequest, code: str) -> HttpResponse:
    """吹哨（POST units, place, reason, arrive_within_minutes）"""
    case = selectors.case_get_visible(member=request.member, code=code)
    form = WhistleForm(request.POST, units=services.summonable_units(case))
    failed = Failed("blow", form, "吹哨信息有误。")
    if not form.is_valid():
        return _redraw(request, case, failed, 422)
    data = form.cleaned_data
    refused = _run(
        request,
        case,
        failed,
        lambda: services.whistle_blow(
            case=case,
            actor=request.member,
            units=data["units"],
            place=data["place"],
            reason=data["reason"],
            arrive_within_minutes=data["arrive_within_minutes"],
        ),
    )
    return refused or _done(request, case, f"已吹哨：{case.code}")


def _whistle(request: HttpRequest, code: str, whistle_id: str) -> tuple[Case, Whistle]:
    case = selectors.case_get_visible(member=request.member, code=code)
    try:
        pk = parse_id(whistle_id, field="whistle")
    except Invalid:
        raise Http404 from None
    return case, selectors.whistle_get(case=case, whistle_id=pk)


@member_required("case.view")
@require_POST
def whistle_arrive(request: HttpRequest, code: str, whistle_id: str) -> HttpResponse:
    """报到（POST lat, lng 可不填）"""
    case, whistle = _whistle(request, code, whistle_id)
    form = ArriveForm(request.POST)
    failed = Failed("arrive", form, "位置有误。", whistle.pk)
    if not form.is_valid():
        return _redraw(request, case, failed, 422)
    refused = _run(
        request,
        case,
        failed,
        lambda: services.whistle_arrive(whistle=whistle, actor=request.member, location=form.location()),
    )
    if refused:
        return refused
    messages.success(request, f"已报到：{whistle.place}")
    # From the phone app (/m/), back to it.
    return redirect(safe_next(request) or reverse("cases:detail", args=[case.code]))


@member_required("case.whistle")
@require_POST
def whistle_rate(request: HttpRequest, code: str, whistle_id: str) -> HttpResponse:
    """报到评价（POST unit, rating）"""
    case, whistle = _whistle(request, code, whistle_id)
    form = WhistleRateForm(request.POST)
    failed = Failed("rate", form, "评价有误。", whistle.pk, request.POST.get("unit", "")[:40])
    if not form.is_valid():
        return _redraw(request, case, failed, 422)
    data = form.cleaned_data
    refused = _run(
        request,
        case,
        failed,
        lambda: services.whistle_rate(whistle=whistle, actor=request.member, unit=data["unit"], rating=data["rating"]),
    )
    return refused or _done(request, case, "已评价报到。")


@member_required("case.whistle")
@require_POST
def whistle_release(request: HttpRequest, code: str, whistle_id: str) -> HttpResponse:
    """撤哨（POST reason）"""
    case, whistle = _whistle(request, code, whistle_id)
    form = WhistleReleaseForm(request.POST)
    failed = Failed("release", form, "撤哨理由有误。", whistle.pk)
    if not form.is_valid():
        return _redraw(request, case, failed, 422)
    refused = _run(
        request,
        case,
        failed,
        lambda: services.whistle_release(whistle=whistle, actor=request.member, reason=form.cleaned_data["reason"]),
    )
    return refused or _done(request, case, f"已撤哨：{whistle.place}")
