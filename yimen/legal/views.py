"""Legal pages: the legal-aid panel on a legal-aid case's page (clocks, means check, exemption,
decision and its documents, 先行提供, the lawyer, the result) with the forms of the steps the
member may take now; the protection-order route on a domestic-violence matter; the steps' POST
targets; and the advisers' roster (/legal/advisers/)."""

import re
from datetime import date

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yimen.cases.models import Case, DeadlinePolicy, Kind
from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required, public
from yimen.geo.models import Region
from yimen.legal import forms, selectors, services
from yimen.legal.models import LegalAidFile
from yimen.legal.papers import GRANT_KIND, REFUSAL_KIND
from yimen.org.models import Membership, Unit
from yimen.org.roles import Role

# step (the URL's last part) -> (form, service, button label)
STEPS = {
    "means": (forms.MeansForm, services.legal_aid_means_check, "经济困难状况核查"),
    "first": (forms.FirstForm, services.legal_aid_provide_first, "先行提供法律援助"),
    "decision": (forms.DecisionForm, services.legal_aid_decide, "作出决定"),
    "assign": (forms.AssignForm, services.legal_aid_assign, "指派法律援助人员"),
    "close": (forms.CloseForm, services.legal_aid_close, "法律援助结案"),
}
# Matters where violence at home is the issue: the protection-order route is shown on them.
VIOLENCE_CATEGORIES = frozenset({"legal_service.family", "legal_service.protection_order", "legal_aid.violence"})


def _aid_for(case: Case) -> LegalAidFile:
    """The case's file, or (an application registered before the legal app) an unsaved one
    with its clock, for display: the first step opens it (services._file)."""
    aid = LegalAidFile.objects.filter(case=case).first()
    return aid or LegalAidFile(
        case=case, matter=case.title, decide_due=services.due(services.DECIDE_POLICY, case.received_at)
    )


def available_steps(member, case: Case, aid: LegalAidFile) -> list[str]:
    """The steps the member may take now (the services decide again on POST)."""
    if not member.has_perm("legal_aid.decide") or case.state not in services.OPEN_STATES:
        return []
    if aid.granted is None:
        steps = ["means", "decision"]
        if not aid.provided_first_at:
            steps.insert(1, "first")
        elif not aid.assigned_at:
            steps.append("assign")
        return steps
    if aid.granted and not aid.assigned_at:
        return ["assign"]
    if aid.assigned_at and not aid.closed_at:
        return ["close"]
    return []


def _render_panel(request: HttpRequest, case: Case, bound: dict | None = None) -> str:
    aid = _aid_for(case)
    bound = bound or {}
    steps = []
    for name in available_steps(request.member, case, aid):
        form_class, _, label = STEPS[name]
        initial = {"version": aid.version}
        if name == "means":
            initial |= {
                "monthly_income": aid.monthly_income,
                "assets": aid.assets,
                "income_standard": aid.income_standard,
                "assets_standard": aid.assets_standard,
                "key_groups": aid.key_groups,
            }
        steps.append((name, label, bound.get(name) or form_class(initial=initial, prefix=name)))
    kind = GRANT_KIND if aid.granted else REFUSAL_KIND
    context = {"case": case, "aid": aid, "clocks": selectors.clocks(aid), "steps": steps, "document_kind": kind}
    return render_to_string("legal/_aid_panel.html", context, request=request)


def legal_aid_panel(request: HttpRequest, case: Case) -> str:
    """The legal-aid card on the case page ("" for other kinds)."""
    if case.kind != Kind.LEGAL_AID:
        return ""
    return _render_panel(request, case)


def protection_order_panel(request: HttpRequest, case: Case) -> str:
    """人身安全保护令 (反家庭暴力法 arts. 23–28) on a domestic-violence legal matter."""
    if case.kind not in selectors.LEGAL_KINDS:
        return ""
    violent = case.category is not None and case.category.code in VIOLENCE_CATEGORIES
    if not violent and case.kind == Kind.LEGAL_AID:
        aid = LegalAidFile.objects.filter(case=case).first()
        violent = aid is not None and aid.domestic_violence
    if not violent:
        return ""
    hours = dict(
        DeadlinePolicy.objects.filter(code__in=["protection_order", "protection_order.urgent"]).values_list(
            "code", "amount"
        )
    )
    context = {
        "case": case,
        "normal": hours.get("protection_order", 72),
        "urgent": hours.get("protection_order.urgent", 24),
    }
    return render_to_string("legal/_protection_order.html", context, request=request)


@require_POST
@member_required("case.view")
def aid_step(request: HttpRequest, code: str, step: str) -> HttpResponse:
    """A legal-aid step from the panel: success back to the case page; a refusal shows the panel
    again with what was typed and the field messages."""
    if step not in STEPS:
        raise Http404
    case, _ = selectors.aid_get_visible(member=request.member, code=code)
    form_class, service, label = STEPS[step]
    form = form_class(request.POST, prefix=step)
    if form.is_valid():
        try:
            service(case=case, actor=request.member, **form.service_kwargs())
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已完成：{label}。")
            return redirect("cases:detail", code=case.code)
    panel = _render_panel(request, case, bound={step: form})
    return render(request, "legal/step.html", {"case": case, "panel": panel, "label": label}, status=422)


@member_required("unit.view")
def adviser_roster(request: HttpRequest) -> TemplateResponse:
    """一村一法律顾问: the advisers serving the member's area, by village."""
    code = request.GET.get("region", "")
    region = Region.objects.filter(code=code).first() if code.isdigit() and len(code) <= 20 else None
    rows = selectors.advisers_visible(request.member, region=region)
    villages = Region.objects.filter(
        level=Region.Level.VILLAGE, path__startswith=request.member.jurisdiction.path
    ).order_by("code")
    return TemplateResponse(request, "legal/advisers.html", {"advisers": rows, "region": region, "villages": villages})


def month_of(value: str | None) -> date | None:
    """YYYY-MM as the first day of that month; None for anything else."""
    if not value or not re.fullmatch(r"(19|20)\d\d-(0[1-9]|1[0-2])", value):
        return None
    return date(int(value[:4]), int(value[5:]), 1)


@member_required("unit.view")
def adviser_log(request: HttpRequest, adviser_id: int) -> TemplateResponse:
    """The adviser's monthly service log (consultations, answers, notes, legal aid)."""
    today = timezone.localdate()
    month = month_of(request.GET.get("month")) or today.replace(day=1)
    log = selectors.adviser_month_log(member=request.member, adviser_id=adviser_id, month=month)
    return TemplateResponse(request, "legal/log.html", {"log": log, "month_value": month.strftime("%Y-%m")})


@public
def outreach_menu(request: HttpRequest) -> TemplateResponse:
    """排餐 for residents, on a phone: the talks they may order through their village."""
    return TemplateResponse(request, "legal/menu.html", {"topics": selectors.outreach_menu()})


VILLAGE_LEVELS = frozenset({Region.Level.VILLAGE, Region.Level.GRID, Region.Level.MICROGRID, Region.Level.SPECIAL})


def village_adviser_home(request: HttpRequest, *, phone: bool = False) -> str:
    """本村法律顾问 on the home page of those who work in one village (the committee, its grid
    chief and grid workers): whom to send a resident with a legal question to."""
    member = getattr(request, "member", None)
    if member is None or not member.has_perm("unit.view") or member.jurisdiction.level not in VILLAGE_LEVELS:
        return ""
    advisers = list(selectors.advisers_visible(member))
    if not advisers:
        return ""
    return render_to_string("legal/home/_village_adviser.html", {"advisers": advisers, "phone": phone}, request=request)


def village_adviser_phone(request: HttpRequest) -> str:
    """The same card on the grid worker's phone (/m/): the adviser to send a resident to."""
    return village_adviser_home(request, phone=True)


def _villages_of(member):
    return Region.objects.filter(level=Region.Level.VILLAGE).filter(
        Q(path__startswith=member.jurisdiction.path) | Q(path__in=selectors.ancestors(member.jurisdiction))
    )


def _orders_page(request: HttpRequest, form: forms.OrderForm | None = None, status: int = 200) -> TemplateResponse:
    member = request.member
    if form is None and member.has_perm("outreach.order"):
        form = forms.OrderForm(villages=_villages_of(member).order_by("code"))
    context = {
        "orders": selectors.orders_visible(member)[:200],
        "form": form,
        "topics": selectors.outreach_menu(),
        "can_schedule": member.has_perm("outreach.schedule"),
        "promise_days": services.SCHEDULE_PROMISE_DAYS,
    }
    return TemplateResponse(request, "legal/orders.html", context, status=status)


@member_required("outreach.view")
def outreach_orders(request: HttpRequest) -> TemplateResponse:
    """点餐 orders of the member's area: the promise's due time, overdue ones flagged, the
    speaker and date scheduled, the talk that delivered it."""
    return _orders_page(request)


@require_POST
@member_required("outreach.order")
def outreach_order_new(request: HttpRequest) -> HttpResponse:
    """点餐 from the orders page; a refusal shows the form again with what was typed (422)."""
    form = forms.OrderForm(request.POST, villages=_villages_of(request.member).order_by("code"))
    if form.is_valid():
        try:
            services.outreach_order_place(actor=request.member, **form.cleaned_data)
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"已点单：{form.cleaned_data['topic']}。镇里将在 {services.SCHEDULE_PROMISE_DAYS} 日内安排。"
            )
            return redirect("legal:orders")
    return _orders_page(request, form, status=422)


@member_required("outreach.schedule")
def outreach_order_schedule(request: HttpRequest, order_id: int) -> HttpResponse:
    """The town schedules an order: an adviser (or an outside expert) and a time."""
    order = selectors.order_get_visible(member=request.member, order_id=order_id)
    advisers = selectors.advisers_visible(request.member)
    if request.method == "POST":
        form = forms.ScheduleForm(request.POST, advisers=advisers)
        if form.is_valid():
            try:
                services.outreach_order_schedule(actor=request.member, order=order, **form.service_kwargs())
            except DomainError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已安排：{order.village.name}“{order.topic}”。")
                return redirect("legal:orders")
        status = 422
    else:
        initial = {"version": order.version, "adviser": order.adviser_id or "", "expert": order.expert}
        if order.planned_at:
            initial["at"] = timezone.localtime(order.planned_at)
        form = forms.ScheduleForm(initial=initial, advisers=advisers)
        status = 200
    context = {"order": order, "form": form, "promise_days": services.SCHEDULE_PROMISE_DAYS}
    return TemplateResponse(request, "legal/schedule.html", context, status=status)


@member_required("outreach.view")
def outreach_report(request: HttpRequest) -> TemplateResponse:
    """The month's 送法 report over the member's area (?month=YYYY-MM, this month by default).
    Figures only, no person: whoever orders or schedules talks (village, grid chief, the centre's
    dispatcher) reads whether they were delivered, not just those who give them."""
    month = month_of(request.GET.get("month")) or timezone.localdate().replace(day=1)
    report = selectors.outreach_month_report(member=request.member, month=month)
    return TemplateResponse(request, "legal/report.html", {"report": report, "month_value": report["month"]})


@member_required("outreach.view")
def training_list(request: HttpRequest) -> TemplateResponse:
    """干部法治培训 and 典型案例宣讲 for the villages of the member's area."""
    context = {"sessions": selectors.sessions_visible(request.member)[:200]}
    return TemplateResponse(request, "legal/training.html", context)


@member_required("outreach.view")
def training_detail(request: HttpRequest, session_id: int) -> TemplateResponse:
    """A session: its cadres and the typical cases as the generator made them anonymous."""
    session = selectors.session_get_visible(member=request.member, session_id=session_id)
    return TemplateResponse(request, "legal/training_detail.html", {"session": session})


def _session_form(member, data=None) -> forms.SessionForm:
    villages = _villages_of(member).order_by("code")
    cadres = (
        Membership.objects.filter(is_active=True, unit__region__path__startswith=member.jurisdiction.path)
        .filter(Q(unit__kind=Unit.Kind.VILLAGE) | Q(role=Role.GRID_CHIEF))
        .select_related("user", "unit")
        .order_by("unit__code", "id")
    )
    return forms.SessionForm(data, advisers=selectors.advisers_visible(member), villages=villages, cadres=cadres)


@member_required("outreach.deliver")
def training_new(request: HttpRequest) -> HttpResponse:
    """Record a training or case talk; a refusal shows the form again with what was typed (422)."""
    form = _session_form(request.member, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                session = services.training_session_record(actor=request.member, **form.service_kwargs())
            except DomainError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已登记：{session.get_kind_display()}“{session.topic}”。")
                return redirect("legal:training_detail", session_id=session.pk)
        return TemplateResponse(request, "legal/training_new.html", {"form": form}, status=422)
    return TemplateResponse(request, "legal/training_new.html", {"form": form})
