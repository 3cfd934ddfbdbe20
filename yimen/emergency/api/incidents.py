"""API: emergency command — incidents, their tasks, resources, situation reports, the after-action
report and the duty roster (API.md "Emergency command"). Thin: find the record within the caller's
scope (404 otherwise), call the service."""

from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status

from yimen.cases.schemas import DocumentOut
from yimen.core.documents import DOCX, PDF, docx_bytes, pdf_bytes
from yimen.core.errors import NotFound
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS
from yimen.emergency import paper, selectors, services
from yimen.emergency.api.common import WRITE_ERRORS, once
from yimen.emergency.models import Incident, IncidentTask, TaskProgress
from yimen.emergency.schemas import (
    AllocateIn,
    DutyShiftIn,
    DutyShiftOut,
    FollowupCaseIn,
    FollowupCaseOut,
    IncidentIn,
    IncidentOut,
    IncidentTaskOut,
    ProgressIn,
    ProgressOut,
    ResourceIn,
    ResourceOut,
    RosterQuery,
    SituationReportOut,
    SummaryIn,
    TaskIn,
    TaskNoteIn,
    TextIn,
)

router = Router(tags=["应急指挥与快警站"])


def _task(t: IncidentTask) -> dict:
    overdue = t.state in IncidentTask.UNFINISHED and t.due_at < timezone.now()
    return {
        "id": t.pk,
        "unit": t.unit.code,
        "title": t.title,
        "due_at": t.due_at,
        "state": t.state,
        "overdue": overdue,
        "note": t.note,
        "done_at": t.done_at,
    }


def _incident(i: Incident, full: bool = False) -> dict:
    out = {
        "id": i.pk,
        "code": i.code,
        "title": i.title,
        "kind": i.kind,
        "level": i.level,
        "region": i.region.code,
        "case": i.case.code if i.case else None,
        "state": i.state,
        "declared_at": i.declared_at,
        "closed_at": i.closed_at,
        "summary": i.summary,
    }
    if full:
        out["units"] = [u.unit.code for u in i.units.select_related("unit")]
        out["commander"] = i.commander.user.name if i.commander_id else None
        out["on_duty"] = [m.user.name for m in i.on_duty.select_related("user")]
        out["followup_cases"] = [f.case.code for f in i.followups.select_related("case")]
        out["tasks"] = [_task(t) for t in i.tasks.select_related("unit")]
        out["reports"] = [_report(r) for r in i.reports.select_related("by__user")]
    return out


def _report(r) -> dict:
    return {"id": r.pk, "text": r.text, "at": r.at, "by": r.by.user.name}


@router.post("/incidents", response={201: IncidentOut, **WRITE_ERRORS}, summary="启动应急事件")
def incident_create(request, payload: IncidentIn):
    fields = payload.model_dump()
    if payload.location is not None:
        fields["location"] = payload.location.model_dump()

    def make():
        return services.incident_declare(actor=request.member, **fields)

    require_permission(request.member, "incident.declare")
    return Status(201, _incident(once(request, "incident", fields, make, Incident), full=True))


@router.get("/incidents", response={200: list[IncidentOut], **ERRORS}, summary="应急事件（响应中的在前）")
def incident_list(request):
    return [_incident(i) for i in selectors.incidents_visible(request.member)]


@router.get("/incidents/{incident_id}", response={200: IncidentOut, **ERRORS}, summary="应急事件详情")
def incident_detail(request, incident_id: int):
    return _incident(selectors.incident_get(request.member, incident_id), full=True)


@router.post("/incidents/{incident_id}/tasks", response={201: IncidentTaskOut, **WRITE_ERRORS}, summary="下达任务")
def task_create(request, incident_id: int, payload: TaskIn):
    incident = selectors.incident_get(request.member, incident_id)
    task = services.incident_task_create(actor=request.member, incident=incident, **payload.model_dump())
    return Status(201, _task(task))


@router.post(
    "/incidents/{incident_id}/tasks/{task_id}/done", response={200: IncidentTaskOut, **WRITE_ERRORS}, summary="任务完成"
)
def task_done(request, incident_id: int, task_id: int, payload: TaskNoteIn):
    task = selectors.task_get(selectors.incident_get(request.member, incident_id), task_id)
    return _task(services.incident_task_done(actor=request.member, task=task, note=payload.note))


@router.post(
    "/incidents/{incident_id}/tasks/{task_id}/accept",
    response={200: IncidentTaskOut, **WRITE_ERRORS},
    summary="接收任务（承担单位）",
)
def task_accept(request, incident_id: int, task_id: int):
    task = selectors.task_get(selectors.incident_get(request.member, incident_id), task_id)
    return _task(services.incident_task_accept(actor=request.member, task=task))


@router.post(
    "/incidents/{incident_id}/tasks/{task_id}/progress",
    response={201: ProgressOut, **WRITE_ERRORS},
    summary="报告任务进展（承担单位；可带照片和定位）",
)
def task_progress(request, incident_id: int, task_id: int, payload: ProgressIn):
    task = selectors.task_get(selectors.incident_get(request.member, incident_id), task_id)
    fields = {
        "note": payload.note,
        "photo": payload.photo if payload.photo is not None else next(iter(payload.photos), None),
        "location": payload.location.model_dump() if payload.location else None,
    }

    def make():
        return services.incident_task_progress(actor=request.member, task=task, **fields)

    # The phone's outbox retries with the same key: one report however often it is sent.
    row = once(request, f"task_progress:{task.pk}", fields, make, TaskProgress)
    return Status(
        201,
        {
            "id": row.pk,
            "task": task.pk,
            "note": row.note,
            "at": row.at,
            "by": request.member.user.name,
            "photo": bool(row.photo),
            "lat": row.lat,
            "lng": row.lng,
        },
    )


@router.post(
    "/incidents/{incident_id}/cases",
    response={201: FollowupCaseOut, **WRITE_ERRORS},
    summary="遗留事项登记为案件（关联本事件）",
)
def followup_case(request, incident_id: int, payload: FollowupCaseIn):
    incident = selectors.incident_get(request.member, incident_id)
    row = services.incident_case_create(actor=request.member, incident=incident, **payload.model_dump())
    return Status(
        201,
        {"incident": incident.pk, "case": row.case.code, "kind": row.case.kind, "title": row.case.title, "at": row.at},
    )


def _resource(r, serving) -> dict:
    return {
        "id": r.pk,
        "kind": r.kind,
        "name": r.name,
        "quantity": r.quantity,
        "place": r.place,
        "unit": r.unit.code,
        "incident": serving.incident_id if serving else None,
    }


@router.get("/resources", response={200: list[ResourceOut], **ERRORS}, summary="应急资源（人员队伍、车辆、物资）")
def resource_list(request):
    return [_resource(r, serving) for r, serving in selectors.resources_register(request.member)]


@router.post("/resources", response={201: ResourceOut, **WRITE_ERRORS}, summary="登记应急资源")
def resource_create(request, payload: ResourceIn):
    made = services.resource_register(actor=request.member, **payload.model_dump())
    return Status(201, _resource(made, None))


@router.post(
    "/incidents/{incident_id}/resources", response={201: ResourceOut, **WRITE_ERRORS}, summary="调用资源到事件"
)
def resource_allocate(request, incident_id: int, payload: AllocateIn):
    incident = selectors.incident_get(request.member, incident_id)
    resource = selectors.resource_get(request.member, payload.resource)
    row = services.incident_resource_allocate(actor=request.member, incident=incident, resource=resource)
    return Status(201, _resource(resource, row))


@router.post(
    "/incidents/{incident_id}/resources/{resource_id}/release",
    response={200: ResourceOut, **WRITE_ERRORS},
    summary="释放事件的资源",
)
def resource_release(request, incident_id: int, resource_id: int):
    incident = selectors.incident_get(request.member, incident_id)
    resource = selectors.resource_get(request.member, resource_id)
    services.incident_resource_release(actor=request.member, incident=incident, resource=resource)
    return _resource(resource, None)


@router.post("/incidents/{incident_id}/reports", response={201: SituationReportOut, **WRITE_ERRORS}, summary="续报")
def report_create(request, incident_id: int, payload: TextIn):
    incident = selectors.incident_get(request.member, incident_id)
    return Status(201, _report(services.incident_report(actor=request.member, incident=incident, text=payload.text)))


@router.post("/incidents/{incident_id}/stand_down", response={200: IncidentOut, **WRITE_ERRORS}, summary="终止响应")
def stand_down(request, incident_id: int, payload: SummaryIn):
    incident = selectors.incident_get(request.member, incident_id)
    done = services.incident_stand_down(actor=request.member, incident=incident, summary=payload.summary)
    return _incident(done, full=True)


@router.get("/incidents/{incident_id}/documents", response={200: list[DocumentOut], **ERRORS}, summary="事件文书")
def incident_documents(request, incident_id: int):
    incident = selectors.incident_get(request.member, incident_id)
    if incident.state != Incident.State.CLOSED:
        return []
    base = f"/api/v1/incidents/{incident.pk}/documents/after_action"
    return [
        {"kind": "after_action", "title": "应急处置总结报告", "url": f"{base}?format={fmt}", "content_type": ctype}
        for fmt, ctype in (("pdf", PDF), ("docx", DOCX))
    ]


@router.get("/incidents/{incident_id}/documents/after_action", response=ERRORS, summary="下载总结报告")
def incident_document(request, incident_id: int, format: str = "pdf"):
    incident = selectors.incident_get(request.member, incident_id)
    if incident.state != Incident.State.CLOSED or format not in ("pdf", "docx"):
        raise NotFound("文书尚未生成。")
    drawn = paper.after_action(incident)
    body, ctype = (pdf_bytes(drawn), PDF) if format == "pdf" else (docx_bytes(drawn), DOCX)
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{incident.code}.{format}"'
    return response


def _person(m) -> dict:
    return {"id": m.pk, "name": m.user.name, "unit": m.unit.code}


def _shift(s) -> dict:
    return {
        "on": s.on,
        "shift": s.shift,
        "commander": _person(s.commander),
        "members": [_person(m) for m in s.members.all()],
        "version": s.version,
    }


@router.get("/duty-roster", response={200: list[DutyShiftOut], **ERRORS}, summary="值班表（本辖区，按日期）")
def roster_list(request, filters: Query[RosterQuery]):
    days = selectors.roster(request.member, filters.start or timezone.localdate(), filters.days)
    return [_shift(s) for day in days for _, s in day["shifts"] if s is not None]


@router.post("/duty-roster", response={200: DutyShiftOut, **WRITE_ERRORS}, summary="排班（同一班次再次提交即替换）")
def roster_set(request, payload: DutyShiftIn):
    row = services.duty_shift_set(actor=request.member, **payload.model_dump())
    return _shift(selectors.duty_shift_get(row.pk))
