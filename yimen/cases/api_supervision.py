"""API: 督办单 and their correction records (issue 14 part 7) — `supervise` and `censure` issue
them (the case actions); here the case's orders are read and the addressed unit answers — and a
red case's report to the county and the dispatch suggestion its risk tier makes (part 6, 洞井
分级处置)."""

from typing import Annotated

from ninja import Path, Router

from yimen.cases import page_selectors, selectors, services
from yimen.cases.api import WRITE_ERRORS, _visible
from yimen.cases.models import SupervisionOrder, UpwardReport
from yimen.cases.schemas import (
    DispatchSuggestionOut,
    OrderAnswerIn,
    SupervisionOrderOut,
    UpwardReportIn,
    UpwardReportOut,
)
from yimen.core.errors import NotFound
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, ID_MAX

router = Router(tags=["案件"])
OrderId = Annotated[int, Path(ge=1, le=ID_MAX, description="督办单编号")]


def order_out(order: SupervisionOrder) -> dict:
    return {
        "id": order.pk,
        "number": order.number,
        "kind": order.kind,
        "reason_type": order.reason_type,
        "reason_label": order.get_reason_type_display(),
        "text": order.text,
        "unit": order.unit.code,
        "unit_name": order.unit.name,
        "issued_at": order.issued_at,
        "issued_by": order.issued_by_name,
        "correct_by": order.correct_by,
        "overdue": order.is_overdue,
        "answer": order.answer,
        "answered_at": order.answered_at,
        "documents": selectors.order_documents(order),
    }


@router.get(
    "/cases/{code}/supervision-orders",
    response={200: list[SupervisionOrderOut], **ERRORS},
    summary="督办单及整改情况（最早在前）",
)
def supervision_order_list(request, code: str):
    case = _visible(request, code)
    return [order_out(order) for order in selectors.supervision_orders(case=case)]


@router.post(
    "/cases/{code}/supervision-orders/{order_id}/answer",
    response={200: SupervisionOrderOut, **WRITE_ERRORS},
    summary="反馈整改情况（督办单的责任单位）",
)
def supervision_order_answer(request, code: str, order_id: OrderId, payload: OrderAnswerIn):
    case = _visible(request, code)
    order = selectors.supervision_order_get(case=case, order_id=order_id)
    return order_out(services.supervision_order_answer(order=order, actor=request.member, text=payload.text))


def report_out(report: UpwardReport) -> dict:
    return {
        "to": report.to,
        "due_at": report.due_at,
        "overdue": report.is_overdue,
        "reported_at": report.reported_at,
        "reported_by": report.reported_by_name,
        "text": report.text,
    }


@router.get(
    "/cases/{code}/upward-report",
    response={200: UpwardReportOut, **ERRORS},
    summary="向上报告（红色风险报县综治中心）；无须报告 → 404",
)
def upward_report_detail(request, code: str):
    report = selectors.upward_report(case=_visible(request, code))
    if report is None:
        raise NotFound("该案件无须向上报告。", code="no_report_owed")
    return report_out(report)


@router.post(
    "/cases/{code}/upward-report",
    response={200: UpwardReportOut, **WRITE_ERRORS},
    summary="报县综治中心（派单员、领导）",
)
def upward_report_file(request, code: str, payload: UpwardReportIn):
    case = _visible(request, code)
    return report_out(services.case_report_upward(case=case, actor=request.member, text=payload.text))


@router.get(
    "/cases/{code}/dispatch-suggestion",
    response={200: DispatchSuggestionOut, **ERRORS},
    summary="派单建议：派单目录与风险分级处置规则建议的主办、协办单位及理由（仅建议，由派单员决定）",
)
def dispatch_suggestion(request, code: str):
    require_permission(request.member, "case.dispatch")
    case = _visible(request, code)
    suggested = page_selectors.dispatch_suggestion(case=case)
    return {
        "lead_unit": suggested.get("lead_unit") or None,
        "support_units": suggested.get("support_units", []),
        "reason": suggested.get("reason", ""),
    }
