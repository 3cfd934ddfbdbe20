"""督办: the supervision board, a case's orders, the open orders and the upward reports owed."""

from datetime import datetime

from django.db.models import Case as Choose
from django.db.models import (
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yimen.cases.models import (
    RISK_ORDER,
    Case,
    Risk,
    SupervisionOrder,
    UpwardReport,
)
from yimen.core.documents import DOCX, PDF


def supervision_board(*, member, now: datetime | None = None) -> QuerySet[Case]:
    """督办看板: open red and orange cases, and open cases that are late or under supervision,
    red first, then by deadline."""
    now = now or timezone.now()
    cases = Case.objects.visible_to(member).active()
    late = Q(deadline__lt=now) | Q(state=Case.State.REGISTERED, accept_deadline__lt=now)
    hot = Q(risk__in=(Risk.RED, Risk.ORANGE)) | Q(supervision_level__gt=0) | late
    rank = Choose(*(When(risk=risk, then=Value(n)) for risk, n in RISK_ORDER.items()), output_field=IntegerField())
    return (
        cases.filter(hot)
        .annotate(risk_rank=rank)
        .select_related("region", "lead_unit", "first_unit")
        .order_by("-risk_rank", "deadline", "id")
    )


def supervision_orders(*, case: Case) -> QuerySet[SupervisionOrder]:
    """A case's 督办单, first issued first, with the unit each is addressed to (the case has
    been found visible already)."""
    return case.supervision_orders.select_related("unit").order_by("issued_at", "id")


def supervision_order_get(*, case: Case, order_id: int) -> SupervisionOrder:
    """One of the case's 督办单; another case's, or none → 404."""
    return get_object_or_404(supervision_orders(case=case).select_related("case"), pk=order_id)


def supervision_orders_open(*, member) -> QuerySet[SupervisionOrder]:
    """督办看板: the unanswered 督办单 on cases the member sees, the earliest correction deadline
    first (so the overdue ones lead)."""
    visible = Case.objects.visible_to(member)
    return (
        SupervisionOrder.objects.filter(answered_at=None, case__in=visible)
        .select_related("case", "unit")
        .order_by("correct_by", "id")
    )


def upward_report(*, case: Case) -> UpwardReport | None:
    """The report to the county the (visible) case owes or filed, if its risk tier asked one."""
    return UpwardReport.objects.filter(case=case).first()


def upward_reports_owed(*, member) -> QuerySet[UpwardReport]:
    """督办看板: the reports to the county still owed on cases the member sees, earliest due
    first (so the overdue ones lead)."""
    visible = Case.objects.visible_to(member)
    return (
        UpwardReport.objects.filter(reported_at=None, case__in=visible).select_related("case").order_by("due_at", "id")
    )


def order_documents(order: SupervisionOrder) -> list[dict]:
    """The DOCX and PDF download links of one 督办单 (stored under its own document kind)."""
    code, kind = order.case.code, order.document_kind
    return [
        {
            "kind": kind,
            "title": f"{order.number}（{fmt.upper()}）",
            "url": f"/api/v1/cases/{code}/documents/{kind}?format={fmt}",
            "content_type": content_type,
        }
        for fmt, content_type in (("docx", DOCX), ("pdf", PDF))
    ]
