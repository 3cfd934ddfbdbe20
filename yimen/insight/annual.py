"""年度报告 (the annual public report of 接诉即办, issue 20 part 2): a year's volumes by kind and
month, the 三率 rankings, and typical cases anonymised by the legal app's generator — as a web
page and a PDF from one Paper (yimen/core/documents.py), for anyone, with no person in it.

Volumes and rankings are read from the rollups, like the public ranking, and over the same kinds
(the confidential kinds are left out). The typical cases are closed cases of the year that their
people rated satisfied, each run through legal.anonymise.anonymise_case (names, ID numbers,
phones, case codes, addresses, the village and grid taken out). The year's largest 每月一题
topics come from topics.selectors.top_topics: labels and key words, no case and no person."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, Sum
from django.http import Http404
from django.utils import timezone

from yimen.cases.models import Assignment, Case, Kind
from yimen.core.documents import Grid, Heading, Paper, Para
from yimen.insight.kpis.period import EARLIEST, Period
from yimen.insight.models import MonthlyRollup
from yimen.insight.rankings import PUBLIC_KINDS, RATES, SCOPE_NOTE, Ranking, public_ranking
from yimen.insight.rollups.facts import SATISFIED_FROM, UNIT, Scope
from yimen.insight.topics.selectors import top_topics
from yimen.legal.anonymise import Anonymised, anonymise_case

TYPICAL_CASES = 3
TOP_TOPICS = 5
RANKED_ROWS = 10
KIND_LABELS = dict(Kind.choices)


@dataclass
class AnnualReport:
    year: int
    period: Period
    kinds: list[str]  # the kinds' labels, in table order
    months: list[tuple[str, list[int], int]]  # (month label, received per kind, all)
    totals: list[int]  # per kind, over the year
    received: int
    closed: int
    ranking: Ranking
    topics: list[dict]  # top_topics rows: label, terms, month, size, project
    typical: list[Anonymised]


def report_year(year: int, today: date | None = None) -> Period:
    """The year as a period (to today while it runs); a year before 2000 or to come → 404."""
    today = today or timezone.localdate()
    if not EARLIEST.year <= year <= today.year:
        raise Http404
    return Period(date(year, 1, 1), min(date(year, 12, 31), today))


def _volumes(period: Period) -> tuple[list[str], list, list[int], int, int]:
    rows = (
        MonthlyRollup.objects.filter(
            grain=UNIT, month__gte=period.since, month__lte=period.until, kind__in=sorted(PUBLIC_KINDS)
        )
        .order_by()
        .values("month", "kind")
        .annotate(received=Sum("received"), closed=Sum("closed"))
    )
    found = {(r["month"], r["kind"]): r for r in rows}
    kinds = [k for k in Kind.values if k in PUBLIC_KINDS]
    months, totals, closed = [], [0] * len(kinds), 0
    for m in range(1, period.until.month + 1):
        month = date(period.since.year, m, 1)
        counts = [(found.get((month, k)) or {}).get("received") or 0 for k in kinds]
        closed += sum((found.get((month, k)) or {}).get("closed") or 0 for k in kinds)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        months.append((f"{m}月", counts, sum(counts)))
    return [KIND_LABELS[k] for k in kinds], months, totals, sum(totals), closed


def typical_cases(period: Period, limit: int = TYPICAL_CASES) -> list[Anonymised]:
    """Closed cases of the year rated satisfied (回访 or the citizen's own, ≥ 4) that have the
    lead unit's answer, the latest closed first, anonymised by the generator. An accusation is
    never one (its kind is confidential anyway)."""
    start, end = Scope(first=period.since, last=period.until).window()
    answered = Assignment.objects.filter(role=Assignment.Role.LEAD).exclude(reply="").values("case")
    cases = (
        Case.unscoped.filter(kind__in=sorted(PUBLIC_KINDS), closed_at__gte=start, closed_at__lt=end)
        .filter(Q(rating__gte=SATISFIED_FROM) | Q(public_rating__gte=SATISFIED_FROM))
        .filter(pk__in=answered)
        .select_related("region__parent__parent")
        .order_by("-closed_at", "-id")[:limit]
    )
    return [anonymise_case(case) for case in cases]


def annual_report(*, year: int) -> AnnualReport:
    """The year's report (public): volumes by kind and month, rankings, the largest topics,
    typical cases."""
    period = report_year(year)
    kinds, months, totals, received, closed = _volumes(period)
    return AnnualReport(
        year=year,
        period=period,
        kinds=kinds,
        months=months,
        totals=totals,
        received=received,
        closed=closed,
        ranking=public_ranking(period=period),
        topics=top_topics(None, period.since, period.until, limit=TOP_TOPICS),
        typical=typical_cases(period),
    )


def _rank_grid(rows, first: str) -> Grid:
    return Grid(
        ["名次", first, "受理量", *(r.label for r in RATES)],
        [
            [str(row.rank), row.name, str(row.received), *(shown for _, shown in row.shown)]
            for row in rows[:RANKED_ROWS]
        ],
    )


def _yes(project: bool) -> str:
    return "已立项" if project else "—"


def annual_paper(report: AnnualReport) -> Paper:
    """The report as a Paper (PDF through core.documents)."""
    typical = []
    for n, case in enumerate(report.typical, start=1):
        typical += [Para(f"案例{n}：{case.title}", bold=True), Para(case.description)]
        if case.answer:
            typical.append(Para(f"办理结果：{case.answer}"))
    return Paper(
        title=f"{report.year}年接诉即办年度报告",
        issuer="综治中心",
        dated=timezone.localdate(),
        blocks=[
            Para(f"统计期间：{report.period.label}。全年受理 {report.received} 件，办结 {report.closed} 件。"),
            Heading("一、受理量（按月、按种类）"),
            Grid(
                ["月份", *report.kinds, "合计"],
                [[label, *map(str, counts), str(total)] for label, counts, total in report.months]
                + [["全年", *map(str, report.totals), str(report.received)]],
            ),
            Heading("二、三率排名"),
            *(Para(r.definition) for r in RATES),
            Para(SCOPE_NOTE),
            Para("各单位（前十）", bold=True),
            _rank_grid(report.ranking.units, "单位"),
            Para("各村（社区）（前十）", bold=True),
            _rank_grid(report.ranking.villages, "村（社区）"),
            Heading("三、每月一题（群众反映集中的问题）"),
            Grid(
                ["月份", "题目", "关键词", "件数", "立项治理"],
                [
                    [
                        f"{t['month']:%Y年%m月}",
                        t["label"],
                        "、".join(t["terms"][:5]),
                        str(t["size"]),
                        _yes(t["project"]),
                    ]
                    for t in report.topics
                ],
            )
            if report.topics
            else Para("本年度尚未生成每月一题。"),
            Heading("四、典型案例"),
            *(typical or [Para("本年度暂无可公开的典型案例。")]),
        ],
        footer="典型案例已由系统脱敏（隐去姓名、证件号、电话、案件编码、门牌和村组名称）；由一门综治中心平台生成",
    )
