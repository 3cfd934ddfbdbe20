"""Exports to Excel: a filtered case list and the KPI table, each asking for a purpose first
(as the registry's person export does) and logged by its service."""

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header

from yimen.cases.page_selectors import region_filter_choices
from yimen.cases.selectors import CaseFilters
from yimen.cases.views.common import private
from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.insight import services
from yimen.insight.forms import CaseExportForm, KpiExportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, export.filename)
    return private(response)


def _page(request, form, title: str, note: str, sent: bool):
    context = {"form": form, "title": title, "note": note}
    status = 422 if sent and form.errors else 200
    return private(TemplateResponse(request, "insight/export.html", context, status=status))


@member_required("case.export")
def case_export(request):
    """导出案件清单: GET with the case list's filters; a purpose is asked for first (422 when
    the form came without one)."""
    member = request.member
    sent = "purpose" in request.GET
    regions = region_filter_choices(member=member)
    form = CaseExportForm(request.GET if sent else None, initial=request.GET.dict(), regions=regions)
    if sent and form.is_valid():
        data = dict(form.cleaned_data)
        purpose = data.pop("purpose")
        try:
            export = services.cases_export(
                actor=member, purpose=purpose, filters=CaseFilters(**data), ip=request.META.get("REMOTE_ADDR", "")
            )
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            return _download(export)
    note = "导出您可见范围内符合条件的案件（不含当事人姓名、电话和身份证号）。每次导出都记入审计日志。"
    return _page(request, form, "导出案件清单", note, sent)


@member_required("kpi.view")
def kpi_export(request):
    """导出指标表: the region (and each region one level down) for the period, with a purpose."""
    member = request.member
    sent = "purpose" in request.GET
    form = KpiExportForm(
        request.GET if sent else None, initial=request.GET.dict(), regions=region_filter_choices(member=member)
    )
    if sent and form.is_valid():
        data = form.cleaned_data
        try:
            export = services.kpis_export(
                actor=member,
                purpose=data["purpose"],
                region=data["region"] or None,
                since=data["since"],
                until=data["until"],
                ip=request.META.get("REMOTE_ADDR", ""),
            )
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            return _download(export)
    return _page(
        request, form, "导出指标表", "导出所选区域及其下一级各区域的指标和指标定义。每次导出都记入审计日志。", sent
    )
