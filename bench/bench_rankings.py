"""The public 三率 ranking at 10,000,000 cases (issue 20: ≤ 50 ms, from the rollups).

    .venv/bin/python bench/bench_rankings.py [--cases 10000000] [--runs 7]

The ranking reads only the rollups' `unit` grain, so what it costs depends on how many of those
rows a period covers — bounded by villages × units × kinds × months, not by the cases. This
bench therefore writes the rollup rows that ten million cases over three years leave in a
county of 20 towns × 15 villages (each village's cases led by its town's nine units and its own
committee, seven kinds): every (month, village, unit, kind) monthly row filled (about 13 cases
each), and the (day, village, unit, kind) daily rows of the last 62 days that hold a case (about
a third: 9,000 cases a day over 21,000 cells). The cases themselves are not written
(bench_dashboard builds real ones and times the rollups against them). Database
yimen_bench_rankings (or $DATABASE_URL); rows reused by later runs with the same --cases.

Counting a year takes a few hundred milliseconds at this size, so the ranking is kept for
rankings.RANKING_SECONDS: both the counting and the kept answer are printed; the target is for
the page as readers get it.
"""

import argparse
import random
from datetime import date, timedelta

from pg import bulk_load, copy_rows, timed, use_database

use_database("yimen_bench_rankings")

from common import setup_django  # noqa: E402

setup_django()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from yimen.geo.models import Region  # noqa: E402
from yimen.insight import rankings  # noqa: E402
from yimen.insight.kpis.period import Period  # noqa: E402
from yimen.insight.models import DailyRollup, MonthlyRollup  # noqa: E402
from yimen.insight.rollups.store import month_of, next_month  # noqa: E402
from yimen.org.models import Unit  # noqa: E402

TARGET_MS = 50
COUNTY = "459901"
TOWNS, VILLAGES = 20, 15
TOWN_UNITS = ("centre", "police", "court", "judicial", "petition", "grid_centre", "department", "department", "other")
KINDS = ("dispute", "appeal", "hazard", "incident", "petition", "legal_service", "legal_aid")
DAILY_DAYS = 62


def region(code: str, name: str, level: str, parent: Region | None) -> Region:
    path = f"{parent.path}{code}/" if parent else f"45/{code}/"
    found, _ = Region.objects.get_or_create(
        code=code,
        defaults={"name": name, "level": level, "parent": parent, "path": path, "depth": path.count("/") - 1},
    )
    return found


def county_tree() -> list[tuple[Region, list[int]]]:
    """(village, the ids of the units that lead its cases) for the synthetic county."""
    county = region(COUNTY, "基准县", Region.Level.COUNTY, None)
    villages = []
    for t in range(TOWNS):
        town = region(f"{COUNTY}{100 + t:03d}", f"基准{t + 1}镇", Region.Level.TOWN, county)
        town_units = [
            Unit.objects.get_or_create(
                code=f"{town.code}-{kind}-{n}", defaults={"name": f"{town.name}{kind}{n}", "kind": kind, "region": town}
            )[0].pk
            for n, kind in enumerate(TOWN_UNITS)
        ]
        for v in range(VILLAGES):
            village = region(f"{town.code}{200 + v:03d}", f"{town.name}{v + 1}村", Region.Level.VILLAGE, town)
            committee = Unit.objects.get_or_create(
                code=f"{village.code}-village",
                defaults={"name": f"{village.name}委会", "kind": "village", "region": village},
            )[0].pk
            villages.append((village, [*town_units, committee]))
    return villages


def counts(rng: random.Random, mean: float) -> dict:
    received = max(0, round(rng.gauss(mean, mean / 3)))
    leads = int(received * 0.8)
    closed = int(received * 0.9)
    ratings = int(closed * 0.6)
    return {
        "received": received,
        "accepted": int(received * 0.95),
        "leads": leads,
        "leads_signed_on_time": int(leads * rng.uniform(0.7, 1)),
        "closed": closed,
        "closed_on_time": int(closed * rng.uniform(0.6, 1)),
        "ratings": ratings,
        "satisfied": int(ratings * rng.uniform(0.5, 1)),
    }


def months_back(today: date, n: int) -> list[date]:
    months, month = [], month_of(today)
    for _ in range(n):
        months.append(month)
        month = month_of(month - timedelta(days=1))
    return sorted(months)


def write(cases: int, today: date) -> None:
    villages = county_tree()
    months = months_back(today, 36)
    cells = len(villages) * len(villages[0][1]) * len(KINDS)
    per_month = cases / len(months) / cells
    rng = random.Random(20)

    def monthly():
        for month in months:
            for village, units in villages:
                for unit in units:
                    for kind in KINDS:
                        key = {"grain": "unit", "month": month, "region_id": village.pk, "region_path": village.path}
                        yield key | {"unit": unit, "kind": kind, "category": 0, **counts(rng, per_month)}

    def daily():
        for n in range(DAILY_DAYS):
            day = today - timedelta(days=n)
            for village, units in villages:
                for unit in units:
                    for kind in KINDS:
                        figures = counts(rng, per_month / 30)
                        if figures["received"]:  # the rollups hold no empty rows
                            key = {"grain": "unit", "day": day, "region_id": village.pk, "region_path": village.path}
                            yield key | {"unit": unit, "kind": kind, "category": 0, **figures}

    with bulk_load(DailyRollup, MonthlyRollup):
        DailyRollup.objects.all().delete()
        MonthlyRollup.objects.all().delete()
        copy_rows(MonthlyRollup, monthly())
        copy_rows(DailyRollup, daily())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    today = timezone.localdate()
    with connection.cursor() as cursor:  # bench_dashboard: JIT compiles short queries for longer than they run
        cursor.execute("SET jit = off")
    from django.db.models import Sum

    held = MonthlyRollup.objects.filter(grain="unit", region_path__startswith=f"45/{COUNTY}/").aggregate(
        n=Sum("received")
    )
    latest = DailyRollup.objects.order_by("-day").values_list("day", flat=True).first()
    if abs((held["n"] or 0) - args.cases) > args.cases * 0.05 or latest != today:
        write(args.cases, today)
        held = MonthlyRollup.objects.filter(grain="unit").aggregate(n=Sum("received"))
    print(
        f"== {held['n']:,} cases in the rollups ({MonthlyRollup.objects.count():,} monthly, "
        f"{DailyRollup.objects.count():,} daily rows)"
    )
    first_month = months_back(today, 36)[0]
    periods = {
        "last 30 days (daily rows)": Period(today - timedelta(days=29), today),
        "year to date (months + edge days)": Period(max(today.replace(month=1, day=1), first_month), today),
        "three years (months + edge days)": Period(next_month(first_month) + timedelta(days=3), today),
    }
    sample = list(range(args.runs))
    for label, period in periods.items():
        got = rankings.count_ranking(period=period)
        print(f" {label}: {period.since} – {period.until}, {len(got.units)} units, {len(got.villages)} villages")
        timed(f"  counting the ranking ({label})", None, sample, lambda _, p=period: rankings.count_ranking(period=p))
        rankings.public_ranking(period=period)
        timed(
            f"  public ranking as kept for {rankings.RANKING_SECONDS} s ({label})",
            TARGET_MS,
            sample,
            lambda _, p=period: rankings.public_ranking(period=p),
        )
    client = Client()
    client.get("/accounts/login/")  # the process's first request loads the URL conf and templates
    ytd = periods["year to date (months + edge days)"]
    for label, url in (
        ("page /public/rankings/", f"/public/rankings/?since={ytd.since}&until={ytd.until}"),
        ("GET /api/v1/public/rankings", f"/api/v1/public/rankings?since={ytd.since}&until={ytd.until}"),
    ):
        rankings.forget()
        timed(f"  {label} (year to date, first request: counted)", None, [0], lambda _, u=url: client.get(u))
        timed(f"  {label} (year to date, later requests)", TARGET_MS, sample, lambda _, u=url: client.get(u))


if __name__ == "__main__":
    main()
