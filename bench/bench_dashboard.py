"""Command centre at scale (issue 8): the dashboard's data for a county with 1,000,000 and with
10,000,000 synthetic cases on PostgreSQL, each KPI panel timed beside the same aggregate computed
by a raw SQL GROUP BY on the cases table in the same run; and the big screen's refresh (the
whole JSON it fetches every minute).

    .venv/bin/python bench/bench_dashboard.py [--counts 1000000,10000000] [--runs 5]

Uses $DATABASE_URL when it points to PostgreSQL, else the database yimen_bench_insight on
postgres://postgres@127.0.0.1:5432. The cases are written by `manage.py generate_cases` (COPY,
indexes rebuilt after) and reused by later runs when the count matches; a larger count adds the
difference.
"""

import argparse
import time
from datetime import timedelta

from pg import timed, use_database

use_database("yimen_bench_insight")

from common import demo_town, setup_django  # noqa: E402

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from yimen.cases.models import Case  # noqa: E402
from yimen.core.calendar import SHANGHAI  # noqa: E402
from yimen.geo.models import Region  # noqa: E402
from yimen.insight import linked, selectors  # noqa: E402
from yimen.insight.kpis import compute, field  # noqa: E402
from yimen.insight.kpis.period import Period  # noqa: E402
from yimen.insight.models import DailyRollup  # noqa: E402
from yimen.insight.rollups.facts import Scope  # noqa: E402
from yimen.org.models import Membership, Unit  # noqa: E402
from yimen.org.roles import Role  # noqa: E402

TARGET_MS = 150


def county_leader(county: Region) -> Membership:
    """A county-level leader seat (the demo's leader sits in the town)."""
    unit, _ = Unit.objects.get_or_create(
        code=f"{county.code}-centre", defaults={"name": f"{county.name}综治中心", "kind": "centre", "region": county}
    )
    seat = Membership.objects.filter(unit=unit, role=Role.LEADER).first()
    if seat is None:
        from yimen.core.models import User

        user, _ = User.objects.get_or_create(username="bench_county", defaults={"name": "县领导"})
        seat = Membership.objects.create(user=user, unit=unit, role=Role.LEADER, jurisdiction=county)
    return seat


def raw_group_by(path: str, period: Period) -> list:
    """The same figures as the received/accepted panel, straight from the cases table."""
    start, end = Scope(first=period.since, last=period.until).window()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, count(*), count(accepted_at) FROM cases_case "
            "WHERE region_path LIKE %s AND received_at >= %s AND received_at < %s GROUP BY kind",
            [path + "%", start, end],
        )
        return cursor.fetchall()


def raw_closed(path: str, period: Period) -> list:
    start, end = Scope(first=period.since, last=period.until).window()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, count(*), count(*) FILTER (WHERE deadline IS NULL OR closed_at <= deadline) FROM cases_case "
            "WHERE region_path LIKE %s AND closed_at >= %s AND closed_at < %s GROUP BY kind",
            [path + "%", start, end],
        )
        return cursor.fetchall()


def panels(member: Membership, county: Region, period: Period, runs: int) -> None:
    board = selectors.kpi_board(member=member, region=county.code, since=period.since, until=period.until)
    scope = board.scope
    print(f" period {period.since} – {period.until} ({period.days} days); received {board.values['received']:,}")
    sample = list(range(runs))
    timed(
        "  panel received/accepted/on-time/satisfaction (rollups)",
        TARGET_MS,
        sample,
        lambda _: compute.rollup_totals(scope),
    )
    timed(
        "  … the same received/accepted by raw SQL GROUP BY", None, sample, lambda _: raw_group_by(county.path, period)
    )
    timed(
        "  … closed on time by raw SQL GROUP BY (no index on closed_at)",
        None,
        sample[:2],
        lambda _: raw_closed(county.path, period),
    )
    timed(
        "  panel received: the case-list correction (accused, confidential)",
        TARGET_MS,
        sample,
        lambda _: compute.received_count(member, scope, 0),
    )
    timed("  panel overdue now", TARGET_MS, sample, lambda _: compute.overdue_count(member, scope))
    timed("  panel mediation success", TARGET_MS, sample, lambda _: linked.mediation_counts(scope))
    timed("  panel repeat petitions", TARGET_MS, sample, lambda _: linked.petition_counts(scope))
    timed(
        "  panel police contact + informants",
        TARGET_MS,
        sample,
        lambda _: (field.contact_counts(scope), field.informant_counts(scope)),
    )
    timed("  panel trend", TARGET_MS, sample, lambda _: compute.rollup_trend(scope))
    timed("  panel by kind and by unit", TARGET_MS, sample, lambda _: selectors.breakdowns(board))
    timed("  panel drill-down", TARGET_MS, sample, lambda _: selectors.drill_rows(member=member, board=board))
    timed(
        "  panel map density + hazards", TARGET_MS, sample, lambda _: selectors.map_layers(member=member, board=board)
    )
    timed(
        "  panel boards (overdue, red/orange)",
        TARGET_MS,
        sample,
        lambda _: selectors.boards(member=member, region=county),
    )
    timed(
        "  all KPIs (GET /kpis's work)",
        None,
        sample,
        lambda _: selectors.kpi_board(member=member, region=county.code, since=period.since, until=period.until),
    )


def screen_refresh(member: Membership, county: Region, runs: int) -> None:
    client = Client()
    client.force_login(member.user)
    url = f"/dashboard/data/?region={county.code}"
    assert client.get(url).status_code == 200
    timed("  big-screen refresh (GET /dashboard/data/, whole JSON)", None, list(range(runs)), lambda _: client.get(url))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", default="1000000,10000000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    demo_town()
    with connection.cursor() as cursor:  # JIT compiles these short queries for longer than they run
        cursor.execute("SET jit = off")
    county = Region.objects.get(code="450324")
    member = county_leader(county)
    today = timezone.localdate()
    for count in (int(n) for n in args.counts.split(",")):
        print(f"== {count:,} cases in {county.name}")
        started = time.perf_counter()
        call_command("generate_cases", count=count, region=county.code, days=1095)
        print(
            f" data ready in {time.perf_counter() - started:.1f} s "
            f"({Case.objects.count():,} cases, {DailyRollup.objects.count():,} daily rollup rows)"
        )
        oldest = Case.objects.order_by("received_at").values_list("received_at", flat=True).first()
        periods = [
            Period(today - timedelta(days=29), today),
            Period(today.replace(month=1, day=1), today),
            Period(oldest.astimezone(SHANGHAI).date(), today),
        ]
        for period in periods:
            panels(member, county, period, args.runs)
        screen_refresh(member, county, args.runs)


if __name__ == "__main__":
    main()
