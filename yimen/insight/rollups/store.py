"""Writing the rollups. A daily cell is recomputed from the case tables, never incremented: a
refresh of the same slice twice, or out of order, gives the same rows, so the rollups cannot
drift from the raw figures. Monthly rows are the sums of their month's daily rows.

Two ways keep them current (README "Rollups"): every timeline event marks its case, and a batched
drain after the commit refreshes the marked cases' (day, region) slices (rollups/queue.py), and the
nightly job rebuilds the last days in full (tasks.rollup_rebuild_nightly) — the net under writes
that bypass the services (bulk loads, data repairs)."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth

from yimen.geo.models import Region
from yimen.insight.bulk import write_rows
from yimen.insight.models import MEASURES, DailyRollup, MonthlyRollup
from yimen.insight.rollups.facts import CELL, GRAINS, Lifts, Scope, cells, cells_by_month, fold, lifted

ATTEMPTS = 3  # two refreshes of one slice racing: the loser's insert meets the unique key; redo


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def _daily_rows(grain: str, found: dict) -> Iterable[dict]:
    for (day, region_id, unit, kind, category), (path, counts) in found.items():
        yield {
            "grain": grain,
            "day": day,
            "region_id": region_id,
            "region_path": path,
            "unit": unit,
            "kind": kind,
            "category": category,
            **counts,
        }


def _write_months(months: set[date], grain: str, region_id: int | None = None) -> None:
    """Rewrite the monthly rows of these months (of one region, or all) from the daily rows."""
    for month in sorted(months):
        stale = MonthlyRollup.objects.filter(grain=grain, month=month)
        daily = DailyRollup.objects.filter(grain=grain, day__gte=month, day__lt=next_month(month))
        if region_id is not None:
            stale, daily = stale.filter(region_id=region_id), daily.filter(region_id=region_id)
        stale.delete()
        groups = list(  # read before writing: PostgreSQL cannot fetch from a cursor during a COPY
            daily.annotate(month=TruncMonth("day"))
            .order_by()
            .values("month", "region_id", "region_path", "unit", "kind", "category")
            .annotate(**{f"sum_{name}": Sum(name) for name in MEASURES})
        )
        rows = (
            {
                "grain": grain,
                "month": month,
                "region_id": g["region_id"],
                "region_path": g["region_path"],
                "unit": g["unit"],
                "kind": g["kind"],
                "category": g["category"],
                **{name: g[f"sum_{name}"] for name in MEASURES},
            }
            for g in groups
        )
        write_rows(MonthlyRollup, rows)


def _refresh_grain(grain: str, day: date, region: Region, lifts: Lifts) -> None:
    """One (grain, day, region) slice from the raw tables: the cases of the region's subtree on
    that day, folded to the grain, keeping the rows that count in the region itself."""
    DailyRollup.objects.filter(grain=grain, day=day, region=region).delete()
    if grain == CELL:
        found = cells(Scope(first=day, last=day, region_id=region.pk))
    else:
        found = fold(cells(Scope(first=day, last=day, path=region.path)), grain, lifts)
    write_rows(DailyRollup, list(_daily_rows(grain, {k: v for k, v in found.items() if k[1] == region.pk})))


def refresh_slices(slices: set[tuple[date, int]]) -> int:
    """Recompute the rollup rows of these (day, case region) slices at every grain, and their
    months. Returns the number of slices refreshed."""
    regions = Region.objects.select_related("parent__parent").in_bulk({region_id for _, region_id in slices})
    lifts = Lifts()
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                touched = set()
                for day, region_id in sorted(slices):
                    for grain in GRAINS:
                        area = lifted(regions[region_id], grain)
                        if (grain, day, area.pk) not in touched:
                            _refresh_grain(grain, day, area, lifts)
                            touched.add((grain, day, area.pk))
                for grain, month, region_id in sorted({(g, month_of(d), r) for g, d, r in touched}):
                    _write_months({month}, grain, region_id)
            return len(slices)
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    return 0


def rebuild(first: date, last: date) -> int:
    """Rebuild every rollup row of a day range from the case tables, in one transaction: each
    figure's query is read once over the range (at the cell grain, folded in memory to the
    others), a month of cells is written at a time, then the monthly rows. Returns the number
    of daily rows written."""
    written = 0
    months, month = set(), month_of(first)
    while month <= last:
        months.add(month)
        month = next_month(month)
    lifts = Lifts()
    with transaction.atomic():
        if connection.vendor == "postgresql":  # the grouped reads sort and hash in memory
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '256MB'")
        DailyRollup.objects.filter(day__gte=first, day__lte=last).delete()
        for _, found in cells_by_month(Scope(first=first, last=last)):
            for grain in GRAINS:
                written += write_rows(DailyRollup, list(_daily_rows(grain, fold(found, grain, lifts))))
        for grain in GRAINS:
            _write_months(months, grain)
    return written
