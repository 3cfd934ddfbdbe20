"""API: GET /kpis (API.md "Mediation, documents, KPIs"), for the centre and leaders over their
jurisdiction. Thin: resolve the region within the jurisdiction, check the period, compute."""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema

from yimen.cases.schemas import KindValue
from yimen.core.api import NO_NUL, Text
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, ErrorOut, refuse_unknown_query
from yimen.insight import rankings, selectors
from yimen.insight.kpis.definitions import KPIS
from yimen.insight.kpis.period import period_parse

router = Router(tags=["指挥中心"])
DAY = r"^\d{4}-\d{2}-\d{2}$"
DATE = {"format": "date"}  # a calendar day; kpis.period gives the Chinese message for any other


class KpiQuery(Schema):
    region: Text | None = Field(None, max_length=24, pattern=NO_NUL, description="区划代码（含下级）；默认本人管辖范围")
    since: Text | None = Field(
        None,
        max_length=10,
        pattern=DAY,
        json_schema_extra=DATE,
        description="起始日期（含），北京时间 YYYY-MM-DD；默认截止日所在年的 1 月 1 日",
    )
    until: Text | None = Field(
        None,
        max_length=10,
        pattern=DAY,
        json_schema_extra=DATE,
        description="截止日期（含），北京时间 YYYY-MM-DD；默认今天；不早于起始日期",
    )
    kind: KindValue | None = Field(None, description="只统计这一种类的案件")
    unit: Text | None = Field(
        None, max_length=40, pattern=NO_NUL, description="只统计主办（未派单时首接）为该单位的案件"
    )


class KpisOut(Schema):
    region: str
    region_name: str
    since: date
    until: date
    received: int
    accepted_rate: float | None
    signed_on_time_rate: float | None
    closed_on_time_rate: float | None
    overdue: int
    mediation_success_rate: float | None
    satisfaction_rate: float | None
    repeat_petition_rate: float | None
    village_resolution_rate: float | None
    police_contact_coverage: float | None
    informant_activity_rate: float | None


@router.get(
    "/kpis",
    response={200: KpisOut, **ERRORS},
    summary="指标（领导、综治中心；本人管辖范围）",
    description="期间按北京时间的自然日计，含起止两日；比率为 0–1，分母为 0 时为 null。"
    "截止早于起始、2000 年以前或明年年底以后的日期 → 422。\n\n"
    + "\n".join(f"- `{kpi.key}`：{kpi.definition}" for kpi in KPIS),
)
def kpi_figures(request, filters: Query[KpiQuery]):
    require_permission(request.member, "kpi.view")
    refuse_unknown_query(request, KpiQuery.model_fields)
    board = selectors.kpi_board(
        member=request.member,
        region=filters.region,
        since=filters.since,
        until=filters.until,
        kind=filters.kind,
        unit=filters.unit,
    )
    return {
        "region": board.region.code,
        "region_name": board.region.name,
        "since": board.period.since,
        "until": board.period.until,
        **board.values,
    }


# ---------------------------------------------------------------------------------------------
# 公开三率排名 (API.md "Public accountability"): no login, no personal data, from the rollups.


class RankingQuery(Schema):
    since: Text | None = Field(None, max_length=10, pattern=DAY, json_schema_extra=DATE, description="起始日期（含）")
    until: Text | None = Field(None, max_length=10, pattern=DAY, json_schema_extra=DATE, description="截止日期（含）")


class RateDefinitionOut(Schema):
    key: str
    label: str
    definition: str


class RankOut(Schema):
    rank: int
    code: str
    received: int
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None


class UnitRankOut(RankOut):
    unit: str


class VillageRankOut(RankOut):
    village: str


class RankingOut(Schema):
    since: date
    until: date
    counted_at: datetime
    definitions: list[RateDefinitionOut]
    scope: str
    units: list[UnitRankOut]
    villages: list[VillageRankOut]


@router.get(
    "/public/rankings",
    auth=None,
    response={200: RankingOut, 422: ErrorOut, 429: ErrorOut},
    summary="公开三率排名（无需登录）：各单位、各村的响应率、解决率、满意率",
    description="期间按北京时间的自然日计，含起止两日；默认当年 1 月 1 日至今天。比率为 0–1，分母为 0 时为 null。"
    f"同一期间的排名保留 {rankings.RANKING_SECONDS // 60} 分钟（counted_at 为统计时间）。\n\n"
    + "\n".join(f"- `{r.key}`：{r.definition}" for r in rankings.RATES)
    + f"\n\n{rankings.SCOPE_NOTE}",
)
def public_rankings(request, filters: Query[RankingQuery]):
    refuse_unknown_query(request, RankingQuery.model_fields)
    return rankings.ranking_out(rankings.public_ranking(period=period_parse(filters.since, filters.until)))
