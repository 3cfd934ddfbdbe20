"""State changes of the region tree: importing the division codes, drawing boundaries."""

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from yimen.core import audit
from yimen.core.errors import Invalid, NotFound
from yimen.core.permissions import require_permission
from yimen.geo import locate, shapes
from yimen.geo.divisions import LEVELS, UnknownDivision, divisions_of
from yimen.geo.models import Region

BATCH = 1000
IMPORTED_FIELDS = ["name", "official_name", "level", "parent", "path", "depth"]


@dataclass
class ImportReport:
    code: str
    name: str
    levels: Counter = field(default_factory=Counter)  # level -> regions in the imported set
    created: int = 0
    updated: int = 0
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.levels.values())


@transaction.atomic
def divisions_import(*, code: str) -> ImportReport:
    """导入区划: region `code` (2/4/6/9/12 digits = 省/市/县/镇/村), its ancestors and its whole subtree
    from the shipped 统计用区划代码. Matched by code, so re-running renames in place and never
    duplicates; regions the data no longer lists (and our grids) are left alone."""
    started = time.perf_counter()
    try:
        divisions = divisions_of(code)
    except UnknownDivision:
        raise NotFound(
            f"统计用区划代码中没有“{code}”。请输入 2/4/6/9/12 位代码（省/市/县/镇/村），如 450324 全州县。",
            code="unknown_division",
        ) from None
    ancestor_codes = [d.code for d in divisions if len(d.code) < len(code)]
    # Boundaries are not needed here and can be large (every grid under a province).
    rows = Region.objects.filter(Q(code__startswith=code) | Q(code__in=ancestor_codes)).defer("geometry")
    existing = {region.code: region for region in rows}
    report = ImportReport(code=code, name=next(d.name for d in divisions if d.code == code))
    saved: dict[str, Region] = {}
    moved: list[tuple[Region, str, int, str | None]] = []  # (region, old path, old depth, parent code)
    renamed: list[int] = []
    changed: list[Region] = []
    for length in LEVELS:  # parents before children: a child needs its parent's id and path
        created: list[Region] = []
        for division in (d for d in divisions if len(d.code) == length):
            parent = saved.get(division.parent_code) if division.parent_code else None
            values = {
                "name": division.name,
                "official_name": division.official_name,
                "level": division.level,
                "parent_id": parent.pk if parent else None,
                "path": f"{parent.path if parent else ''}{division.code}/",
                "depth": parent.depth + 1 if parent else 0,
            }
            region = existing.get(division.code)
            if region is None:
                region = Region(code=division.code, **values)
                created.append(region)
            elif any(getattr(region, name) != value for name, value in values.items()):
                if region.path != values["path"]:
                    moved.append((region, region.path, region.depth, division.parent_code))
                if region.name != values["name"]:
                    renamed.append(region.pk)
                for name, value in values.items():
                    setattr(region, name, value)
                changed.append(region)
            saved[division.code] = region
            report.levels[division.level] += 1
        Region.objects.bulk_create(created, batch_size=BATCH)
        report.created += len(created)
    _carry_subtrees(moved)
    Region.objects.bulk_update(changed, IMPORTED_FIELDS, batch_size=BATCH)
    report.updated = len(changed)
    for start in range(0, len(renamed), BATCH):
        # The locate index holds names too: a new stamp makes every process reload it.
        Region.objects.filter(pk__in=renamed[start : start + BATCH], geometry__isnull=False).update(
            geometry_updated_at=timezone.now()
        )
    transaction.on_commit(locate.invalidate)
    report.seconds = time.perf_counter() - started
    return report


def _carry_subtrees(moved: list[tuple[Region, str, int, str | None]]) -> None:
    """A region whose path changes takes its whole stored subtree along, including what the data
    does not list (grids, micro-grids): one prefix rewrite per topmost moved region. The imported
    rows are then set to their computed paths by the caller's bulk update anyway."""
    moved_codes = {region.code for region, *_ in moved}
    for region, old_path, old_depth, parent_code in moved:
        if parent_code in moved_codes:
            continue  # carried along with its moved ancestor
        Region.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(region.path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + (region.depth - old_depth),
        )


@transaction.atomic
def region_set_geometry(*, actor: Any, region: Region, geometry: dict | None) -> Region:
    """Draw or clear a region's boundary: a valid GeoJSON Polygon or MultiPolygon in lon/lat order.
    A boundary decides which grid — so which grid worker and unit — every located report and
    case falls to, so it is kept like the units it belongs beside: only by the sysadmin
    (`region.manage`, 403 otherwise) within their jurisdiction (another region → 404, as if
    absent), and audited. Stamps geometry_updated_at, which is how every process learns to
    reload its locate index. `actor` is an org Membership (geo sits below org: duck-typed)."""
    require_permission(actor, "region.manage")
    if not region.path.startswith(actor.jurisdiction.path):
        raise NotFound("未找到该区划，或不在您的管辖范围内。")
    if geometry is None:
        fields = {"geometry": None, "lat": None, "lng": None}
    else:
        try:
            fields = shapes.geometry_fields(shapes.parse(geometry))
        except shapes.BadGeometry as exc:
            raise Invalid(str(exc), errors={"geometry": [str(exc)]}) from None
    for name, value in fields.items():
        setattr(region, name, value)
    region.geometry_updated_at = timezone.now()
    region.save(update_fields=[*fields, "geometry_updated_at"])
    audit.record(
        action="region_geometry",
        actor=actor.user,
        unit_code=actor.unit.code,
        unit_name=actor.unit.name,
        target=f"region:{region.code}",
        detail={"cleared": geometry is None},
    )
    # Now for this thread (it reads its own uncommitted rows), and again after commit for the
    # other threads of this process, which may have reloaded the old rows in between.
    locate.invalidate()
    transaction.on_commit(locate.invalidate)
    return region
