"""Petition pages: the panel on a petition's case page (level, 复查/复核 chain, repeat links, the
statutory clock, the notice and opinion buttons), the opinion form, and 信访台账 (/petitions/)
with the repeat-petition rate."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from yimen.cases.models import Case, Kind
from yimen.cases.views.common import private
from yimen.core.errors import DomainError
from yimen.core.figures import percent
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.petitions import selectors, services
from yimen.petitions.forms import OpinionForm, RegisterFilterForm, VersionForm
from yimen.petitions.models import PetitionRecord
from yimen.petitions.papers import OPINION_KINDS, OPINION_TITLES

PAGE_SIZE = 20


def petition_panel(request: HttpRequest, case: Case) -> str:
    """The petition card on the case page ("" for other kinds)."""
    if case.kind != Kind.PETITION:
        return ""
    record = PetitionRecord.objects.select_related("review_of", "repeat_of").filter(case=case).first()
    if record is None:
        return ""
    member = request.member
    context = {
        "case": case,
        "record": record,
        "chain": selectors.petition_chain(member=member, case=case),
        "links": selectors.repeat_links(member=member, case=case, record=record),
        "deadlines": selectors.petition_deadlines(case=case, record=record),
        "steps": services.petition_steps(member=member, case=case, record=record),
        "opinion_title": OPINION_TITLES[record.level],
        "opinion_kind": OPINION_KINDS[record.level],
    }
    return render_to_string("petitions/_panel.html", context, request=request)


def _step(request: HttpRequest, code: str, service, done: str) -> HttpResponse:
    """A written step without fields: refusals are told on the case page (nothing was typed)."""
    case, _ = selectors.petition_get_visible(member=request.member, code=code)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "缺少信访记录版本号，请刷新页面后重试。")
    else:
        try:
            service(case=case, actor=request.member, version=form.cleaned_data["version"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
    return redirect("cases:detail", code=case.code)


@member_required("case.view")
@require_POST
def petition_notice(request: HttpRequest, code: str) -> HttpResponse:
    """出具受理告知书（或不予受理告知书）."""
    return _step(request, code, services.petition_notice_issue, "已出具告知书，可在“文书”中下载 PDF 或 Word。")


@member_required("case.view")
@require_POST
def petition_extension_notice(request: HttpRequest, code: str) -> HttpResponse:
    """延期告知书 (art. 34)."""
    return _step(request, code, services.petition_extension_notify, "已出具延期告知书。")


@member_required("case.view")
def petition_opinion(request: HttpRequest, code: str) -> HttpResponse:
    """处理意见书 / 复查意见书 / 复核意见书: the form, kept as typed when refused."""
    member = request.member
    case, record = selectors.petition_get_visible(member=member, code=code)
    if "opinion" not in services.petition_steps(member=member, case=case, record=record) and request.method != "POST":
        return render(request, "403.html", {"perm": "petition.handle"}, status=403)
    status = 200
    if request.method == "POST":
        form = OpinionForm(request.POST, record=record)
        status = 422
        if form.is_valid():
            try:
                services.petition_opinion_issue(case=case, actor=member, **form.cleaned_data)
            except DomainError as exc:
                add_service_errors(form, exc)
                if exc.errors:
                    form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, f"已出具{OPINION_TITLES[record.level]}。")
                return redirect("cases:detail", code=case.code)
    else:
        form = OpinionForm(initial={"version": record.version}, record=record)
    context = {"case": case, "record": record, "form": form, "title": OPINION_TITLES[record.level]}
    return private(TemplateResponse(request, "petitions/opinion.html", context, status=status))


@member_required("petition.view")
def petition_register(request: HttpRequest) -> HttpResponse:
    """信访台账: every visible petition with its type, level, repeat link and deadline; filters
    by type, level, repeat and overdue; the repeat-petition rate of what is listed."""
    member = request.member
    form = RegisterFilterForm(request.GET)
    if form.is_valid():
        records = selectors.petition_register(member=member, filters=selectors.RegisterFilters(**form.cleaned_data))
    else:
        records = PetitionRecord.objects.none()
    rate = selectors.repeat_rate(records)
    page_obj = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page_obj)
    seen = selectors.visible_ids(member=member, ids=[r.repeat_of_id for r in rows if r.repeat_of_id])
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page_obj,
        "rows": [(r, r.repeat_of if r.repeat_of_id in seen else None) for r in rows],
        "rate": rate,
        "definition": selectors.REPEAT_RATE_DEFINITION,
        "query": query.urlencode(),
        "filtered": any(request.GET.get(name) for name in form.fields),
        "percent": percent(rate["rate"]),
    }
    return private(TemplateResponse(request, "petitions/register.html", context))
