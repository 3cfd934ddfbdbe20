"""Excel import (upload, dry-run report, apply, with a progress bar for background jobs) and
the export of a filtered person list (purpose first, then the file)."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from yimen.core.errors import DomainError
from yimen.core.forms import BootstrapBoundField, add_service_errors
from yimen.core.permissions import member_required
from yimen.geo.selectors import region_get_visible
from yimen.people import exports, imports, selectors
from yimen.people.forms import PersonSearchForm
from yimen.people.models import ImportJob
from yimen.people.services import PURPOSE_MAX
from yimen.people.views.registry import htmx_fragment, private

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_PREVIEW = 200  # rows of the report shown on the page; the download has them all


class UploadForm(forms.Form):
    bound_field_class = BootstrapBoundField

    workbook = forms.FileField(
        label="Excel 工作簿（.xlsx）",
        error_messages={"required": "请选择要导入的文件。", "empty": "文件是空的。"},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class ExportForm(PersonSearchForm):
    purpose = forms.CharField(
        label="导出目的",
        max_length=PURPOSE_MAX,
        help_text="将与您的姓名、单位、时间、条件和导出人数一并记入审计日志。",
        error_messages={"required": "请填写导出目的。", "max_length": f"最多 {PURPOSE_MAX} 个字。"},
    )


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return private(response)


def _job(request, code: str) -> ImportJob:
    """The member's own import jobs only; anyone else's is as good as absent (404)."""
    jobs = ImportJob.objects.filter(member__user=request.user).select_related("member__jurisdiction")
    jobs = jobs.defer("payload_cipher")  # the encrypted workbook: loaded only when applied
    return get_object_or_404(jobs, code=code)


@member_required("person.import")
def import_page(request):
    """导入: the template, the upload form and the member's recent batches."""
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["workbook"]
            try:
                data = upload.read(imports.MAX_BYTES + 1)  # enough for the service to refuse a larger file
                job = imports.import_start(actor=request.member, filename=upload.name, data=data)
            except DomainError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("people:import_job", code=job.code)
    recent = ImportJob.objects.filter(member__user=request.user).defer("payload_cipher", "report")
    recent = recent.order_by("-created_at")[:10]
    status = 422 if form.errors else 200
    return private(TemplateResponse(request, "people/import.html", {"form": form, "recent": recent}, status=status))


@member_required("person.import")
def import_template(request):
    return _download(imports.template_workbook(member=request.member), "实有人口导入模板.xlsx")


@member_required("person.import")
@vary_on_headers("HX-Request")
def import_job(request, code: str):
    """One batch: progress while it runs (htmx polls the fragment), then the report and the
    apply / discard buttons."""
    job = _job(request, code)
    context = {"job": job, "preview": job.report[:REPORT_PREVIEW], "more": max(len(job.report) - REPORT_PREVIEW, 0)}
    template = "people/import_job_panel.html" if htmx_fragment(request) else "people/import_job.html"
    return private(TemplateResponse(request, template, context))


@member_required("person.import")
@require_POST
def import_apply(request, code: str):
    job = _job(request, code)
    try:
        imports.import_apply(actor=request.member, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("people:import_job", code=job.code)


@member_required("person.import")
@require_POST
def import_discard(request, code: str):
    job = _job(request, code)
    try:
        imports.import_discard(actor=request.member, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, "已放弃该批次，上传的文件已删除。")
    return redirect("people:import_page")


@member_required("person.import")
def import_report(request, code: str):
    job = _job(request, code)
    if not job.report:
        raise Http404("该批次还没有报告。")
    return _download(imports.report_workbook(job=job), f"导入报告-{job.code}.xlsx")


@member_required("person.export")
def export_page(request):
    """导出: GET with the list's filters. Without a purpose the page asks for one (422 when the
    form was sent without it); with one, the workbook, logged by the service."""
    member = request.member
    sent = "purpose" in request.GET  # arriving from the list with its filters only: ask first
    form = ExportForm(request.GET if sent else None, initial=request.GET.dict(), member=member)
    if sent and form.is_valid():
        data = form.cleaned_data
        region = region_get_visible(member=member, code=data["region"]) if data["region"] else None
        tag = selectors.tag_get_visible(member=member, key=data["tag"]) if data["tag"] else None
        try:
            export = exports.persons_export(
                actor=member,
                purpose=data["purpose"],
                q=data["q"],
                region=region,
                tag=tag,
                ip=request.META.get("REMOTE_ADDR", ""),
            )
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            return _download(export.content, export.filename)
    context = {"form": form, "full_values": member.has_perm("person.reveal")}
    status = 422 if sent and form.errors else 200
    return private(TemplateResponse(request, "people/export.html", context, status=status))
