"""Computing an upstream form for a region and period (each figure with the case codes behind it)
and writing it as xlsx through yimen.core.spreadsheets (typed numbers, never a formula: the 合计
line and the rates are computed here, not by Excel)."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils.http import urlencode

from yimen.cases.models import Case
from yimen.core.calendar import day_end, day_start
from yimen.core.errors import Invalid
from yimen.core.spreadsheets import Book
from yimen.geo.models import Region
from yimen.insight import linked
from yimen.insight.kpis.compute import allowed_kinds
from yimen.insight.kpis.period import Period
from yimen.insight.upstream.definitions import Form, Row

PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
OWN_LEVEL = "（本级）"  # cases registered at the region itself, in none of its children
# Above this many case lines the 数据来源 sheet gives each line's case-list link instead of
# listing codes: a county-year would be a million lines no one reads, and slow to write.
TRACE_MAX = 20_000


@dataclass
class Line:
    code: str
    name: str
    cases: dict[str, list[str]] = field(default_factory=dict)  # figure key → case codes

    def count(self, key: str) -> int:
        return len(self.cases.get(key, ()))


@dataclass
class Table:
    form: Form
    region: Region
    period: Period
    lines: list[Line]

    def total(self, key: str) -> int:
        return sum(line.count(key) for line in self.lines)


def period_parse(value: str | None, *, today: date) -> Period:
    """`YYYY-MM` (a month) or `YYYY` (a year); 422 with a Chinese message otherwise."""
    match = PERIOD.match(value or "")
    year = int(match.group(1)) if match else 0
    month = int(match.group(2)) if match and match.group(2) else None
    if not match or not 2000 <= year <= today.year + 1 or (month is not None and not 1 <= month <= 12):
        raise Invalid("统计期间有误。", errors={"period": ["请填写月份 YYYY-MM 或年份 YYYY（2000 年至明年）。"]})
    if month is None:
        return Period(date(year, 1, 1), date(year, 12, 31))
    following = date(year + month // 12, month % 12 + 1, 1)
    return Period(date(year, month, 1), date.fromordinal(following.toordinal() - 1))


COLUMNS = ("id", "code", "kind", "channel", "category__group", "received_at", "closed_at", "deadline", "group_size")


def _cases(member, form: Form, region: Region, start, end):
    """The cases of the form's kinds in the region received or closed in the window, as two
    reads that each use their own index (received_at; the partial closed_at one) rather than
    one OR that scans the table, each with its region path."""
    kinds = sorted(allowed_kinds(member) & set(form.kinds))
    base = Case.unscoped.filter(region_path__startswith=region.path, kind__in=kinds)
    if form.grid_only:
        base = base.filter(channel="grid")
    received = base.filter(received_at__gte=start, received_at__lt=end)
    closed_before = base.filter(closed_at__gte=start, closed_at__lt=end, received_at__lt=start)
    # 信访工作条例 art. 46: the accused unit never sees the accusation, nor counts it.
    hidden = set(base.filter(accused_units=member.unit_id).values_list("id", flat=True))
    repeats = linked.repeat_petitions(received) if "petition" in form.kinds else set()
    for part in (received, closed_before):
        for values in part.order_by().values_list(*COLUMNS, "region_path").iterator(chunk_size=5000):
            if values[0] not in hidden:
                yield values, values[0] in repeats


def compute(*, member, form: Form, region: Region, period: Period) -> Table:
    """The form's figures for the region (already inside the member's jurisdiction) and period,
    one line per region one level down (and 本级 for cases at the region itself)."""
    children = list(Region.objects.filter(parent=region).exclude(level=Region.Level.SPECIAL).order_by("code"))
    lines = {r.code: Line(r.code, r.name) for r in children}
    own = Line(region.code, OWN_LEVEL)
    at = len(region.path.strip("/").split("/"))
    start, end = day_start(period.since), day_end(period.until)
    for (_, code, kind, channel, group, received_at, closed_at, deadline, size, path), repeat in _cases(
        member, form, region, start, end
    ):
        parts = path.strip("/").split("/")
        line = lines.get(parts[at], own) if len(parts) > at else own
        closed = closed_at is not None and start <= closed_at < end
        row = Row(
            code=code,
            kind=kind,
            channel=channel,
            group=group or "",
            received=start <= received_at < end,
            closed=closed,
            on_time=closed and (deadline is None or closed_at <= deadline),
            group_size=size,
            repeat=bool(repeat),
            received_at=received_at,
        )
        for figure in form.figures:
            if figure.rule(row):
                line.cases.setdefault(figure.key, []).append(code)
    found = [*lines.values()] + ([own] if own.cases else [])
    return Table(form=form, region=region, period=period, lines=found)


def case_list_link(table: Table, line: Line) -> str:
    """The case list of a line's received cases (the drill-down: region, period, kind)."""
    query = {
        "tab": "all",
        "region": line.code,
        "received_since": table.period.since,
        "received_until": table.period.until,
    }
    if len(table.form.kinds) == 1:
        query["kind"] = table.form.kinds[0]
    return f"{reverse('cases:list')}?{urlencode(query)}"


def workbook(table: Table, *, unit_name: str) -> bytes:
    form, figures = table.form, table.form.figures
    book = Book()
    sheet = book.sheet(form.title[:31], widths=[18, *([12] * len(figures))], text_columns=[1])
    sheet.caption(form.title)
    sheet.caption(f"填报单位：{unit_name}　统计区域：{table.region.name}　统计期间：{table.period.label}")
    sheet.header(["单位", *(f.label for f in figures)])
    for line in table.lines:
        sheet.row([line.name, *(line.count(f.key) for f in figures)])
    sheet.row(["合计", *(table.total(f.key) for f in figures)])
    sheet.caption("本表由一门系统按案件记录自动生成，无手工录入；每个数字对应的案件见“数据来源”表。")
    trace = book.sheet("数据来源", widths=[18, 24, 24, 60], text_columns=[1, 2, 3, 4])
    lines = sum(line.count(f.key) for line in table.lines for f in figures)
    if lines <= TRACE_MAX:
        # The code is the case's address too (/cases/<code>/): no link column to write per line.
        trace.header(["单位", "指标", "案件编码"])
        for line in table.lines:
            for f in figures:
                for code in line.cases.get(f.key, ()):
                    trace.row([line.name, f.label, code])
    else:
        trace.caption(f"案件逾 {TRACE_MAX:,} 条，不逐件列出；请按月或按下级区域生成，或打开各单位的案件清单：")
        trace.header(["单位", "受理数", "", "案件清单"])
        for line in table.lines:
            trace.row([line.name, line.count("received"), "", case_list_link(table, line)])
    return book.content()
