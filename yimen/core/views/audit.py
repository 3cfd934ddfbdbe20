"""The security auditor's (安全审计员) pages: the audit log and the chain status (三员分立)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from yimen.core import selectors, services
from yimen.core.audit import action_label
from yimen.core.forms import AuditFilterForm
from yimen.core.permissions import member_required

PAGE_SIZE = 50


def _htmx_fragment(request) -> bool:
    # A history restore after a cache miss also carries HX-Request but needs the whole page.
    return bool(request.htmx) and not request.htmx.history_restore_request


def _chain_context() -> dict:
    last_check = selectors.audit_last_check()
    trigger = last_check.detail.get("trigger", "") if last_check else ""
    return {"last_check": last_check, "trigger_label": services.CHAIN_CHECK_TRIGGERS.get(trigger, trigger)}


@member_required("audit.view")
@vary_on_headers("HX-Request")
def audit_list(request):
    form = AuditFilterForm(request.GET)
    page_obj = None
    if form.is_valid():
        entries = selectors.audit_entries(**form.cleaned_data)
        page_obj = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
        for entry in page_obj:
            entry.action_label = action_label(entry.action)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page_obj": page_obj, "query": query.urlencode()}
    if _htmx_fragment(request):
        return TemplateResponse(request, "core/_audit_results.html", context)
    return TemplateResponse(request, "core/audit.html", {**context, **_chain_context()})


@member_required("audit.view")
@require_POST
def audit_verify(request):
    """The auditor's "verify now" button: the same check as the nightly task, recorded alike."""
    report = services.audit_chain_check(trigger="manual", actor=request.member, ip=request.META.get("REMOTE_ADDR", ""))
    if _htmx_fragment(request):
        return TemplateResponse(request, "core/_audit_chain.html", _chain_context())
    if report.ok:
        messages.success(request, f"审计链完整：共 {report.checked} 条。")
    else:
        messages.error(request, f"审计链断裂：第 {report.broken_at} 条，{report.reason}。")
    return redirect("core:audit")
