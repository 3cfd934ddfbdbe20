"""The half-monthly joint-meeting report (半月联席会议报告) for any half-month: the period's
figures, the key and red cases, the overdue items, and the actions decided at the previous
meeting with their status — as DOCX and PDF from one Paper (yimen/core/documents.py),
generated on demand and stored nowhere; each generation is logged."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from yimen.cases.models import ACTIVE_STATES, LEVEL_NAMES, Case, Risk
from yimen.core.calendar import SHANGHAI
from yimen.core.documents import DOCX, PDF, Fields, Grid, Heading, Paper, Para, docx_bytes, pdf_bytes
from yimen.core.permissions import require_permission
from yimen.geo.models import Region
from yimen.insight import selectors
from yimen.insight.kpis.definitions import KPIS
from yimen.insight.kpis.period import Period
from yimen.insight.models import JointMeeting, MeetingAction
from yimen.org.models import Membership
from yimen.org.services import audit_as

KEY_CASES = 30
OVERDUE_ROWS = 50
LEVELS = {"urge": "催办", "supervise": "督办", "censure": "通报", "none": "超期"}


@dataclass(frozen=True)
class Report:
    content: bytes
    content_type: str
    filename: str


def _day(moment) -> str:
    return timezone.localtime(moment).strftime("%m-%d") if moment else ""


def _figures(member: Membership, region: Region, period: Period) -> list:
    board = selectors.kpi_board(member=member, region=region.code, since=period.since, until=period.until)
    cards = selectors.kpi_cards(board)
    return [
        Heading("一、本期主要指标"),
        Grid(["指标", "数值", "口径"], [[c["label"], c["shown"], c["definition"]] for c in cards]),
    ]


def _key_cases(member: Membership, region: Region, period: Period) -> list:
    end = datetime.combine(period.until + timedelta(days=1), time.min, tzinfo=SHANGHAI)
    cases = (
        Case.objects.visible_to(member)
        .filter(region_path__startswith=region.path, risk__in=(Risk.RED, Risk.ORANGE), received_at__lt=end)
        .filter(state__in=ACTIVE_STATES)
        .select_related("region", "lead_unit")
        .order_by("-risk", "received_at")[:KEY_CASES]  # "red" sorts after "orange": red first
    )
    rows = [
        [
            c.code,
            c.get_risk_display(),
            c.title,
            c.region.name,
            c.lead_unit.name if c.lead_unit else "未派单",
            c.joint_plan or "（尚无联合处置方案）",
        ]
        for c in cases
    ]
    return [
        Heading("二、重点及红色风险案件"),
        Grid(["编码", "风险", "事项", "区域", "主办单位", "联合处置方案"], rows)
        if rows
        else Para("本期无在办的红、橙色风险案件。"),
    ]


def _overdue(member: Membership, region: Region) -> list:
    cases = (
        Case.objects.visible_to(member)
        .overdue()
        .filter(region_path__startswith=region.path)
        .select_related("region", "lead_unit", "first_unit")
        .order_by("-supervision_level", "deadline", "id")[:OVERDUE_ROWS]
    )
    rows = [
        [
            c.code,
            c.title,
            (c.lead_unit or c.first_unit).name,
            _day(c.deadline or c.accept_deadline),
            LEVELS[LEVEL_NAMES[c.overdue_level]],
        ]
        for c in cases
    ]
    return [
        Heading("三、超期事项"),
        Grid(["编码", "事项", "责任单位", "期限", "级别"], rows) if rows else Para("目前无超期事项。"),
    ]


def previous_meeting(*, region: Region, period: Period) -> JointMeeting | None:
    """The last meeting of the region (or of a region above it) held before the period ended."""
    covering = [*region.ancestor_codes, region.code]
    return (
        JointMeeting.objects.filter(region__code__in=covering, held_on__lte=period.until)
        .order_by("-held_on", "-id")
        .first()
    )


def _actions(region: Region, period: Period) -> list:
    meeting = previous_meeting(region=region, period=period)
    if meeting is None:
        return [Heading("四、上次会议议定事项落实情况"), Para("此前没有登记联席会议。")]
    today = timezone.localdate()
    rows = []
    for action in meeting.actions.select_related("owner", "case").order_by("due_on", "id"):
        status = action.get_status_display() + ("（已逾期）" if action.is_overdue(today) else "")
        rows.append([action.task, action.owner.name, f"{action.due_on:%m-%d}", status, action.progress])
    blocks = [
        Heading("四、上次会议议定事项落实情况"),
        Fields(
            [
                ("上次会议", f"{meeting.held_on:%Y年%m月%d日} {meeting.title}"),
                ("议定事项", "；".join(meeting.decision_lines)),
            ]
        ),
    ]
    blocks.append(
        Grid(["任务", "责任单位", "时限", "状态", "落实情况"], rows) if rows else Para("上次会议未分派督办事项。")
    )
    return blocks


def half_month_report(*, actor: Membership, region: Region, period: Period, fmt: str = "pdf") -> Report:
    """半月联席会议报告 of a region in the actor's jurisdiction for a half-month, DOCX or PDF;
    logged as meeting_report. Cases are the actor's visible ones."""
    require_permission(actor, "dashboard.view")
    paper = Paper(
        title=f"{region.name}半月联席会议报告",
        issuer=f"{region.name}综治中心",
        number=f"{period.since:%Y年%m月}{'上' if period.since.day == 1 else '下'}半月",
        dated=timezone.localdate(),
        blocks=[
            Para(f"统计期间：{period.label}。指标口径见表内“口径”一栏。"),
            *_figures(actor, region, period),
            *_key_cases(actor, region, period),
            *_overdue(actor, region),
            *_actions(region, period),
        ],
        footer=f"共 {len(KPIS)} 项指标；由一门综治中心平台生成",
    )
    audit_as(
        actor,
        action="meeting_report",
        target=f"region:{region.code}",
        detail={"since": str(period.since), "until": str(period.until), "format": fmt},
    )
    body, content_type = (docx_bytes(paper), DOCX) if fmt == "docx" else (pdf_bytes(paper), PDF)
    return Report(body, content_type, f"半月联席会议报告-{region.code}-{period.since:%Y%m%d}.{fmt}")


def open_actions_overdue(*, member: Membership) -> int:
    """Open meeting actions past their due date in the member's jurisdiction."""
    return MeetingAction.objects.filter(
        meeting__region__path__startswith=member.jurisdiction.path,
        status=MeetingAction.Status.OPEN,
        due_on__lt=timezone.localdate(),
    ).count()
