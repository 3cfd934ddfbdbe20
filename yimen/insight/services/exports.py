"""Excel exports of the command centre: a filtered case list and a KPI table, each within the
member's scope, for a stated purpose, logged (DESIGN §2.5: every export is logged with its
purpose). The same pattern as the registry's person export (yimen/people/exports.py): the
scoped selector, a purpose or a refusal, a workbook through yimen.core.spreadsheets (text as
text, never a formula), one audit entry."""

from dataclasses import asdict

from django.db import transaction
from django.utils import timezone

from yimen.cases.models import LEVEL_NAMES, Case
from yimen.cases.selectors import CaseFilters, case_list
from yimen.core.errors import Invalid
from yimen.core.permissions import require_permission
from yimen.core.spreadsheets import Book
from yimen.insight import selectors
from yimen.insight.kpis.definitions import KPIS
from yimen.org.models import Membership
from yimen.org.services import audit_as
from yimen.people.exports import Export
from yimen.people.services import PURPOSE_MAX

EXPORT_MAX = 100_000
CASE_COLUMNS = [
    "案件编码",
    "标题",
    "种类",
    "状态",
    "风险",
    "所在区域",
    "首接单位",
    "主办单位",
    "收到时间",
    "办结期限",
    "是否超期",
    "督办级别",
    "办结时间",
    "回访评价",
]
OVERDUE_LABELS = {"none": "", "urge": "催办", "supervise": "督办", "censure": "通报"}


def _purpose(purpose: str, what: str) -> str:
    purpose = (purpose or "").strip()
    if not purpose:
        raise Invalid("请填写导出目的。", errors={"purpose": [f"导出{what}须说明目的，如“半月联席会议材料”。"]})
    if len(purpose) > PURPOSE_MAX:
        raise Invalid("导出目的过长。", errors={"purpose": [f"最多 {PURPOSE_MAX} 个字。"]})
    return purpose


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


@transaction.atomic
def cases_export(*, actor: Membership, purpose: str, filters: CaseFilters, ip: str = "") -> Export:
    """导出案件清单: the cases the member's list shows for these filters (Case.visible_to), with
    no party's name, phone or ID number; logged as case_export with the purpose, the filters and
    the number of rows."""
    require_permission(actor, "case.export")
    purpose = _purpose(purpose, "案件清单")
    cases = case_list(member=actor, filters=filters).select_related("first_unit")
    total = cases.count()
    if total > EXPORT_MAX:
        raise Invalid(f"符合条件的有 {total:,} 件，一次最多导出 {EXPORT_MAX:,} 件，请缩小范围。", code="too_many")
    book = Book()
    sheet = book.sheet("案件")
    sheet.header(CASE_COLUMNS)
    rows = 0
    for case in cases.iterator(chunk_size=2000):
        sheet.row(_case_line(case))
        rows += 1
    shown = {name: str(value) for name, value in asdict(filters).items() if value not in (None, "")}
    audit_as(
        actor, action="case_export", target="cases", purpose=purpose, ip=ip, detail={"rows": rows, "filters": shown}
    )
    return Export(content=book.content(), filename=f"案件清单-{_stamp()}.xlsx", rows=rows, full_values=False)


def _case_line(case: Case) -> list:
    return [
        case.code,
        case.title,
        case.get_kind_display(),
        case.get_state_display(),
        case.get_risk_display(),
        case.region.name,
        case.first_unit.name,
        case.lead_unit.name if case.lead_unit else "",
        case.received_at,
        case.deadline,
        "是" if case.is_overdue else "",
        OVERDUE_LABELS[LEVEL_NAMES[case.overdue_level]],
        case.closed_at,
        case.rating or "",
    ]


@transaction.atomic
def kpis_export(*, actor: Membership, purpose: str, region: str | None, since=None, until=None, ip: str = "") -> Export:
    """导出指标表: the KPIs of a region and of each region one level down, for a period, as
    the dashboard shows them; logged as kpi_export with the purpose, region and period."""
    require_permission(actor, "kpi.view")
    purpose = _purpose(purpose, "指标表")
    board = selectors.kpi_board(member=actor, region=region, since=since, until=until)
    below = selectors.drill_level(board.region)
    areas = [board.region, *(selectors.child_regions(member=actor, region=board.region, level=below) if below else [])]
    book = Book()
    sheet = book.sheet("指标")
    sheet.caption(f"统计期间：{board.period.label}")
    sheet.header(["区域", "代码", *(kpi.label for kpi in KPIS)])
    for area in areas:
        values = (
            board.values
            if area == board.region
            else selectors.kpi_board(
                member=actor, region=area.code, since=board.period.since, until=board.period.until
            ).values
        )
        sheet.row([area.name, area.code, *(values[kpi.key] for kpi in KPIS)])
    definitions = book.sheet("指标定义")
    definitions.header(["指标", "定义"])
    for kpi in KPIS:
        definitions.row([kpi.label, kpi.definition])
    detail = {"region": board.region.code, "since": str(board.period.since), "until": str(board.period.until)}
    audit_as(actor, action="kpi_export", target=f"region:{board.region.code}", purpose=purpose, ip=ip, detail=detail)
    return Export(
        content=book.content(),
        filename=f"指标表-{board.region.code}-{_stamp()}.xlsx",
        rows=len(areas),
        full_values=False,
    )
