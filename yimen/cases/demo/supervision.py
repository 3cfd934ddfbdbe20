"""The demo's 督办单 and reports to the county (issue 14 parts 6–7), on the simulated year: two
督办单 issued through the services — one the police station answered with its correction
record, one still open and due — and the red cases' upward reports, the older ones filed."""

from datetime import timedelta

from django.db.models import Q

from yimen.cases import services, tiers
from yimen.cases.demo.world import _World
from yimen.cases.models import Assignment, Case, SupervisionOrder, UpwardReport
from yimen.core.deadlines import deadline_hours
from yimen.org.models import Membership

ORDERS = [
    (
        "not_handled",
        "群众反映多次未见处理，请限期办理并书面反馈。",
        5,
        "已约谈双方当事人，现场重新确认界址并签订调解协议，矛盾已化解。",
    ),
    ("overdue", "已超过办理期限，请说明原因并加快办理。", 3, None),
]
FILED = "已电话报告县综治中心值班室，并报送书面情况（含联合处置方案）。"


def build_demo_supervision(world: _World) -> tuple[int, int]:
    """(督办单, upward reports) written; nothing when the town already has 督办单."""
    town = Q(case__region_path__startswith=world.town.path)
    if world.supervisor is None or SupervisionOrder.objects.filter(town).exists():
        return 0, 0
    return _orders(world), _reports(world)


def _orders(world: _World) -> int:
    """Two lead assignments in progress, each with a seat of its unit to answer."""
    issued = 0
    signed = (
        Assignment.objects.filter(
            role="lead", state="signed", case__state="in_progress", case__region_path__startswith=world.town.path
        )
        .select_related("case", "unit")
        .order_by("deadline", "id")
    )
    for (reason, note, days, answer), assignment in zip(ORDERS, _answerable(signed), strict=False):
        case = assignment.case
        case = services.case_supervise(
            case=case,
            actor=world.supervisor,
            version=case.version,
            reason_type=reason,
            note=note,
            correct_within_days=days,
        )
        issued += 1
        if answer:
            order = case.supervision_orders.get()
            services.supervision_order_answer(order=order, actor=_seat(assignment), text=answer)
    return issued


def _answerable(assignments):
    seen = set()
    for assignment in assignments.iterator():
        if assignment.unit_id not in seen and _seat(assignment) is not None:
            seen.add(assignment.unit_id)
            yield assignment


def _seat(assignment: Assignment) -> Membership | None:
    return (
        Membership.objects.filter(unit=assignment.unit, role="handler", is_active=True)
        .select_related("user", "unit")
        .first()
    )


def _reports(world: _World) -> int:
    """The open red cases of the simulated year owe their report from the day they were
    received (written as history, by the tier's policy); those older than two days were filed."""
    tier = tiers.tier_for("red")
    if tier is None or not tier.report_required:
        return 0
    red = Case.unscoped.filter(region_path__startswith=world.town.path, risk="red", upward_report__isnull=True)
    reports = []
    for case in red.order_by("received_at"):
        due = deadline_hours(case.received_at, tier.report_policy.amount)
        old = case.received_at < world.now - timedelta(days=2)
        reports.append(
            UpwardReport(
                case=case,
                to=tier.report_to,
                due_at=due,
                created_at=case.received_at,
                reported_at=case.received_at + timedelta(hours=3) if old else None,
                reported_by=world.dispatcher.user if old and world.dispatcher else None,
                reported_by_name=world.dispatcher.user.name if old and world.dispatcher else "",
                text=FILED if old else "",
            )
        )
    UpwardReport.objects.bulk_create(reports)
    return len(reports)
