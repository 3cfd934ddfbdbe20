"""The raw side of the rollups: what the case tables say, grouped by (day, region, unit, kind,
category) at one of three grains. The rollup builder writes these groups; the KPI tests compare
the rollups with them.

Grains (README "Rollups"): `cell` keeps everything — the case's own region (a micro-grid), its
unit, kind and category; `area` keeps the grid (a micro-grid's case counts in its grid) and the
kind; `unit` keeps the village, the unit and the kind. A question is answered from the coarsest
grain that still holds what it asks for; all three are exact.

Each figure counts on the day of its own moment, in Beijing time: received on the day received,
closed on the day closed, a lead dispatch on the day dispatched, a rating on the day given."""

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate

from yimen.cases.models import Assignment, Case
from yimen.core.calendar import SHANGHAI
from yimen.geo.models import Region
from yimen.insight.models import MEASURES

SATISFIED_FROM = 4  # a rating of 4 or 5 (of 1–5) is satisfied (满意)

Key = tuple[date, int, int, str, int]  # day, region id, unit id (0: all), kind, catalogue row id (0: all/none)

CELL, AREA, UNIT = "cell", "area", "unit"
GRAINS = (CELL, AREA, UNIT)
L = Region.Level
# How far up from the case's region each grain keeps it: (levels, steps up).
LIFTS = {CELL: [], AREA: [((L.MICROGRID,), 1)], UNIT: [((L.MICROGRID,), 2), ((L.GRID, L.SPECIAL), 1)]}


def lifted(region: Region, grain: str) -> Region:
    """The region a case in `region` counts in at this grain (as _region_key says in SQL)."""
    for levels, steps in LIFTS[grain]:
        if region.level in levels:
            for _ in range(steps):
                region = region.parent
            return region
    return region


def holds(grain: str, level: str) -> bool:
    """Whether the grain's rows answer for a region of this level by path prefix: every case in
    the region must count in the region or below it."""
    if grain == AREA:
        return level != L.MICROGRID
    if grain == UNIT:
        return level not in (L.MICROGRID, L.GRID, L.SPECIAL)
    return True


def grain_for(level: str, *, unit=None, category=None, by_unit: bool = False, child_level: str | None = None) -> str:
    """The coarsest grain that answers for a region of `level` with these filters and grouping."""
    if category is not None or not level:
        return CELL
    if unit is not None or by_unit:
        return UNIT if holds(UNIT, level) else CELL
    if child_level == L.MICROGRID:
        return CELL
    return AREA if holds(AREA, level) else CELL


@dataclass
class Scope:
    """Which cases a query covers: a day range, a region subtree or one region, kinds, unit and
    category; and the grain the rollups answer it from."""

    first: date
    last: date  # inclusive
    path: str = ""  # a region's materialised path: its subtree
    region_id: int | None = None  # exactly this region (a rollup slice)
    kinds: frozenset[str] | None = None
    unit_id: int | None = None
    category: int | None = None
    grain: str = CELL
    level: str = ""  # the region's level: which grains may answer

    def window(self) -> tuple[datetime, datetime]:
        start = datetime.combine(self.first, time.min, tzinfo=SHANGHAI)
        return start, datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=SHANGHAI)


def _cases(scope: Scope, prefix: str = "") -> Q:
    """The scope's region, kind and category conditions, on Case or through `prefix` (case__)."""
    rule = Q()
    if scope.path:
        rule &= Q(**{f"{prefix}region_path__startswith": scope.path})
    if scope.region_id is not None:
        rule &= Q(**{f"{prefix}region_id": scope.region_id})
    if scope.kinds is not None:
        rule &= Q(**{f"{prefix}kind__in": sorted(scope.kinds)})
    if scope.category is not None:
        rule &= Q(**{f"{prefix}category_id": scope.category or None})
    return rule


KEY_FIELDS = ("day", "region_id", "region_path", "owner", "kind", "category_id")


def _case_groups(scope: Scope, moment: str, extra: Q, counts: dict) -> QuerySet:
    start, end = scope.window()
    cases = Case.unscoped.filter(_cases(scope), extra, **{f"{moment}__gte": start, f"{moment}__lt": end})
    cases = cases.annotate(day=TruncDate(moment, tzinfo=SHANGHAI), owner=Coalesce("lead_unit_id", "first_unit_id"))
    if scope.unit_id is not None:
        cases = cases.filter(owner=scope.unit_id)
    return cases.order_by().values(*KEY_FIELDS).annotate(**counts)


def _lead_groups(scope: Scope) -> QuerySet:
    start, end = scope.window()
    leads = Assignment.objects.filter(
        _cases(scope, "case__"), role=Assignment.Role.LEAD, dispatched_at__gte=start, dispatched_at__lt=end
    )
    if scope.unit_id is not None:
        leads = leads.filter(unit_id=scope.unit_id)
    on_time = Q(signed_at__isnull=False) & (Q(sign_deadline__isnull=True) | Q(signed_at__lte=F("sign_deadline")))
    return (
        leads.annotate(
            day=TruncDate("dispatched_at", tzinfo=SHANGHAI),
            region_id=F("case__region_id"),
            region_path=F("case__region_path"),
            owner=F("unit_id"),
            kind=F("case__kind"),
            category_id=F("case__category_id"),
        )
        .order_by()
        .values(*KEY_FIELDS)
        .annotate(leads=Count("pk"), leads_signed_on_time=Count("pk", filter=on_time))
    )


def _streams(scope: Scope) -> list[Iterable[tuple[Key, str, dict]]]:
    """The five grouped queries, each as (cell key, region path, counts), in day order."""
    on_time = Q(deadline__isnull=True) | Q(closed_at__lte=F("deadline"))
    case_groups = [
        _case_groups(
            scope,
            "received_at",
            Q(),
            {"received": Count("pk"), "accepted": Count("pk", filter=Q(accepted_at__isnull=False))},
        ),
        _case_groups(
            scope,
            "closed_at",
            Q(closed_at__isnull=False),
            {"closed": Count("pk"), "closed_on_time": Count("pk", filter=on_time)},
        ),
        _case_groups(
            scope,
            "followed_up_at",
            Q(rating__isnull=False),
            {"ratings": Count("pk"), "satisfied": Count("pk", filter=Q(rating__gte=SATISFIED_FROM))},
        ),
        _case_groups(
            scope,
            "public_rated_at",
            Q(public_rating__isnull=False),
            {"ratings": Count("pk"), "satisfied": Count("pk", filter=Q(public_rating__gte=SATISFIED_FROM))},
        ),
    ]

    def rows_of(rows: QuerySet):
        for row in rows.order_by("day").iterator(chunk_size=10_000):
            key = (row["day"], row["region_id"], row["owner"], row["kind"], row["category_id"] or 0)
            yield key, row["region_path"], row

    return [rows_of(rows) for rows in (*case_groups, _lead_groups(scope))]


def _add(found: dict, key: Key, path: str, row: dict) -> None:
    _, counts = found.setdefault(key, (path, dict.fromkeys(MEASURES, 0)))
    for name in MEASURES:
        counts[name] += row.get(name, 0)


Cells = dict[Key, tuple[str, dict[str, int]]]


def cells(scope: Scope) -> Cells:
    """Every non-empty cell of the scope (at the cell grain) with its region path and counts."""
    found: Cells = {}
    for stream in _streams(scope):
        for key, path, row in stream:
            _add(found, key, path, row)
    return found


class Lifts:
    """Each region's place at each grain (`lifted`), looked up once per region."""

    def __init__(self):
        self.known: dict[tuple[int, str], tuple[int, str]] = {}

    def __call__(self, region_id: int, grain: str) -> tuple[int, str]:
        found = self.known.get((region_id, grain))
        if found is None:
            region = lifted(Region.objects.select_related("parent__parent").get(pk=region_id), grain)
            found = self.known[(region_id, grain)] = (region.pk, region.path)
        return found


def fold(found: Cells, grain: str, lifts: Lifts) -> Cells:
    """Cells at the cell grain summed into a coarser grain: the region lifted, the dropped
    dimensions set to 0."""
    if grain == CELL:
        return found
    folded: Cells = {}
    for (day, region_id, unit, kind, _category), (_, counts) in found.items():
        region, path = lifts(region_id, grain)
        _add(folded, (day, region, unit if grain == UNIT else 0, kind, 0), path, counts)
    return folded


def cells_by_month(scope: Scope) -> Iterator[tuple[date, dict[Key, tuple[str, dict[str, int]]]]]:
    """The scope's cells a month at a time, the five queries read side by side in day order:
    memory stays at one month of cells however long the range (ten million cases)."""
    merged = heapq.merge(*_streams(scope), key=lambda item: item[0][0])
    month, found = None, {}
    for key, path, row in merged:
        if key[0].replace(day=1) != month:
            if found:
                yield month, found
            month, found = key[0].replace(day=1), {}
        _add(found, key, path, row)
    if found:
        yield month, found


def totals(scope: Scope) -> dict[str, int]:
    """The scope's counts summed, straight from the case tables (what the rollups must equal)."""
    summed = dict.fromkeys(MEASURES, 0)
    for _, counts in cells(scope).values():
        for name in MEASURES:
            summed[name] += counts[name]
    return summed


def case_days(case_ids: Iterable[int]) -> set[tuple[date, int]]:
    """The (day, region) slices these cases count in now or counted in before: every day one of
    their figures falls on, and every day of their timeline (a reopened case's old closing day
    is the day of an event), each in the case's region."""
    ids = list(case_ids)
    slices: set[tuple[date, int]] = set()
    moments = ("received_at", "closed_at", "followed_up_at", "public_rated_at")
    for row in Case.unscoped.filter(pk__in=ids).values("region_id", *moments):
        slices.update((row[m].astimezone(SHANGHAI).date(), row["region_id"]) for m in moments if row[m])
    for related in ("events__at", "assignments__dispatched_at"):
        dated = Case.unscoped.filter(pk__in=ids, **{f"{related}__isnull": False}).values_list("region_id", related)
        slices.update((at.astimezone(SHANGHAI).date(), region_id) for region_id, at in dated)
    return slices
