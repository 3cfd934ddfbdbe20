"""Benchmark locate(): the demo town (459 polygons) and a synthetic county of 5,000 grids.

    .venv/bin/python bench/bench_locate.py [--points 200000]

Runs on its own throwaway SQLite database under var/bench/ (never the real one) and goes through
the product's code path: regions in the database, the index built by yimen.geo.locate from them.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
DATABASE = BENCH_DIR / "locate.sqlite3"

sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yimen.settings_test")

import django  # noqa: E402

django.setup()

import shapely  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from yimen.geo import locate  # noqa: E402
from yimen.geo.demo import build_demo_grids  # noqa: E402
from yimen.geo.models import Region  # noqa: E402
from yimen.geo.services import divisions_import  # noqa: E402
from yimen.geo.shapes import geometry_fields  # noqa: E402

# The synthetic county: 100 x 50 cells of ~1 km (0.01°) with jittered corners shared by
# neighbours, so the cells tile it; 10 towns of 10 x 50 cells, each 10 villages of 10 x 5.
COUNTY = "990001"
WEST, SOUTH, CELL = 100.0, 30.0, 0.01
COLUMNS, ROWS = 100, 50


def fresh_database() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)


def synthetic_county(rng: random.Random) -> int:
    corners = [
        [
            (
                WEST + (i + (rng.uniform(-0.3, 0.3) if 0 < i < COLUMNS else 0)) * CELL,
                SOUTH + (j + (rng.uniform(-0.3, 0.3) if 0 < j < ROWS else 0)) * CELL,
            )
            for j in range(ROWS + 1)
        ]
        for i in range(COLUMNS + 1)
    ]

    def cell(i: int, j: int) -> shapely.Polygon:
        return shapely.Polygon([corners[i][j], corners[i + 1][j], corners[i + 1][j + 1], corners[i][j + 1]])

    stamp = timezone.now()

    def region(code: str, name: str, level: str, parent: Region | None, shape) -> Region:
        return Region(
            code=code,
            name=name,
            level=level,
            parent=parent,
            path=f"{parent.path if parent else ''}{code}/",
            depth=parent.depth + 1 if parent else 0,
            geometry_updated_at=stamp,
            **geometry_fields(shape),
        )

    cells = {(i, j): cell(i, j) for i in range(COLUMNS) for j in range(ROWS)}

    def union(columns: range, rows: range):
        return shapely.union_all([cells[(i, j)] for i in columns for j in rows])

    county = region(COUNTY, "基准县", "county", None, shapely.union_all(list(cells.values())))
    county.save()
    towns = [
        region(f"{COUNTY}{t + 1:03d}", f"基准{t + 1}镇", "town", county, union(range(t * 10, t * 10 + 10), range(ROWS)))
        for t in range(10)
    ]
    Region.objects.bulk_create(towns)
    villages = []
    for t, town in enumerate(towns):
        for v in range(10):
            columns, rows = range(t * 10, t * 10 + 10), range(v * 5, v * 5 + 5)
            village = region(
                f"{town.code}{200 + v:03d}", f"{town.name}{v + 1}村", "village", town, union(columns, rows)
            )
            villages.append((village, [(i, j) for i in columns for j in rows]))
    Region.objects.bulk_create([village for village, _ in villages], batch_size=500)
    grids = [
        region(f"{village.code}{n:02d}", f"{village.name}第{n}网格", "grid", village, cells[key])
        for village, keys in villages
        for n, key in enumerate(keys, start=1)
    ]
    Region.objects.bulk_create(grids, batch_size=1000)
    return len(grids)


def measure(label: str, bounds: tuple[float, float, float, float], count: int, rng: random.Random) -> None:
    west, south, east, north = bounds
    points = [(rng.uniform(south, north), rng.uniform(west, east)) for _ in range(count)]
    locate.invalidate()
    started = time.perf_counter()
    locate.locate(*points[0])
    built = time.perf_counter() - started

    started = time.perf_counter()
    found = locate.locate_many(points)
    bulk = count / (time.perf_counter() - started)

    singles = points[: max(count // 10, 1)]
    started = time.perf_counter()
    for lat, lng in singles:
        locate.locate(lat, lng)
    single = len(singles) / (time.perf_counter() - started)

    inside = sum(answer is not None for answer in found) / count
    polygons = Region.objects.filter(geometry__isnull=False).count()
    print(
        f"locate {label}: bulk {bulk:,.0f} points/s; single {single:,.0f} points/s "
        f"({count:,} random points, {inside:.0%} inside; index of {polygons:,} polygons built in {built:.2f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200_000, help="points per bulk run (a tenth for single)")
    args = parser.parse_args()
    rng = random.Random(20260101)

    fresh_database()
    started = time.perf_counter()
    divisions_import(code="450324106")
    town = Region.objects.get(code="450324106")
    drawn = build_demo_grids(town=town)
    print(
        f"demo town: {drawn.villages} villages, {drawn.grids} grids, {drawn.microgrids} micro-grids, "
        f"{drawn.special_grids} special grids drawn in {time.perf_counter() - started:.2f} s"
    )
    town.refresh_from_db()
    measure("demo town", shapely.geometry.shape(town.geometry).buffer(0.01).bounds, args.points, rng)

    started = time.perf_counter()
    grids = synthetic_county(rng)
    print(f"synthetic county: {grids:,} grids written in {time.perf_counter() - started:.2f} s")
    county_bounds = (WEST, SOUTH, WEST + COLUMNS * CELL, SOUTH + ROWS * CELL)
    measure("synthetic county (5,000 grids)", county_bounds, args.points, rng)


if __name__ == "__main__":
    main()
