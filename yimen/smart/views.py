"""Smart intake's pages: the early-warning board for supervisors (/smart/warnings/), a warning's
dismissal with its reason, and the case page's one-click link to a related case."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from yimen.cases.selectors import case_get_visible
from yimen.core.errors import DomainError
from yimen.core.forms import BootstrapBoundField, add_service_errors
from yimen.core.permissions import member_required
from yimen.smart import selectors, services
from yimen.smart.models import EarlyWarning

BOARD = 100


class DismissForm(forms.Form):
    bound_field_class = BootstrapBoundField
    reason = forms.CharField(
        label="排除理由", max_length=500, error_messages={"required": "请填写排除理由。"}, widget=forms.TextInput
    )


class LinkForm(forms.Form):
    other = forms.CharField(max_length=32, error_messages={"required": "请选择要关联的案件。"})
    reason = forms.CharField(max_length=200, error_messages={"required": "请填写关联理由。"})


def _board(request, *, failed: int | None = None, form: DismissForm | None = None, status: int = 200):
    member = request.member
    warnings = selectors.warning_board(member=member, limit=BOARD)
    for warning in warnings:
        warning.form = form if warning.pk == failed else DismissForm()
    dismissed = list(selectors.warnings_visible(member=member, state=EarlyWarning.State.DISMISSED)[:20])
    context = {"warnings": warnings, "dismissed": dismissed, "may_dismiss": member.has_perm("warning.dismiss")}
    response = TemplateResponse(request, "smart/warnings.html", context, status=status)
    response["Cache-Control"] = "no-store, private"
    return response


@member_required("warning.view")
def warnings(request):
    return _board(request)


@member_required("warning.dismiss")
@require_POST
def warning_dismiss(request, warning_id: int):
    warning = selectors.warning_get_visible(member=request.member, warning_id=warning_id)
    form = DismissForm(request.POST)
    if form.is_valid():
        try:
            services.warning_dismiss(warning=warning, actor=request.member, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已排除预警“{warning.label}”。证据增加时会再次提示。")
            return redirect("smart:warnings")
    return _board(request, failed=warning.pk, form=form, status=422)


@member_required("case.link")
@require_POST
def link(request, code: str):
    case = case_get_visible(member=request.member, code=code)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("cases:detail", code=case.code)
    other = case_get_visible(member=request.member, code=form.cleaned_data["other"].strip())
    try:
        services.case_link(case=case, other=other, actor=request.member, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已将 {case.code} 与 {other.code} 关联，两件案件页面均会显示。")
    return redirect("cases:detail", code=case.code)
