"""Pages of the 应急指挥部: the board, the declaration form, and one incident's page with its
timeline, tasks, stand-down and after-action report. Each form posts to one view that calls one
service; a refusal is shown on the form it came from (422) or as a message."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yimen.cases.views.common import private
from yimen.core.documents import DOCX, PDF, docx_bytes, pdf_bytes
from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.emergency import paper, selectors, services
from yimen.emergency.forms import (
    DeclareForm,
    FollowupCaseForm,
    NoteForm,
    ProgressForm,
    ReportForm,
    ResourceForm,
    ResourceRegisterForm,
    StandDownForm,
    TaskForm,
)
from yimen.emergency.models import Incident, IncidentTask
from yimen.emergency.views import submitted
from yimen.geo.models import Region
from yimen.org.models import Unit

BOARD_LIMIT = 50
DECLARE_LEVELS = (Region.Level.TOWN, Region.Level.VILLAGE)


@member_required("incident.view")
def board(request):
    """应急指挥 board: active incidents first with their overdue tasks, and the open
    missing-person alerts for those who may see the 快警站's register."""
    member = request.member
    missing = list(selectors.missing_open(member)[:BOARD_LIMIT]) if member.has_perm("lostfound.view") else None
    context = {
        "incidents": list(selectors.incidents_board(member)[:BOARD_LIMIT]),
        "overdue": list(selectors.overdue_tasks(member)[:BOARD_LIMIT]),
        "mine": list(selectors.unit_tasks(member)[:BOARD_LIMIT]),
        "now": timezone.now(),
        "missing": missing,
        "can_declare": member.has_perm("incident.declare"),
    }
    return TemplateResponse(request, "emergency/board.html", context)


def _declare_form(member, data=None) -> DeclareForm:
    regions = Region.objects.visible_to(member).filter(
        path__startswith=member.jurisdiction.path, level__in=DECLARE_LEVELS
    )
    units = Unit.objects.filter(is_active=True, region__path__startswith=member.jurisdiction.path).exclude(
        pk=member.unit_id
    )
    return DeclareForm(
        data,
        regions=[(r.code, r.name) for r in regions.order_by("path")],
        units=[(u.code, u.name) for u in units.order_by("code")],
    )


@member_required("incident.declare")
def declare(request):
    """启动应急响应: the declarer's unit and the units ticked join and are paged at once."""
    member = request.member
    form = _declare_form(member, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_declare(actor=member, **form.service_args())
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, f"已启动应急响应 {incident.code}，参与单位已收到通知。")
            return redirect("emergency:incident", incident_id=incident.pk)
    status = 422 if form.is_bound else 200
    return TemplateResponse(request, "emergency/declare.html", {"form": form}, status=status)


def _task_units(incident: Incident) -> list[tuple[str, str]]:
    return [(u.unit.code, u.unit.name) for u in incident.units.select_related("unit").order_by("unit__code")]


def _free_resources(member) -> list[tuple[int, str]]:
    return [
        (r.pk, f"{r.get_kind_display()}：{r.name}（{r.quantity}，{r.place}）") for r in selectors.resources_free(member)
    ]


def _page(request, incident: Incident, forms: dict | None = None, status: int = 200):
    member = request.member
    tasks = list(incident.tasks.select_related("unit"))
    allocations = selectors.incident_allocations(incident)
    now = timezone.now()
    active = incident.state == Incident.State.ACTIVE
    can_command = active and member.has_perm("incident.declare")
    forms = forms or {}
    context = {
        "incident": incident,
        "on_duty": list(incident.on_duty.select_related("user")),
        "units": _task_units(incident),
        "tasks": [
            {
                "task": t,
                "overdue": t.state in IncidentTask.UNFINISHED and t.due_at < now,
                "mine": active and t.state in IncidentTask.UNFINISHED and t.unit_id == member.unit_id,
                "progress_form": forms.get(f"progress-{t.pk}") or ProgressForm(prefix=f"p{t.pk}"),
            }
            for t in tasks
        ],
        "allocations": allocations,
        "resource_form": forms.get("resource")
        or (ResourceForm(resources=_free_resources(member)) if can_command else None),
        "timeline": selectors.incident_timeline(incident, tasks, allocations),
        "active": active,
        "can_command": can_command,
        "can_report": active and member.has_perm("incident.task"),
        "report_form": forms.get("report") or ReportForm(),
        "task_form": forms.get("task") or (TaskForm(units=_task_units(incident)) if can_command else None),
        "stand_down_form": forms.get("stand_down") or StandDownForm(),
        "followups": selectors.incident_followups(incident),
        "followup_form": forms.get("followup") or (FollowupCaseForm() if member.has_perm("incident.declare") else None),
        "note_form": NoteForm(),
    }
    return private(TemplateResponse(request, "emergency/incident.html", context, status=status))


@member_required("incident.view")
def incident(request, incident_id: int):
    return _page(request, selectors.incident_get(request.member, incident_id))


@member_required("incident.task")
@require_POST
def report(request, incident_id: int):
    """续报: any unit of the incident adds to the timeline."""
    found = selectors.incident_get(request.member, incident_id)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.incident_report(actor=request.member, incident=found, text=form.cleaned_data["text"])
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, "续报已发布。")
            return redirect("emergency:incident", incident_id=found.pk)
    return _page(request, found, {"report": form}, status=422)


@member_required("incident.declare")
@require_POST
def task_new(request, incident_id: int):
    """下达任务 to a unit of the incident with a due time."""
    found = selectors.incident_get(request.member, incident_id)
    form = TaskForm(request.POST, units=_task_units(found))
    if form.is_valid():
        try:
            services.incident_task_create(actor=request.member, incident=found, **form.cleaned_data)
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, "任务已下达，承担单位已收到通知。")
            return redirect("emergency:incident", incident_id=found.pk)
    return _page(request, found, {"task": form}, status=422)


def report_done(request, incident_id: int, task_id: int) -> None:
    """The tasked unit reports its task done (another unit is refused by the service); the
    outcome is a message on the page the member came back to (the desk's or the phone's)."""
    task = selectors.task_get(selectors.incident_get(request.member, incident_id), task_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.incident_task_done(actor=request.member, task=task, note=form.cleaned_data["note"])
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, f"任务“{task.title}”已报告完成。")
    else:
        messages.error(request, "情况说明最多 2000 个字。")


def accept(request, incident_id: int, task_id: int) -> None:
    """接收: the tasked unit says the task is in hand."""
    task = selectors.task_get(selectors.incident_get(request.member, incident_id), task_id)
    try:
        services.incident_task_accept(actor=request.member, task=task)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"已接收任务“{task.title}”。")


@member_required("incident.task")
@require_POST
def task_done(request, incident_id: int, task_id: int):
    report_done(request, incident_id, task_id)
    return redirect("emergency:incident", incident_id=incident_id)


@member_required("incident.task")
@require_POST
def task_accept(request, incident_id: int, task_id: int):
    accept(request, incident_id, task_id)
    return redirect("emergency:incident", incident_id=incident_id)


@member_required("incident.task")
@require_POST
def task_progress(request, incident_id: int, task_id: int):
    """进展: a note from the field, with a photo and the phone's position when it has them."""
    found = selectors.incident_get(request.member, incident_id)
    task = selectors.task_get(found, task_id)
    form = ProgressForm(request.POST, request.FILES, prefix=f"p{task.pk}")
    if form.is_valid():
        try:
            services.incident_task_progress(actor=request.member, task=task, **form.service_args())
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, "进展已报告。")
            return redirect("emergency:incident", incident_id=found.pk)
    return _page(request, found, {f"progress-{task.pk}": form}, status=422)


@member_required("incident.declare")
@require_POST
def resource_allocate(request, incident_id: int):
    """调用资源: a free team, vehicle or supplies of the jurisdiction joins the incident."""
    found = selectors.incident_get(request.member, incident_id)
    form = ResourceForm(request.POST, resources=_free_resources(request.member))
    if form.is_valid():
        resource = selectors.resource_get(request.member, form.cleaned_data["resource"])
        try:
            services.incident_resource_allocate(actor=request.member, incident=found, resource=resource)
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, f"已调用 {resource.name}。")
            return redirect("emergency:incident", incident_id=found.pk)
    return _page(request, found, {"resource": form}, status=422)


@member_required("incident.declare")
@require_POST
def resource_release(request, incident_id: int, resource_id: int):
    found = selectors.incident_get(request.member, incident_id)
    resource = selectors.resource_get(request.member, resource_id)
    try:
        services.incident_resource_release(actor=request.member, incident=found, resource=resource)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"已释放 {resource.name}。")
    return redirect("emergency:incident", incident_id=found.pk)


@member_required("incident.declare")
@require_POST
def stand_down(request, incident_id: int):
    """终止响应: a grave step, so the form asks the summary and the service refuses it blank."""
    found = selectors.incident_get(request.member, incident_id)
    form = StandDownForm(request.POST)
    if form.is_valid():
        try:
            services.incident_stand_down(actor=request.member, incident=found, summary=form.cleaned_data["summary"])
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, "应急响应已终止，总结报告已生成。")
            return redirect("emergency:incident", incident_id=found.pk)
    return _page(request, found, {"stand_down": form}, status=422)


@member_required("incident.view")
def after_action(request, incident_id: int):
    """应急处置总结报告 (?format=pdf|docx), drawn from the records once the incident is closed."""
    found = selectors.incident_get(request.member, incident_id)
    fmt = request.GET.get("format", "pdf")
    if found.state != Incident.State.CLOSED or fmt not in ("pdf", "docx"):
        raise Http404
    drawn = paper.after_action(found)
    body, ctype = (pdf_bytes(drawn), PDF) if fmt == "pdf" else (docx_bytes(drawn), DOCX)
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{found.code}.{fmt}"'
    return private(response)


def _resources_page(request, form: ResourceRegisterForm | None = None, status: int = 200):
    can_register = request.member.has_perm("incident.declare")
    context = {
        "rows": selectors.resources_register(request.member),
        "form": form or (ResourceRegisterForm() if can_register else None),
    }
    return TemplateResponse(request, "emergency/resources.html", context, status=status)


@member_required("incident.view")
def resources(request):
    """应急资源: every team, vehicle and supply of the jurisdiction, free or with which incident."""
    return _resources_page(request)


@member_required("incident.declare")
@require_POST
def resource_new(request):
    form = ResourceRegisterForm(request.POST)
    if form.is_valid():
        try:
            made = services.resource_register(actor=request.member, **form.cleaned_data)
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, f"已登记应急资源：{made.name}。")
            return redirect("emergency:resources")
    return _resources_page(request, form, status=422)


@member_required("incident.declare")
@require_POST
def case_new(request, incident_id: int):
    """遗留事项立案: a matter the incident leaves behind becomes a case (its own code, deadlines)."""
    found = selectors.incident_get(request.member, incident_id)
    form = FollowupCaseForm(request.POST)

    def done(row):
        messages.success(request, f"已立案 {row.case.code}。")
        return redirect("emergency:incident", incident_id=found.pk)

    return submitted(
        form,
        lambda: services.incident_case_create(actor=request.member, incident=found, **form.service_args()),
        done=done,
        again=lambda: _page(request, found, {"followup": form}, status=422),
    )
