"""API: grid work (网格工作). The phone app at /m/ calls these same paths with its session (and
the CSRF token); integrations use the Bearer token. Offline writes carry an Idempotency-Key."""

from django.urls import reverse
from ninja import Header, Query, Router, Status
from ninja.security import django_auth

from yimen.core.errors import Invalid
from yimen.core.idempotency import Once
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, ErrorOut, refuse_unknown_query
from yimen.fieldwork import selectors, services
from yimen.fieldwork.models import CheckList, Report
from yimen.fieldwork.schemas import (
    AlertCallOut,
    AlertIn,
    AlertOut,
    CheckIn,
    CheckListOut,
    HouseholdPageOut,
    HouseholdQuery,
    PatrolIn,
    ReportIn,
    ReportOut,
    SubmittedOut,
    TaskOut,
    VisitIn,
)
from yimen.org.auth import BearerAuth

router = Router(tags=["网格工作"], auth=[BearerAuth(), django_auth])
WRITE_ERRORS = {400: ErrorOut, **ERRORS}
PAGE = 50
KEY = Header(..., alias="Idempotency-Key", min_length=1, max_length=100, description="客户端生成的唯一键（如 UUID）")


def _use(request) -> None:
    require_permission(request.member, "fieldwork.use")


def report_out(report: Report) -> dict:
    case = report.case
    return {
        "id": report.pk,
        "kind": report.kind,
        "state": report.state,
        "state_label": report.get_state_display(),
        "title": report.title,
        "region": {"code": report.region.code, "name": report.region.name},
        "located": report.located,
        "reporter_name": report.reporter_name,
        "photos": len(report.photos.all()),
        "case": {
            "code": case.code,
            "state": case.state,
            "state_label": case.get_state_display(),
            "deadline": case.deadline,
            "updated_at": case.updated_at,
        }
        if case
        else None,
        "created_at": report.created_at,
    }


def _submitted(submitted: Once, **extra) -> Status:
    return Status(201 if submitted.created else 200, {"id": submitted.object_id, "created": submitted.created, **extra})


@router.post(
    "/fieldwork/reports",
    response={201: ReportOut, 200: ReportOut, **WRITE_ERRORS},
    summary="网格上报（隐患、纠纷、突发事件、诉求）；须带 Idempotency-Key",
    description="网格员的上报即登记为案件（渠道 grid）；信息员的上报待网格员核实登记。"
    "同一键相同内容重试返回第一次的结果；同一键换了内容 → 409。",
)
def report_create(request, payload: ReportIn, idempotency_key: str = KEY):
    _use(request)
    fields = payload.model_dump()
    fields["location"] = payload.location.model_dump() if payload.location else None
    submitted = services.report_submit(actor=request.member, idempotency_key=idempotency_key, **fields)
    report = selectors.report_get(member=request.member, report_id=submitted.object_id)
    return Status(201 if submitted.created else 200, report_out(report))


@router.get("/fieldwork/reports", response={200: list[ReportOut], **ERRORS}, summary="我的上报及办理进度")
def report_list(request):
    _use(request)
    refuse_unknown_query(request, ())
    return [report_out(r) for r in selectors.my_reports(member=request.member)[:200]]


@router.get("/fieldwork/reports/{report_id}", response={200: ReportOut, **ERRORS}, summary="一份上报及其案件进度")
def report_detail(request, report_id: int):
    _use(request)
    return report_out(selectors.report_get(member=request.member, report_id=report_id))


@router.post(
    "/fieldwork/reports/{report_id}/register",
    response={200: ReportOut, **WRITE_ERRORS},
    summary="核实信息员的上报并登记为案件（网格员、网格长）",
)
def report_register(request, report_id: int):
    _use(request)
    report = selectors.report_get(member=request.member, report_id=report_id)
    services.report_register(actor=request.member, report=report)
    return report_out(selectors.report_get(member=request.member, report_id=report_id))


@router.post(
    "/fieldwork/visits",
    response={201: SubmittedOut, 200: SubmittedOut, **WRITE_ERRORS},
    summary="走访或民情记录（写入民情档案）；须带 Idempotency-Key",
    description="household_version 为离线前看到的该户版本；该户期间被修改 → 409 household_changed。",
)
def visit_create(request, payload: VisitIn, idempotency_key: str = KEY):
    _use(request)
    household = selectors.household_get(member=request.member, household_id=payload.household)
    person = None
    if payload.person is not None:
        person = next((p for p in household.members.all() if p.pk == payload.person), None)
        if person is None:
            raise Invalid("所选人员不是该户成员。", errors={"person": ["所选人员不是该户成员。"]})
    submitted = services.visit_record(
        actor=request.member,
        idempotency_key=idempotency_key,
        household=household,
        household_version=payload.household_version,
        text=payload.text,
        happened_on=payload.happened_on,
        kind=payload.kind,
        person=person,
        follow_up=payload.follow_up,
        follow_up_due=payload.follow_up_due,
    )
    return _submitted(submitted)


@router.get("/fieldwork/households", response={200: HouseholdPageOut, **ERRORS}, summary="我负责网格的户（花名册）")
def household_list(request, filters: Query[HouseholdQuery]):
    _use(request)
    refuse_unknown_query(request, HouseholdQuery.model_fields)
    region = selectors.area_get(member=request.member, code=filters.region) if filters.region else None
    found = selectors.household_page(
        member=request.member, region=region, q=filters.q, page=filters.page, per_page=PAGE
    )
    rows = found.object_list if filters.page <= found.paginator.num_pages else []
    items = [
        {
            "id": h.pk,
            "address": h.address,
            "region": {"code": h.region.code, "name": h.region.name},
            "head": h.head.name if h.head else "",
            "size": h.size,
            "version": h.version,
            "police_contact": h.police_contact_on is not None,
            "defence_group": h.defence_group.name if h.defence_group else None,
        }
        for h in rows
    ]
    return {"count": found.paginator.count, "items": items}


@router.get("/fieldwork/tasks", response={200: list[TaskOut], **ERRORS}, summary="今日任务")
def task_list(request):
    _use(request)
    found = selectors.tasks(member=request.member)
    home = reverse("fieldwork:household", args=[0]).removesuffix("0/")
    items = [
        {
            "kind": "follow_up",
            "title": f"跟进：{v.household.address}（{v.follow_up}）",
            "due": v.follow_up_due,
            "url": f"{home}{v.household_id}/",
        }
        for v in found.follow_ups
    ]
    items += [{"kind": "unvisited", "title": f"走访：{h.address}", "url": f"{home}{h.pk}/"} for h in found.unvisited]
    items += [
        {"kind": "verify", "title": f"核实：{r.title}", "url": reverse("fieldwork:report", args=[r.pk])}
        for r in found.to_verify
    ]
    items += [
        {"kind": "report", "title": f"办理中：{r.title}", "url": reverse("fieldwork:report", args=[r.pk])}
        for r in found.open_reports
    ]
    items += [
        {"kind": "check", "title": f"排查：{p.name}", "url": reverse("fieldwork:check", args=[p.pk])}
        for p in found.checks
    ]
    return items


@router.get("/fieldwork/checklists", response={200: list[CheckListOut], **ERRORS}, summary="隐患排查清单（按场所类型）")
def checklist_list(request):
    _use(request)
    return list(CheckList.objects.all())


@router.post(
    "/fieldwork/checks",
    response={201: SubmittedOut, 200: SubmittedOut, **WRITE_ERRORS},
    summary="排查记录；须带 Idempotency-Key（发现问题可自动上报）",
)
def check_create(request, payload: CheckIn, idempotency_key: str = KEY):
    _use(request)
    place = selectors.place_get(member=request.member, place_id=payload.place)
    submitted = services.check_record(
        actor=request.member,
        idempotency_key=idempotency_key,
        place=place,
        checked_on=payload.checked_on,
        results={r.item: r.result for r in payload.results},
        note=payload.note,
        report_problems=payload.report_problems,
    )
    return _submitted(submitted)


@router.post(
    "/fieldwork/patrols",
    response={201: SubmittedOut, 200: SubmittedOut, **WRITE_ERRORS},
    summary="巡逻日志（含轨迹点）；须带 Idempotency-Key",
)
def patrol_create(request, payload: PatrolIn, idempotency_key: str = KEY):
    _use(request)
    team = selectors.team_get(member=request.member, team_id=payload.team)
    submitted = services.patrol_log_record(
        actor=request.member,
        idempotency_key=idempotency_key,
        team=team,
        started_at=payload.started_at,
        ended_at=payload.ended_at,
        route=payload.route,
        note=payload.note,
    )
    return _submitted(submitted)


def alert_out(alert) -> dict:
    calls = [
        {
            "position": c.position,
            "name": c.person.name,
            "phone_masked": c.phone_masked,
            "result": c.result,
            "acknowledged_at": c.acknowledged_at,
        }
        for c in alert.calls.all()
    ]
    return {
        "id": alert.pk,
        "group": alert.group.name,
        "household": alert.household.address,
        "message": alert.message,
        "raised_at": alert.raised_at,
        "calls": calls,
    }


@router.post("/fieldwork/alerts", response={201: AlertOut, **WRITE_ERRORS}, summary="十户联防报警：通知本组呼叫名单")
def alert_create(request, payload: AlertIn):
    _use(request)
    household = selectors.household_get(member=request.member, household_id=payload.household)
    alert = services.defence_alert_raise(actor=request.member, household=household, message=payload.message)
    return Status(201, alert_out(selectors.alerts(member=request.member).get(pk=alert.pk)))


@router.post(
    "/fieldwork/alerts/{alert_id}/calls/{position}/acknowledge",
    response={200: AlertCallOut, **WRITE_ERRORS},
    summary="记录呼叫名单上某人已确认收到",
)
def alert_acknowledge(request, alert_id: int, position: int):
    _use(request)
    call = selectors.alert_call_get(member=request.member, alert_id=alert_id, position=position)
    call = services.alert_acknowledge(actor=request.member, call=call)
    return {
        "position": call.position,
        "name": call.person.name,
        "phone_masked": call.phone_masked,
        "result": call.result,
        "acknowledged_at": call.acknowledged_at,
    }
