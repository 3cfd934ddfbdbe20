"""The case page (/cases/{code}/): header, parties (masked), assignments, timeline, attachments,
the receipt, and only the actions this member may take now. Each action is a small form that
posts the version it was drawn with to /cases/{code}/actions/{action}/."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yimen.cases import documents, extensions, page_selectors, rules, selectors, services, timeline
from yimen.cases.choices import ContactChannel
from yimen.cases.forms import (
    ACTION_FORMS,
    ActionForm,
    AttachmentForm,
    DispatchForm,
    OrderAnswerForm,
    ReplyForm,
    UpwardReportForm,
)
from yimen.cases.models import Case, SupervisionLevel
from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.people.forms import RevealForm

from . import contacts, whistle_panel
from .common import private, safe_next

STALE = "案件已被他人更新，请刷新后重试。页面已显示最新情况，您填写的内容已保留。"
# How each action's button looks: the steps that send a case back or escalate stand out.
BUTTON_STYLES = {
    "decline": "outline-danger",
    "dispute": "outline-danger",
    "refer": "outline-secondary",
    "merge": "outline-secondary",
    "archive": "outline-secondary",
    "extend": "outline-secondary",
    "raise_risk": "outline-warning",
    "release": "outline-secondary",
    "note": "outline-primary",
    "urge": "outline-warning",
    "supervise": "warning",
    "censure": "danger",
}


@dataclass
class Panel:
    """One action's form on the page; `error` and `open` when it was just sent and refused."""

    action: str
    form: ActionForm
    url: str
    error: str = ""
    still_allowed: bool = True

    @property
    def label(self) -> str:
        return timeline.label(self.action)

    @property
    def style(self) -> str:
        return BUTTON_STYLES.get(self.action, "primary")


def _form(action: str, case: Case, data=None, units=None, *, member=None) -> ActionForm:
    form_class = ACTION_FORMS[action]
    ids = f"{action}-%s"  # many small forms on one page: ids must not collide
    if form_class is ReplyForm:
        return form_class(data, case=case, auto_id=ids, support=page_selectors.answers_as_support(case, member))
    if not issubclass(form_class, DispatchForm):
        return form_class(data, case=case, auto_id=ids)
    units = page_selectors.dispatch_units(case=case) if units is None else units
    initial = page_selectors.dispatch_suggestion(case=case) if data is None else {}
    if initial:  # the catalogue's and the risk tier's suggestions first, already ticked
        suggested = {initial["lead_unit"], *initial["support_units"]}
        units = sorted(units, key=lambda unit: unit.code not in suggested)
    form = form_class(data, case=case, units=units, initial=initial, auto_id=ids)
    if initial.get("reason"):  # 洞井: why these units ("橙色风险：派出所主办，村委会协办")
        form.fields["lead_unit"].help_text = initial["reason"]
    return form


def _panel(action: str, case: Case, form: ActionForm) -> Panel:
    return Panel(action=action, form=form, url=reverse(f"cases:action_{action}", args=[case.code]))


def _events(case: Case) -> list[dict]:
    states = dict(Case.State.choices)
    channels = dict(ContactChannel.choices)
    return [
        {
            "event": event,
            "label": timeline.label(event.action),
            "moved_to": states.get(event.to_state) if event.to_state != event.from_state else "",
            "contact": event.data.get("contact") if event.action == "note" else None,
            "channel": channels.get((event.data.get("contact") or {}).get("channel"), ""),
        }
        for event in selectors.case_timeline(case=case)
    ]


def _party_rows(member, case: Case) -> list[tuple]:
    """Each party with its 查看联系方式 form, for the members who may reach the parties, and
    its 登记到民情档案 form while it is not linked to a resident (for those who keep the registry)."""
    reveal = rules.may_reveal_party(member, case, fresh=False)
    parties = list(case.parties.all())
    unfiled = any(not party.person_id and party.id_number_masked for party in parties)
    choices = contacts.register_choices(member, case) if unfiled else []
    rows = []
    for i, party in enumerate(parties):
        filing = None if party.person_id or not party.id_number_masked else contacts.register_form(choices, i)
        rows.append((party, RevealForm(prefix=f"party{i}", auto_id=f"party{i}-%s") if reveal else None, filing))
    return rows


def _render(
    request: HttpRequest,
    case: Case,
    *,
    failed: Panel | None = None,
    attach_form=None,
    whistle_failed: whistle_panel.Failed | None = None,
    refused: page_selectors.Failed | None = None,
    status: int = 200,
):
    member = request.member
    allowed = rules.allowed_actions(case=case, member=member)
    units = page_selectors.dispatch_units(case=case) if {"dispatch", "redispatch"} & set(allowed) else []
    panels = [
        failed
        if failed and failed.action == action
        else _panel(action, case, _form(action, case, units=units, member=member))
        for action in allowed
    ]
    if failed and failed.action not in allowed:  # the step is gone (someone else took it): keep the text
        failed.still_allowed = False
        panels.insert(0, failed)
    may_attach = page_selectors.may_attach(member=member, case=case)
    events = _events(case)
    notes = [row for row in events if row["event"].action == "note"]
    context = {
        "case": case,
        "level": SupervisionLevel(case.overdue_level),
        "events": events,
        "notes": notes,
        "applicant_contacted": page_selectors.applicant_contacted(case, [row["event"] for row in notes]),
        "unanswered_supports": page_selectors.unanswered_supports(case),
        "attachments": selectors.case_attachments(case=case),
        "documents": [d for d in selectors.case_documents(case=case, member=member) if d["kind"] != "receipt"],
        "may_print_receipt": rules.may_print_receipt(member, case),
        "party_rows": _party_rows(member, case),
        "extra_panels": extensions.case_panels(request, case),
        "whistles": whistle_panel.panel(member, case, whistle_failed),
        "panels": panels,
        "failed": failed,
        "attach_form": attach_form or (AttachmentForm() if may_attach else None),
        "now": timezone.now(),
        **page_selectors.supervision_panel(member=member, case=case, failed=refused),
    }
    return private(TemplateResponse(request, "cases/detail.html", context, status=status))


@member_required("case.view")
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The case page; `?act=<action>` opens that action's form (the board's 督办…/通报… lead here,
    to ask the reason) when the member may take it now."""
    case = selectors.case_get_visible(member=request.member, code=code)
    wanted = request.GET.get("act", "")
    if wanted in ACTION_FORMS and wanted in rules.allowed_actions(case=case, member=request.member):
        return _render(request, case, failed=_panel(wanted, case, _form(wanted, case)))
    return _render(request, case)


def _act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    member = request.member
    case = selectors.case_get_visible(member=member, code=code)
    form = _form(action, case, request.POST, member=member)
    if not form.is_valid():
        return _render(request, case, failed=_panel(action, case, form), status=422)
    try:
        services.ACTION_SERVICES[action](case=case, actor=member, **form.payload())
    except DomainError as exc:
        fresh = selectors.case_get_visible(member=member, code=code)
        if exc.code == "stale_version":  # redraw on the new version, with what was typed
            data = request.POST.copy()
            data["version"] = str(fresh.version)
            panel = _panel(action, fresh, _form(action, fresh, data, member=member))
            panel.error = STALE
        else:
            add_service_errors(form, exc)
            panel = _panel(action, fresh, form)
            panel.error = exc.message
        return _render(request, fresh, failed=panel, status=exc.status)
    messages.success(request, f"已{timeline.label(action)}：{case.code}")
    return redirect(safe_next(request) or reverse("cases:detail", args=[case.code]))


def _action_view(action: str):
    def view(request: HttpRequest, code: str) -> HttpResponse:
        return _act(request, code, action)

    view.__name__ = view.__qualname__ = f"case_{action}"
    view.__doc__ = f"{timeline.label(action)}（POST version 与该操作的字段）"
    return member_required(rules.ACTION_RULES[action][0])(require_POST(view))


ACTION_VIEWS = {action: _action_view(action) for action in ACTION_FORMS}


@member_required("case.view")
@require_POST
def case_attach(request: HttpRequest, code: str) -> HttpResponse:
    """上传附件: stored with its SHA-256 by the service."""
    member = request.member
    case = selectors.case_get_visible(member=member, code=code)
    form = AttachmentForm(request.POST, request.FILES)
    status = 422
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            attachment = services.case_attach(case=case, actor=member, file=upload, content_type=upload.content_type)
        except DomainError as exc:
            add_service_errors(form, exc)
            status = exc.status
        else:
            messages.success(request, f"已上传附件：{attachment.name}（SHA-256 {attachment.sha256[:12]}…）")
            return redirect("cases:detail", code=case.code)
    return _render(request, case, attach_form=form, status=status)


def _side_step(request: HttpRequest, case: Case, form, target: str, step) -> HttpResponse:
    """A 督办单 answer or an upward report from the case page: the service's refusal redraws the
    page with what was typed and the message; success goes back to the case."""
    status = 422
    if form.is_valid():
        try:
            message = step(form.cleaned_data["text"])
        except DomainError as exc:
            add_service_errors(form, exc)
            fresh = selectors.case_get_visible(member=request.member, code=case.code)
            return _render(request, fresh, refused=page_selectors.Failed(target, form, exc.message), status=exc.status)
        messages.success(request, message)
        return redirect("cases:detail", code=case.code)
    return _render(request, case, refused=page_selectors.Failed(target, form, ""), status=status)


@member_required("case.reply")
@require_POST
def order_answer(request: HttpRequest, code: str, order_id: int) -> HttpResponse:
    """反馈整改情况: the addressed unit answers one 督办单 (POST text)."""
    case = selectors.case_get_visible(member=request.member, code=code)
    order = selectors.supervision_order_get(case=case, order_id=order_id)

    def answer(text: str) -> str:
        services.supervision_order_answer(order=order, actor=request.member, text=text)
        return f"已反馈整改情况：{order.number}"

    form = OrderAnswerForm(request.POST, auto_id=f"order-{order.pk}-%s")
    return _side_step(request, case, form, str(order.pk), answer)


@member_required("case.report_upward")
@require_POST
def upward_report(request: HttpRequest, code: str) -> HttpResponse:
    """向上报告: the dispatcher or leader files the red case's report to the county (POST text)."""
    case = selectors.case_get_visible(member=request.member, code=code)

    def report(text: str) -> str:
        filed = services.case_report_upward(case=case, actor=request.member, text=text)
        return f"已报{filed.to}：{case.code}"

    return _side_step(request, case, UpwardReportForm(request.POST, auto_id="upward-%s"), "upward", report)


@member_required("case.view")
def attachment_download(request: HttpRequest, code: str, attachment_id: int) -> HttpResponse:
    case = selectors.case_get_visible(member=request.member, code=code)
    attachment = get_object_or_404(selectors.case_attachments(case=case), pk=attachment_id)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    return private(response)


@member_required("case.view")
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """受理回执 (PDF) with a QR code to the public lookup page, for a signed-in browser."""
    return document(request, code, "receipt")


@member_required("case.view")
def document(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """A case's document (?format=pdf or docx): the same bytes as the API's
    /cases/{code}/documents/{kind}, for a signed-in browser."""
    case = selectors.case_get_visible(member=request.member, code=code)
    fmt = request.GET.get("format", "pdf")
    body, content_type, filename = documents.document_file(
        case=case, kind=kind, fmt=fmt, member=request.member, absolute=request.build_absolute_uri
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return private(response)
