"""公开三率排名 (Beijing 接诉即办's public 响应率/解决率/满意率, issue 20 part 2): per unit and per
village, for anyone, from the rollups alone — so the page costs the same at ten million cases as
at ten, and holds nothing about a person (counts of the `unit` grain: village, unit, kind).

Each rate is one of the command centre's KPIs (kpis.definitions), so the public figure and the
dashboard's never disagree: 响应率 is the 按时签收率 of the lead dispatches a unit was given,
解决率 the 按期办结率 of the cases it closed, 满意率 the share of ratings of 4 or 5. The
confidential kinds (信访, 法律服务, 法律援助) are left out, as for every reader outside the centre."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from yimen.cases.choices import CONFIDENTIAL_KINDS, Kind
from yimen.core.figures import percent, rate
from yimen.geo.models import Region
from yimen.insight.kpis.compute import rollup_parts
from yimen.insight.kpis.definitions import KPI_BY_KEY
from yimen.insight.kpis.period import Period
from yimen.insight.rollups.facts import UNIT, Scope
from yimen.org.models import Unit

PUBLIC_KINDS = frozenset(Kind.values) - CONFIDENTIAL_KINDS
# The ranking is the same for every reader, and summing a year of a county's rollups takes a few
# hundred milliseconds at ten million cases (bench_rankings): it is kept this long, and the page
# says when it was counted. Refreshing it on every case step instead would empty it all day.
RANKING_SECONDS = 300
_generation = 0  # tests forget the kept rankings between their data sets (forget())
SUMMED = ("received", "leads", "leads_signed_on_time", "closed", "closed_on_time", "ratings", "satisfied")


@dataclass(frozen=True)
class PublicRate:
    key: str  # the API field
    label: str
    numerator: str  # rollup measures
    denominator: str
    kpi: str  # the KPI whose definition it is

    @property
    def definition(self) -> str:
        return f"{self.label}（即{KPI_BY_KEY[self.kpi].definition}）"


RATES = (
    PublicRate("response_rate", "响应率", "leads_signed_on_time", "leads", "signed_on_time_rate"),
    PublicRate("resolution_rate", "解决率", "closed_on_time", "closed", "closed_on_time_rate"),
    PublicRate("satisfaction_rate", "满意率", "satisfied", "ratings", "satisfaction_rate"),
)
SCOPE_NOTE = (
    "统计范围：信访、法律服务、法律援助以外的案件；案件记在主办单位名下（尚未派单的记在首接单位名下），"
    "签收记在被派单位名下；按村统计的只含落在该村（及其网格）的案件。排名依次按满意率、解决率、响应率，"
    "无分母的比率（—）排在后面。数据来自每日汇总，不含任何个人信息。"
)


@dataclass
class RankRow:
    rank: int
    name: str
    code: str
    received: int
    rates: dict[str, float | None]

    @property
    def shown(self) -> list[tuple[str, str]]:
        """(label, value as the page shows it) of each rate."""
        return [(r.label, percent(self.rates[r.key])) for r in RATES]


@dataclass
class Ranking:
    period: Period
    units: list[RankRow]
    villages: list[RankRow]
    counted_at: datetime = field(default_factory=timezone.now)

    @property
    def definitions(self) -> list[dict]:
        return [{"key": r.key, "label": r.label, "definition": r.definition} for r in RATES]


def _rates(counts: dict[str, int]) -> dict[str, float | None]:
    return {r.key: rate(counts[r.numerator], counts[r.denominator]) for r in RATES}


def _order(rates: dict[str, float | None]) -> tuple:
    # None (nothing to divide by) after every figure; higher first.
    return tuple(
        -(rates[key] if rates[key] is not None else -1.0)
        for key in ("satisfaction_rate", "resolution_rate", "response_rate")
    )


def _ranked(found: dict[int, dict[str, int]], names: dict[int, tuple[str, str]]) -> list[RankRow]:
    rows = [
        RankRow(0, names[pk][1], names[pk][0], counts["received"], _rates(counts))
        for pk, counts in found.items()
        if pk in names and any(counts.values())
    ]
    rows.sort(key=lambda row: (_order(row.rates), -row.received, row.code))
    for n, row in enumerate(rows, start=1):
        row.rank = n
    return rows


def _add(into: dict[int, dict[str, int]], key: int, row: dict) -> None:
    counts = into.setdefault(key, dict.fromkeys(SUMMED, 0))
    for name in SUMMED:
        counts[name] += row[name] or 0


def public_ranking(*, period: Period) -> Ranking:
    """The public ranking of every unit and village for the period (inclusive days, +08:00), as
    counted at most RANKING_SECONDS ago."""
    key = f"insight:public-ranking:{_generation}:{period.since}:{period.until}"
    return cache.get_or_set(key, lambda: count_ranking(period=period), RANKING_SECONDS)


def forget() -> None:
    global _generation
    _generation += 1


def count_ranking(*, period: Period) -> Ranking:
    """The ranking summed from the rollups' `unit` grain now: the period's whole months from the
    monthly rows, its edge days from the daily rows, grouped by (unit, region) in the database."""
    scope = Scope(first=period.since, last=period.until, kinds=PUBLIC_KINDS, grain=UNIT, level=Region.Level.COUNTY)
    by_unit: dict[int, dict[str, int]] = {}
    by_region: dict[int, dict[str, int]] = {}
    for part in rollup_parts(scope):
        for row in part.order_by().values("unit", "region_id").annotate(**{n: Sum(n) for n in SUMMED}):
            _add(by_unit, row["unit"], row)
            _add(by_region, row["region_id"], row)
    units = Unit.objects.filter(pk__in=by_unit).values_list("pk", "code", "name")
    villages = Region.objects.filter(pk__in=by_region, level=Region.Level.VILLAGE).values_list("pk", "code", "name")
    return Ranking(
        period=period,
        units=_ranked(by_unit, {pk: (code, name) for pk, code, name in units}),
        villages=_ranked(by_region, {pk: (code, name) for pk, code, name in villages}),
    )


def ranking_out(ranking: Ranking) -> dict:
    """The API's answer (API.md "Public accountability")."""

    def row_out(row: RankRow, label: str) -> dict:
        return {"rank": row.rank, label: row.name, "code": row.code, "received": row.received, **row.rates}

    return {
        "since": ranking.period.since,
        "until": ranking.period.until,
        "counted_at": timezone.localtime(ranking.counted_at),
        "definitions": ranking.definitions,
        "scope": SCOPE_NOTE,
        "units": [row_out(row, "unit") for row in ranking.units],
        "villages": [row_out(row, "village") for row in ranking.villages],
    }
