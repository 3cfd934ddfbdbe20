"""Reads of the region tree, always through what the member may see (Region.objects.visible_to):
a region outside it answers exactly like one that does not exist (404)."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from yimen.geo import summary
from yimen.geo.locate import Answer, locate
from yimen.geo.models import Member, Region

MAP_LEVELS = [Region.Level.TOWN, Region.Level.VILLAGE, Region.Level.GRID, Region.Level.MICROGRID]


def region_get_visible(*, member: Member, code: str) -> Region:
    return get_object_or_404(Region.objects.visible_to(member), code=code)


def region_home(*, member: Member) -> Region:
    """Where a member starts: the town their jurisdiction lies in, or the jurisdiction itself when
    it is a town or above (a county leader)."""
    jurisdiction = member.jurisdiction
    town = Region.objects.filter(code__in=jurisdiction.ancestor_codes, level=Region.Level.TOWN).first()
    return town or jurisdiction


def region_ancestors(region: Region) -> list[Region]:
    """Root first, for the breadcrumb. Every ancestor of a visible region is visible too."""
    return list(Region.objects.filter(code__in=region.ancestor_codes).order_by("depth"))


def region_children(*, member: Member, region: Region) -> QuerySet[Region]:
    return Region.objects.visible_to(member).filter(parent=region).order_by("code")


def _figure_scope(member: Member, region: Region) -> Region:
    """Households, persons and staff are counted only where the member may see them: the whole
    subtree of a region inside the jurisdiction, the jurisdiction for a region above it."""
    return region if region.is_within(member.jurisdiction) else member.jurisdiction


def region_summary(*, member: Member, region: Region) -> dict:
    """API.md summary: structure and figures over the subtree, as far as the member sees it."""
    structure = summary.structure_counts([region], rows=Region.objects.visible_to(member))[region.code]
    scope = _figure_scope(member, region)
    figures = summary.figure_counts([scope])[scope.code]
    return {"code": region.code, "name": region.name, **structure, **figures}


def region_children_summary(*, member: Member, region: Region) -> list[dict]:
    """Each visible child with its counts: a query per figure, however many children."""
    children = list(region_children(member=member, region=region))
    structure = summary.structure_counts(children, rows=Region.objects.visible_to(member))
    scopes = {child.code: _figure_scope(member, child) for child in children}
    figures = summary.figure_counts(list({scope.code: scope for scope in scopes.values()}.values()))
    return [{"region": child, **structure[child.code], **figures[scopes[child.code].code]} for child in children]


def region_locate_visible(*, member: Member, lat: float, lng: float) -> Answer:
    """locate() with whatever the member may not see blanked out; 404 when nothing is left."""
    found = locate(lat, lng)
    codes = [ref["code"] for ref in (found or {}).values() if ref]
    visible = set(Region.objects.visible_to(member).filter(code__in=codes).values_list("code", flat=True))
    if not visible:
        raise Http404
    return {key: ref if ref and ref["code"] in visible else None for key, ref in found.items()}


def map_levels(*, member: Member, region: Region) -> tuple[list[str], str | None, bool]:
    """What the map can draw for a region: the levels at or below it that have boundaries (top
    first), the one to start with (its children's, e.g. villages for a town) and whether there
    are special grids to overlay."""
    drawn = set(
        Region.objects.visible_to(member)
        .subtree(region)
        .filter(geometry__isnull=False)
        .order_by()
        .values_list("level", flat=True)
        .distinct()
    )
    if region.level in MAP_LEVELS:
        rank = MAP_LEVELS.index(region.level)
    else:  # above a town everything below can be drawn; a special grid has nothing below it
        rank = len(MAP_LEVELS) if region.level == Region.Level.SPECIAL else -1
    levels = [level for i, level in enumerate(MAP_LEVELS) if level in drawn and i >= rank]
    start = next((level for level in levels if MAP_LEVELS.index(level) > rank), levels[0] if levels else None)
    return levels, start, Region.Level.SPECIAL in drawn and region.level != Region.Level.SPECIAL


def map_features(*, member: Member, region: Region, level: str) -> list[dict]:
    """GeoJSON features of one level within the region, for the map page."""
    rows = (
        Region.objects.visible_to(member)
        .subtree(region)
        .filter(level=level, geometry__isnull=False)
        .order_by("code")
        .values_list("code", "name", "level", "geometry")
    )
    return [
        {"type": "Feature", "geometry": geometry, "properties": {"code": code, "name": name, "level": level}}
        for code, name, level, geometry in rows
    ]
