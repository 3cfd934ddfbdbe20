"""Demo boundaries for 才湾镇 (DESIGN §9): a plausible town outline of ~359 km², its villages and
communities, 102 grids, 333 micro-grids and 6 special grids. Synthetic but deterministic: the same
seed draws the same map, and re-running updates in place.

Shapes are drawn in kilometres around the town centre (x east, y north), then turned into lon/lat.
Each level tiles the one above it: a Voronoi diagram of seeded points, relaxed a few rounds
(Lloyd) so neighbouring cells come out of similar size, clipped to the parent.
"""

import math
import random
import time
from dataclasses import dataclass

import numpy as np
import shapely
from django.db import transaction
from django.utils import timezone
from shapely import affinity
from shapely.geometry import MultiPoint, Point, Polygon
from shapely.geometry.base import BaseGeometry

from yimen.core.errors import Conflict
from yimen.geo import locate
from yimen.geo.models import Region
from yimen.geo.shapes import geometry_fields

CENTRE = (25.86, 110.99)  # lat, lng of the town's middle, ~11 km south-west of the county seat
TOWN_KM2 = 359.0
GRIDS_TOTAL = 102
MICROGRIDS_TOTAL = 333
SEAT_GRIDS = 7  # the town seat's community and namesake village are the busiest
NUMERALS = "一二三四五六七八九十"
KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LNG = 111.320 * math.cos(math.radians(CENTRE[0]))

# (code suffix, name ("{}" = the town's stem, 才湾), where: (km east, km north) of the town seat, or
# (angle in degrees, share of the way to the town edge) for the ones out in the hills, size in km)
SPECIAL_GRIDS = [
    ("S01", "{}中心小学专属网格", "seat", (0.45, -0.35), (0.22, 0.16)),
    ("S02", "{}镇卫生院专属网格", "seat", (-0.4, 0.3), (0.14, 0.12)),
    ("S03", "{}圩集贸市场专属网格", "seat", (0.1, 0.5), (0.18, 0.12)),
    ("S04", "天湖水电站专属网格", "edge", (200.0, 0.7), (0.4, 0.25)),
    ("S05", "红军长征湘江战役纪念园专属网格", "edge", (80.0, 0.35), (0.5, 0.35)),
    ("S06", "{}镇人民政府专属网格", "seat", (-0.05, -0.1), (0.12, 0.1)),
]


@dataclass
class DemoGrids:
    villages: int
    grids: int
    microgrids: int
    special_grids: int
    seconds: float


@transaction.atomic
def build_demo_grids(*, town: Region, seed: int = 450324106) -> DemoGrids:
    """Draw the demo town's boundaries and its grids (DESIGN §9) over the imported villages.
    Grid code = village code + 2 digits, micro-grid = grid code + 2 digits, special grid = town
    code + "S" + 2 digits. Deterministic for a seed; re-running updates the same rows."""
    started = time.perf_counter()
    rng = random.Random(seed)
    villages = list(town.children.filter(level=Region.Level.VILLAGE).order_by("code"))
    if not villages:
        raise Conflict(f"{town.name}还没有村/社区，请先导入区划：manage.py import_divisions {town.code}")
    outline = _town_outline(rng)
    cells, seeds = _partition(outline, len(villages), rng, rounds=8)
    seats = [v for v in villages if _is_seat(v, town)]
    shapes_of = dict(zip(villages, _assign(cells, seeds, seats, villages), strict=True))

    stamp = timezone.now()
    _draw(town, outline, stamp)
    for village in villages:
        _draw(village, shapes_of[village], stamp)
    Region.objects.bulk_update([town, *villages], ["geometry", "lat", "lng", "geometry_updated_at"])

    grid_counts = _grid_counts(villages, seats)
    grids: list[tuple[Region, BaseGeometry]] = []
    for village in villages:
        for number, shape in enumerate(_ordered(shapes_of[village], grid_counts[village], rng), start=1):
            grids.append((_child(village, f"{number:02d}", f"{village.name}第{_numeral(number)}网格"), shape))
    specials = [
        (_child(town, suffix, name.format(_stem(town)), level=Region.Level.SPECIAL), shape)
        for suffix, name, shape in _specials(outline, shapes_of[seats[0] if seats else villages[0]])
    ]
    _save([*grids, *specials], stamp)

    micro_counts = _microgrid_counts([g for g, _ in grids], seats)
    micros = []
    for grid, grid_shape in grids:
        for number, shape in enumerate(_ordered(grid_shape, micro_counts[grid.code], rng), start=1):
            micros.append((_child(grid, f"{number:02d}", f"{grid.name}第{number}微网格"), shape))
    _save(micros, stamp)

    locate.invalidate()  # once for the whole drawing, and again when it commits (see region_set_geometry)
    transaction.on_commit(locate.invalidate)
    return DemoGrids(len(villages), len(grids), len(micros), len(specials), time.perf_counter() - started)


def _town_outline(rng: random.Random) -> Polygon:
    """A star-shaped outline with hilly wiggles (a few random harmonics), scaled to TOWN_KM2."""
    harmonics = [(rng.uniform(0.03, 0.16) / h * 2, rng.uniform(0, 2 * math.pi), h) for h in range(2, 7)]
    ring = []
    for k in range(96):
        angle = 2 * math.pi * k / 96
        radius = 1 + sum(a * math.cos(h * angle + phase) for a, phase, h in harmonics) + rng.uniform(-0.02, 0.02)
        ring.append((radius * math.cos(angle) * 1.15, radius * math.sin(angle) / 1.15))  # a little east-west
    shape = Polygon(ring)
    return affinity.scale(shape, *(2 * [math.sqrt(TOWN_KM2 / shape.area)]), origin=(0, 0))


def _partition(area: BaseGeometry, count: int, rng: random.Random, *, rounds: int = 4):
    """`count` cells tiling `area` and the seed point of each, cells of similar size."""
    seeds = _points_inside(area, count, rng)
    for _ in range(rounds):
        seeds = [_centre(cell) for cell in _cells(area, seeds)]
    return _cells(area, seeds), seeds


def _cells(area: BaseGeometry, seeds: list[Point]) -> list[BaseGeometry]:
    if len(seeds) == 1:
        return [area]
    diagram = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=area.envelope.buffer(1), ordered=True)
    return [_areal(cell.intersection(area)) for cell in diagram.geoms]


def _areal(shape: BaseGeometry) -> BaseGeometry:
    """Only the polygonal part of a clip (touching cells can add stray lines or points)."""
    if shape.geom_type in ("Polygon", "MultiPolygon"):
        return shape
    return shapely.union_all([part for part in shape.geoms if part.geom_type in ("Polygon", "MultiPolygon")])


def _centre(cell: BaseGeometry) -> Point:
    centroid = cell.centroid
    return centroid if cell.contains(centroid) else cell.representative_point()


def _points_inside(area: BaseGeometry, count: int, rng: random.Random) -> list[Point]:
    west, south, east, north = area.bounds
    points: list[Point] = []
    while len(points) < count:
        point = Point(rng.uniform(west, east), rng.uniform(south, north))
        if area.contains(point):
            points.append(point)
    return points


def _ordered(area: BaseGeometry, count: int, rng: random.Random) -> list[BaseGeometry]:
    """Partition `area`; number 1 is the cell nearest its middle (where the committee sits)."""
    cells, seeds = _partition(area, count, rng)
    middle = _centre(area)
    return [cell for _, cell in sorted(zip(seeds, cells, strict=True), key=lambda pair: pair[0].distance(middle))]


def _is_seat(village: Region, town: Region) -> bool:
    """The town seat: its communities and the village named after the town (天湖社区, 才湾村)."""
    return village.name.endswith("社区") or village.name.startswith(_stem(town))


def _stem(town: Region) -> str:
    for suffix in ("街道", "镇", "乡"):
        if town.name.endswith(suffix):
            return town.name[: -len(suffix)]
    return town.name


def _assign(cells, seeds, seats, villages) -> list[BaseGeometry]:
    """Seat villages get the cells nearest the middle; the others go round clockwise from north."""
    by_distance = sorted(range(len(cells)), key=lambda i: seeds[i].distance(Point(0, 0)))
    taken = dict(zip([v.code for v in seats], by_distance, strict=False))
    rest = sorted(set(range(len(cells))) - set(taken.values()), key=lambda i: -math.atan2(seeds[i].x, seeds[i].y))
    others = iter(rest)
    return [cells[taken[v.code]] if v.code in taken else cells[next(others)] for v in villages]


def _grid_counts(villages, seats) -> dict[Region, int]:
    """GRIDS_TOTAL over the villages: SEAT_GRIDS for the seat, the rest shared in code order. The
    counts (and so the codes) do not depend on the seed: accounts and demo data can name them."""
    counts = {v: SEAT_GRIDS for v in seats}
    others = [v for v in villages if v not in counts]
    base, extra = divmod(GRIDS_TOTAL - SEAT_GRIDS * len(seats), max(len(others), 1))
    counts.update({v: base + (1 if i < extra else 0) for i, v in enumerate(others)})
    return counts


def _microgrid_counts(grids, seats) -> dict[str, int]:
    """Three micro-grids a grid, four where most people live: the seat's grids, then in code order."""
    seat_codes = {v.code for v in seats}
    busiest = sorted(grids, key=lambda g: (g.parent.code not in seat_codes, g.code))
    extra = MICROGRIDS_TOTAL - 3 * len(grids)
    return {grid.code: 4 if i < extra else 3 for i, grid in enumerate(busiest)}


def _specials(outline: Polygon, seat_shape: BaseGeometry):
    seat = _centre(seat_shape)
    for suffix, name, anchor, (a, b), (width, height) in SPECIAL_GRIDS:
        if anchor == "seat":
            middle = Point(seat.x + a, seat.y + b)
        else:  # out towards the edge: walk from the middle along a bearing
            bearing = math.radians(a)
            reach = max(outline.bounds[2] - outline.bounds[0], outline.bounds[3] - outline.bounds[1])
            ray = shapely.LineString([(0, 0), (reach * math.sin(bearing), reach * math.cos(bearing))])
            edge = ray.intersection(outline)
            middle = edge.interpolate(b, normalized=True) if not edge.is_empty else Point(0, 0)
        box = shapely.box(middle.x - width / 2, middle.y - height / 2, middle.x + width / 2, middle.y + height / 2)
        yield suffix, name, affinity.rotate(box, 17, origin="centroid").intersection(outline)


def _numeral(number: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二 (enough for grids in a village)."""
    if number <= 10:
        return NUMERALS[number - 1]
    return "十" + NUMERALS[number - 11]


def _to_lonlat(shape: BaseGeometry) -> BaseGeometry:
    return shapely.transform(
        shape,
        lambda km: np.column_stack(
            (CENTRE[1] + km[:, 0] / KM_PER_DEGREE_LNG, CENTRE[0] + km[:, 1] / KM_PER_DEGREE_LAT)
        ),
    )


def _draw(region: Region, shape: BaseGeometry, stamp) -> None:
    for name, value in geometry_fields(_to_lonlat(shape)).items():
        setattr(region, name, value)
    region.geometry_updated_at = stamp


def _child(parent: Region, suffix: str, name: str, *, level: str | None = None) -> Region:
    level = level or {Region.Level.VILLAGE: Region.Level.GRID, Region.Level.GRID: Region.Level.MICROGRID}[parent.level]
    code = f"{parent.code}{suffix}"
    return Region(
        code=code, name=name, level=level, parent=parent, path=f"{parent.path}{code}/", depth=parent.depth + 1
    )


def _save(drawn: list[tuple[Region, BaseGeometry]], stamp) -> None:
    """Upsert by code: rows already there keep their id (and whatever points at them)."""
    for region, shape in drawn:
        _draw(region, shape, stamp)
    existing = dict(Region.objects.filter(code__in=[r.code for r, _ in drawn]).values_list("code", "pk"))
    fields = ["name", "level", "parent", "path", "depth", "geometry", "lat", "lng", "geometry_updated_at"]
    for region, _ in drawn:
        region.pk = existing.get(region.code)
    Region.objects.bulk_update([r for r, _ in drawn if r.pk], fields, batch_size=500)
    Region.objects.bulk_create([r for r, _ in drawn if not r.pk], batch_size=500)
