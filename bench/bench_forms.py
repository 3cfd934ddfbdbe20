"""一表通 (issue 20 part 4): each upstream form for a county-year (target ≤ 2 s per form), on
PostgreSQL with synthetic cases, the figures computed and the workbook written (with its
数据来源 sheet: codes when the form covers up to 20,000 case lines, else one case-list link per
line).

    .venv/bin/python bench/bench_forms.py [--count 300000] [--runs 3]

Uses $DATABASE_URL when it points to PostgreSQL, else the database yimen_bench_forms on
postgres://postgres@127.0.0.1:5432. `--count` synthetic cases over three years (so a year holds
about a third of them), written by `manage.py generate_cases` and reused by later runs."""

import argparse
from datetime import date

from pg import timed, use_database

use_database("yimen_bench_forms")

from common import demo_town, setup_django  # noqa: E402

setup_django()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from yimen.geo.models import Region  # noqa: E402
from yimen.insight.kpis.period import Period  # noqa: E402
from yimen.insight.upstream import build  # noqa: E402
from yimen.insight.upstream.definitions import FORMS  # noqa: E402
from yimen.org.models import Membership, Unit  # noqa: E402
from yimen.org.roles import Role  # noqa: E402

TARGET_MS = 2000

parser = argparse.ArgumentParser()
parser.add_argument("--count", type=int, default=300_000)
parser.add_argument("--runs", type=int, default=3)
args = parser.parse_args()

if not Region.objects.filter(code="450324106").exists():
    demo_town()
county = Region.objects.get(code="450324")
call_command("generate_cases", count=args.count, region=county.code, days=1095, verbosity=0)
unit, _ = Unit.objects.get_or_create(
    code=f"{county.code}-centre", defaults={"name": f"{county.name}综治中心", "kind": "centre", "region": county}
)
seat = Membership.objects.filter(unit=unit, role=Role.LEADER).first()
if seat is None:
    from yimen.core.models import User

    user, _ = User.objects.get_or_create(username="bench_county", defaults={"name": "县领导"})
    seat = Membership.objects.create(user=user, unit=unit, role=Role.LEADER, jurisdiction=county)

today = timezone.localdate()
year = Period(date(today.year - 1, today.month, 1), today)  # the last twelve months and this one's days
print(f"county {county.name}, {args.count:,} synthetic cases over three years; period {year.label}")
for name, form in FORMS.items():
    made = {}

    def run(_, form=form, made=made):
        made["table"] = build.compute(member=seat, form=form, region=county, period=year)
        made["bytes"] = len(build.workbook(made["table"], unit_name=unit.name))

    timed(f"  {form.title} ({name})", TARGET_MS, list(range(args.runs)), run)
    print(f"    received {made['table'].total('received'):,}, workbook {made['bytes'] / 1024:.0f} KiB")
