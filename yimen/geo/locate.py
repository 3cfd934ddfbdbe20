"""Which town, village, grid and micro-grid a point lies in (DESIGN §3: shapely 2 STRtree).

Every region with a boundary goes into one STRtree, cached per process. The deepest polygon that
holds the point wins and its ancestors fill the answer; special grids (专属网格: a school, a
market) overlay the regular grids, so they are reported beside them under "special".

The cache is rebuilt when boundaries change: `invalidate()` (called by region_set_geometry in
this process), and for other processes a version check (latest geometry_updated_at and the
number of stamped regions, both off one index) at most every RECHECK_SECONDS, never per call.
"""

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from django.db.models import Count, Max
from shapely.geometry import shape

from yimen.geo.models import Region

RECHECK_SECONDS = 2.0
KEYS = {
    Region.Level.TOWN: "town",
    Region.Level.VILLAGE: "village",
    Region.Level.GRID: "grid",
    Region.Level.MICROGRID: "microgrid",
}

Ref = dict[str, str]  # {"code": ..., "name": ...}
Answer = dict[str, Ref | None]  # {"town", "village", "grid", "microgrid", "special"}


@dataclass(frozen=True)
class _Index:
    version: tuple
    tree: shapely.STRtree
    geometries: np.ndarray  # the tree's polygons, prepared (fast repeated point-in-polygon)
    depth: np.ndarray  # per tree geometry
    special: np.ndarray  # per tree geometry: is it a special grid?
    answers: list[Answer]  # per tree geometry: the answer for a point inside it
    refs: list[Ref]  # per tree geometry: its own {code, name}


_index: _Index | None = None
_checked_at = 0.0
_lock = threading.Lock()


def invalidate() -> None:
    """Drop this process's index; the next locate rebuilds it."""
    global _index
    with _lock:
        _index = None


def locate(lat: float, lng: float) -> Answer | None:
    """{town, village, grid, microgrid, special} for one point (each {code, name} or None), or
    None outside every known polygon. Treat the answer as read-only."""
    return locate_many([(lat, lng)])[0]


def locate_many(points: Iterable[Sequence[float]]) -> list[Answer | None]:
    """locate() for many (lat, lng) points at once, in one vectorised STRtree query."""
    index = _current()
    if not isinstance(points, list | tuple | np.ndarray):
        points = list(points)
    coords = np.asarray(points, dtype=float).reshape(-1, 2)
    count = len(coords)
    if count == 0:
        return []
    lngs, lats = coords[:, 1], coords[:, 0]
    # Bounding boxes from the tree, then one vectorised test against the prepared polygons. This
    # is ~4x faster than query(predicate="intersects") on large polygons (a county's 5,000-grid
    # outline): that form prepares the points, not the polygons.
    hits_in, hits_tree = index.tree.query(shapely.points(lngs, lats))
    inside = shapely.intersects_xy(index.geometries[hits_tree], lngs[hits_in], lats[hits_in])
    hits_in, hits_tree = hits_in[inside], hits_tree[inside]
    special = index.special[hits_tree]
    best = _deepest(hits_in[~special], hits_tree[~special], index.depth, count)
    best_special = _deepest(hits_in[special], hits_tree[special], index.depth, count)
    results: list[Answer | None] = []
    for regular, overlay in zip(best.tolist(), best_special.tolist(), strict=True):
        if regular < 0 and overlay < 0:
            results.append(None)
            continue
        base = index.answers[regular if regular >= 0 else overlay]
        results.append({**base, "special": index.refs[overlay] if overlay >= 0 else None})
    return results


def _deepest(points: np.ndarray, regions: np.ndarray, depth: np.ndarray, count: int) -> np.ndarray:
    """Per point, the hit region of greatest depth (ties: lowest code); -1 where nothing was hit."""
    best = np.full(count, -1, dtype=np.int64)
    if len(points):
        # Tree order is code order, so sorting by region index breaks depth ties by code.
        order = np.lexsort((regions, -depth[regions], points))
        points, regions = points[order], regions[order]
        first = np.ones(len(points), dtype=bool)
        first[1:] = points[1:] != points[:-1]
        best[points[first]] = regions[first]
    return best


def _current() -> _Index:
    global _index, _checked_at
    index = _index
    if index is not None and time.monotonic() - _checked_at < RECHECK_SECONDS:
        return index
    with _lock:
        version = _version()
        if _index is None or _index.version != version:
            _index = _build(version)
        _checked_at = time.monotonic()
        return _index


def _version() -> tuple:
    stamps = Region.objects.aggregate(latest=Max("geometry_updated_at"), stamped=Count("geometry_updated_at"))
    return (stamps["latest"], stamps["stamped"])


def _build(version: tuple) -> _Index:
    rows = list(
        Region.objects.filter(geometry__isnull=False)
        .order_by("code")
        .values_list("code", "name", "level", "path", "depth", "geometry")
    )
    names = {code: (name, level) for code, name, level, *_ in rows}
    ancestors = {code for *_, path, _depth, _geometry in rows for code in path.split("/")[:-1]} - names.keys()
    names.update(
        (code, (name, level))
        for code, name, level in Region.objects.filter(code__in=ancestors).values_list("code", "name", "level")
    )
    answers = []
    for _code, _name, level, path, _depth, _geometry in rows:
        chain = path.split("/")[:-1]
        if level == Region.Level.SPECIAL:
            chain = chain[:-1]  # a special grid reports the town it belongs to, not itself
        answer: Answer = dict.fromkeys((*KEYS.values(), "special"))
        for code in chain:
            name, chain_level = names.get(code, (code, ""))
            if chain_level in KEYS:
                answer[KEYS[chain_level]] = {"code": code, "name": name}
        answers.append(answer)
    geometries = np.array([shape(row[5]) for row in rows], dtype=object)
    shapely.prepare(geometries)
    return _Index(
        version=version,
        tree=shapely.STRtree(geometries),
        geometries=geometries,
        depth=np.array([row[4] for row in rows], dtype=np.int64),
        special=np.array([row[2] == Region.Level.SPECIAL for row in rows], dtype=bool),
        answers=answers,
        refs=[{"code": row[0], "name": row[1]} for row in rows],
    )
