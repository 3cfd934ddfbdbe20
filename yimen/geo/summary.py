"""Counts over a region's subtree (API.md GET /regions/{code}/summary, the region page's cards).

The grid structure is geo's own. Households, persons and staff live in apps above geo, which geo
must not import (core <- geo <- org <- people), so each app registers a counter for its figure in
its AppConfig.ready(): `register_counter("staff", fn)` with fn(region) -> int. A figure nobody
registered counts 0. Make the counter a SubtreeCount and a page listing many regions asks it once
for all of them instead of once a region.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet

from yimen.geo.models import Region

FIGURES = ("households", "persons", "staff")
STRUCTURE = {  # level -> figure
    Region.Level.VILLAGE: "villages",
    Region.Level.GRID: "grids",
    Region.Level.MICROGRID: "microgrids",
    Region.Level.SPECIAL: "special_grids",
}

_counters: dict[str, Callable[[Region], int]] = {}


def register_counter(name: str, fn: Callable[[Region], int]) -> None:
    """Count `name` (one of FIGURES) in a region's subtree with fn(region) -> int."""
    _counters[name] = fn


@dataclass(frozen=True)
class SubtreeCount:
    """A counter of rows that hang off a region, e.g. staff by their jurisdiction:
    SubtreeCount(rows=lambda: Membership.objects.filter(is_active=True), path="jurisdiction__path",
    distinct="user"). `rows` is called per count so it always reads fresh."""

    rows: Callable[[], QuerySet]
    path: str  # lookup from a row to its region's materialised path
    distinct: str | None = None  # count distinct values of this field instead of rows

    def __call__(self, region: Region) -> int:
        return self.many([region])[region.code]

    def many(self, regions: Sequence[Region]) -> dict[str, int]:
        """Counts for several regions in one aggregate query."""
        if not regions:
            return {}
        inside = [Q(**{f"{self.path}__startswith": region.path}) for region in regions]
        field, distinct = (self.distinct, True) if self.distinct else ("pk", False)
        totals = (
            self.rows()
            .filter(reduce(or_, inside))
            .aggregate(**{f"r{i}": Count(field, distinct=distinct, filter=q) for i, q in enumerate(inside)})
        )
        return {region.code: totals[f"r{i}"] or 0 for i, region in enumerate(regions)}


def structure_counts(regions: Sequence[Region], *, rows: QuerySet[Region]) -> dict[str, dict[str, int]]:
    """Villages, grids, micro-grids and special grids among `rows` in each region's subtree
    (the region itself included), in one query grouped by level."""
    counts = {region.code: dict.fromkeys(STRUCTURE.values(), 0) for region in regions}
    if not regions:
        return counts
    inside = [Q(path__startswith=region.path) for region in regions]
    grouped = (
        rows.filter(reduce(or_, inside), level__in=list(STRUCTURE))
        .order_by()
        .values("level")
        .annotate(**{f"r{i}": Count("pk", filter=q) for i, q in enumerate(inside)})
    )
    for group in grouped:
        for i, region in enumerate(regions):
            counts[region.code][STRUCTURE[group["level"]]] = group[f"r{i}"]
    return counts


def figure_counts(regions: Sequence[Region]) -> dict[str, dict[str, int]]:
    """Households, persons and staff in each region's subtree: one query per registered figure
    when its counter is a SubtreeCount."""
    counts = {region.code: dict.fromkeys(FIGURES, 0) for region in regions}
    for figure in FIGURES:
        counter = _counters.get(figure)
        if counter is None:
            continue
        many = getattr(counter, "many", None)
        found = many(regions) if many else {region.code: counter(region) for region in regions}
        for code, value in found.items():
            counts[code][figure] = value
    return counts
