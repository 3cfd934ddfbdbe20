"""The KPIs of a region, period and optional unit, kind and category, for a member.

Case figures come from the rollups: the whole months of the period from the monthly rows, its
edge days from the daily rows, both summed over the region's subtree by path prefix. They equal
the raw case tables (rollups.facts.totals) — the tests hold them to it on random data."""

from dataclasses import replace
from datetime import date, timedelta

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from yimen.cases.models import CONFIDENTIAL_KINDS, CONFIDENTIAL_VIEW_ROLES, Case, Kind
from yimen.cases.selectors import village_resolution
from yimen.core.figures import rate
from yimen.geo.models import Region
from yimen.insight import linked
from yimen.insight.kpis import field
from yimen.insight.kpis.period import Period
from yimen.insight.models import MEASURES, DailyRollup, MonthlyRollup
from yimen.insight.rollups.facts import Scope, grain_for
from yimen.insight.rollups.store import month_of, next_month
from yimen.org.models import Unit

ALL_KINDS = frozenset(Kind.values)


def kpi_region(*, member, code: str | None) -> Region:
    """The region asked for, inside the member's jurisdiction (its subtree); without a code, the
    jurisdiction itself. Anything else — unknown, or outside — is 404 alike."""
    jurisdiction = member.jurisdiction
    if not code:
        return jurisdiction
    found = Region.objects.filter(code=code, path__startswith=jurisdiction.path).first() if "\x00" not in code else None
    if found is None:
        raise Http404
    return found


def allowed_kinds(member) -> frozenset[str]:
    """The kinds the member sees across the jurisdiction (DESIGN §8: the confidential kinds only
    for the centre's dispatcher, supervisor and leader)."""
    return ALL_KINDS if member.role in CONFIDENTIAL_VIEW_ROLES else ALL_KINDS - CONFIDENTIAL_KINDS


def scope_for(*, member, region: Region, period: Period, kind=None, unit: Unit | None = None, category=None) -> Scope:
    kinds = allowed_kinds(member)
    if kind:
        kinds = kinds & {kind}
    unit_id = unit.pk if unit else None
    return Scope(
        first=period.since,
        last=period.until,
        path=region.path,
        kinds=kinds,
        unit_id=unit_id,
        category=category,
        level=region.level,
        grain=grain_for(region.level, unit=unit_id, category=category),
    )


def regrain(scope: Scope, *, by_unit: bool = False, child_level: str | None = None) -> Scope:
    """The scope answered at the grain a grouping needs (by unit, or by regions of child_level)."""
    grain = grain_for(
        scope.level, unit=scope.unit_id, category=scope.category, by_unit=by_unit, child_level=child_level
    )
    return replace(scope, grain=grain)


def _filtered(rows: QuerySet, scope: Scope) -> QuerySet:
    rows = rows.filter(grain=scope.grain, region_path__startswith=scope.path)
    if scope.kinds is not None and scope.kinds != ALL_KINDS:
        rows = rows.filter(kind__in=sorted(scope.kinds))
    if scope.unit_id is not None:
        rows = rows.filter(unit=scope.unit_id)
    if scope.category is not None:
        rows = rows.filter(category=scope.category)
    return rows


def rollup_parts(scope: Scope) -> list[QuerySet]:
    """The rollup rows covering the scope's period: whole months from the monthly table, the
    days before the first whole month and after the last from the daily table."""
    first, last = scope.first, scope.last
    months_from = first if first.day == 1 else next_month(month_of(first))
    months_until = (
        next_month(month_of(last)) if last + timedelta(days=1) == next_month(month_of(last)) else month_of(last)
    )
    if months_from >= months_until:
        return [_filtered(DailyRollup.objects.filter(day__gte=first, day__lte=last), scope)]
    parts = [_filtered(MonthlyRollup.objects.filter(month__gte=months_from, month__lt=months_until), scope)]
    if first < months_from:
        parts.append(_filtered(DailyRollup.objects.filter(day__gte=first, day__lt=months_from), scope))
    if months_until <= last:
        parts.append(_filtered(DailyRollup.objects.filter(day__gte=months_until, day__lte=last), scope))
    return parts


def _add(into: dict, got: dict) -> None:
    for name, value in got.items():
        into[name] = into.get(name, 0) + (value or 0)


def rollup_totals(scope: Scope, extra: dict | None = None) -> dict[str, int]:
    """The scope's counts from the rollups (plus named extra sums, e.g. a filtered Sum)."""
    # Aliased: an aggregate named like a column ("closed") would shadow it for the extra sums.
    sums = {f"total_{name}": Sum(name) for name in MEASURES} | {f"total_{k}": v for k, v in (extra or {}).items()}
    summed: dict[str, int] = {}
    for part in rollup_parts(scope):
        _add(summed, part.aggregate(**sums))
    return {alias.removeprefix("total_"): value for alias, value in summed.items()}


def rollup_groups(scope: Scope, by: str, measure: str = "received") -> dict:
    """One measure of the scope grouped by a rollup column (kind, unit, region_path …); the scope
    must be at a grain that keeps the column (regrain)."""
    grouped: dict = {}
    for part in rollup_parts(scope):
        for row in part.order_by().values(by).annotate(n=Sum(measure)):
            grouped[row[by]] = grouped.get(row[by], 0) + (row["n"] or 0)
    return grouped


def rollup_trend(scope: Scope, measures=("received", "closed"), today: date | None = None) -> list[dict]:
    """Per day for periods up to two months, else per month: [{at, grain, <measure>: n, partial}].
    A month not over yet (today, or the period's end, falls inside it) is `partial` with the
    day it runs `through`, so a chart draws two days of December as two days, not as a fall
    (issue 21 item 9); days after today carry no figure at all (None), not a zero."""
    today = today or timezone.localdate()
    if scope.last - scope.first <= timedelta(days=62):
        rows = _filtered(DailyRollup.objects.filter(day__gte=scope.first, day__lte=scope.last), scope)
        column, steps = "day", _days(scope.first, scope.last)
    else:
        rows = _filtered(MonthlyRollup.objects.filter(month__gte=month_of(scope.first), month__lte=scope.last), scope)
        column, steps = "month", _months(scope.first, scope.last)
    found = {row[column]: row for row in rows.order_by().values(column).annotate(**{m: Sum(m) for m in measures})}
    trend = []
    for step in steps:
        if step > today:
            trend.append({"at": step.isoformat(), "grain": column, **dict.fromkeys(measures), "partial": False})
            continue
        point = {"at": step.isoformat(), "grain": column, **{m: (found.get(step) or {}).get(m) or 0 for m in measures}}
        point["partial"] = False
        end = min(today, scope.last)
        if column == "month" and end < next_month(step) - timedelta(days=1):
            point.update(partial=True, through=end.isoformat())
        trend.append(point)
    return trend


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _months(first: date, last: date) -> list[date]:
    months, month = [], month_of(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def _in_scope(member, scope: Scope) -> QuerySet[Case]:
    cases = Case.unscoped.filter(region_path__startswith=scope.path)
    if scope.unit_id is not None:
        cases = cases.filter(Q(lead_unit_id=scope.unit_id) | Q(lead_unit__isnull=True, first_unit_id=scope.unit_id))
    if scope.category is not None:
        cases = cases.filter(category_id=scope.category or None)
    return cases


def visible_adjustment(member, scope: Scope, cases: QuerySet[Case], kind: str | None = None) -> int:
    """What the member's case list shows beyond the kind-level figure of `cases` (already
    restricted to the scope's region, unit, category and moment): minus the cases of the
    allowed kinds in which the member's unit is accused (信访工作条例 art. 46: it never sees
    them), plus the confidential cases its unit received or handles. For jurisdiction-wide roles,
    which see every other case of an allowed kind in their jurisdiction."""
    hidden = cases.filter(kind__in=sorted(scope.kinds), accused_units=member.unit_id).count()
    others = ({kind} if kind else ALL_KINDS) - allowed_kinds(member)
    extra = (
        Case.objects.visible_to(member).filter(pk__in=cases.filter(kind__in=sorted(others))).count() if others else 0
    )
    return extra - hidden


def received_count(member, scope: Scope, rolled: int, kind: str | None = None) -> int:
    """`received` as GET /cases?region=&received_since=&received_until= counts it for the member."""
    start, end = scope.window()
    cases = _in_scope(member, scope).filter(received_at__gte=start, received_at__lt=end)
    if not member.sees_jurisdiction:
        return Case.objects.visible_to(member).filter(pk__in=cases.filter(kind__in=sorted(scope.kinds))).count()
    return rolled + visible_adjustment(member, scope, cases, kind)


def overdue_count(member, scope: Scope, kind: str | None = None) -> int:
    """Cases late now (Case.unscoped.overdue), as the case list's overdue filter counts them."""
    cases = _in_scope(member, scope).overdue()
    return cases.filter(kind__in=sorted(scope.kinds)).count() + visible_adjustment(member, scope, cases, kind)


def village_resolution_in(member, scope: Scope) -> tuple[int, int]:
    """小事不出村 over the scope's region, unit, category, kinds and period, by the cases app's one
    definition (the mediation statistics use the same): read from the case table on the
    closed-at index, not the rollups, so the two figures cannot drift apart."""
    cases = _in_scope(member, scope).filter(kind__in=sorted(scope.kinds))
    return village_resolution(cases, window=scope.window())


def _rate(numerator: int | None, denominator: int | None) -> float | None:
    return rate(numerator, denominator) if denominator else None


def kpis(*, member, scope: Scope, kind: str | None = None) -> dict:
    """Every KPI of kpis.definitions for the scope (made by scope_for with the same `kind`), as
    the member may see them."""
    sums = rollup_totals(regrain(scope, by_unit=True))
    mediation = linked.mediation_counts(scope)
    petitions = linked.petition_counts(scope)
    contact = field.contact_counts(scope)
    informants = field.informant_counts(scope)
    return {
        "received": received_count(member, scope, sums["received"], kind),
        "accepted_rate": _rate(sums["accepted"], sums["received"]),
        "signed_on_time_rate": _rate(sums["leads_signed_on_time"], sums["leads"]),
        "closed_on_time_rate": _rate(sums["closed_on_time"], sums["closed"]),
        "overdue": overdue_count(member, scope, kind),
        "mediation_success_rate": _rate(*mediation) if mediation else None,
        "satisfaction_rate": _rate(sums["satisfied"], sums["ratings"]),
        "repeat_petition_rate": _rate(*petitions) if petitions else None,
        "village_resolution_rate": _rate(*village_resolution_in(member, scope)),
        "police_contact_coverage": _rate(*contact),
        "informant_activity_rate": _rate(*informants),
        "counts": sums,
    }
