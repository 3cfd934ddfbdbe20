"""一表通's one verb: generate an upstream form for a region and period, logged."""

from dataclasses import dataclass

from django.utils import timezone

from yimen.core.errors import NotFound
from yimen.core.permissions import require_permission
from yimen.insight.kpis.compute import kpi_region
from yimen.insight.upstream import build
from yimen.insight.upstream.definitions import FORMS
from yimen.org.models import Membership
from yimen.org.services import audit_as


@dataclass(frozen=True)
class Filed:
    table: build.Table
    content: bytes
    filename: str


def upstream_table(*, actor: Membership, name: str, region: str | None, period: str | None) -> build.Table:
    """The figures of form `name` (404 for no such form or a region outside the jurisdiction;
    422 for a period that is not YYYY-MM or YYYY; none: this month)."""
    require_permission(actor, "kpi.view")
    form = FORMS.get(name)
    if form is None:
        raise NotFound("没有这张报表。")
    place = kpi_region(member=actor, code=region)
    today = timezone.localdate()
    span = build.period_parse(period or f"{today:%Y-%m}", today=today)
    return build.compute(member=actor, form=form, region=place, period=span)


def upstream_form(*, actor: Membership, name: str, region: str | None, period: str | None, ip: str = "") -> Filed:
    """一表通 (issue 20 part 4; 杭州上城 counted 468 forms typed by hand): the upstream form as xlsx
    in its upstream layout, every figure counted from the case records and traceable to them
    (the 数据来源 sheet). The KPI rules apply (kpis/definitions.py), so the totals equal the
    dashboard's. Audited as upstream_form with the form, region, period and received total."""
    table = upstream_table(actor=actor, name=name, region=region, period=period)
    content = build.workbook(table, unit_name=actor.unit.name)
    audit_as(
        actor,
        action="upstream_form",
        target=f"form:{name}",
        ip=ip,
        detail={"region": table.region.code, "period": str(period), "received": table.total("received")},
    )
    stamp = f"{table.period.since:%Y%m}" if table.period.days < 32 else f"{table.period.since:%Y}"
    return Filed(table=table, content=content, filename=f"{table.form.title}-{table.region.name}-{stamp}.xlsx")
