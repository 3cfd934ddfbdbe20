"""Region pages (breadcrumb, summary cards, children with their counts) and the grid map."""

from django.http import JsonResponse
from django.shortcuts import redirect, render

from yimen.core.permissions import member_required
from yimen.geo import selectors
from yimen.geo.models import Region

L = Region.Level
# Levels top-down; a count is worth showing only for regions above the level it counts.
ORDER = [L.PROVINCE, L.CITY, L.COUNTY, L.TOWN, L.VILLAGE, L.GRID, L.MICROGRID]
STRUCTURE_CARDS = [
    ("villages", "村/社区", L.VILLAGE),
    ("grids", "网格", L.GRID),
    ("microgrids", "微网格", L.MICROGRID),
    ("special_grids", "专属网格", L.VILLAGE),
]
FIGURE_CARDS = [("households", "户数"), ("persons", "实有人口"), ("staff", "工作人员")]
MAP_LAYER_LABELS = {L.TOWN: "镇/街道", L.VILLAGE: "村/社区", L.GRID: "网格", L.MICROGRID: "微网格"}


def _cards(level: str) -> list[tuple[str, str]]:
    rank = ORDER.index(level) if level in ORDER else len(ORDER)
    return [(key, label) for key, label, counted in STRUCTURE_CARDS if rank < ORDER.index(counted)] + FIGURE_CARDS


@member_required("region.view")
def region_root(request):
    return redirect("geo:region_detail", code=selectors.region_home(member=request.member).code)


@member_required("region.view")
def region_detail(request, code: str):
    member = request.member
    region = selectors.region_get_visible(member=member, code=code)
    summary = selectors.region_summary(member=member, region=region)
    rows = selectors.region_children_summary(member=member, region=region)
    rank = ORDER.index(region.level) if region.level in ORDER else len(ORDER)
    columns = _cards(ORDER[rank + 1]) if rank + 1 < len(ORDER) else FIGURE_CARDS
    context = {
        "region": region,
        "ancestors": selectors.region_ancestors(region),
        "cards": [(label, summary[key]) for key, label in _cards(region.level)],
        "columns": [label for _, label in columns],
        "rows": [(row["region"], [row[key] for key, _ in columns]) for row in rows],
        "can_map": member.has_perm("map.view"),
    }
    return render(request, "geo/region_detail.html", context)


@member_required("map.view")
def map_page(request):
    member = request.member
    code = request.GET.get("region") or selectors.region_home(member=member).code
    region = selectors.region_get_visible(member=member, code=code)
    levels, start, specials = selectors.map_levels(member=member, region=region)
    context = {
        "region": region,
        "ancestors": selectors.region_ancestors(region),
        "layers": [(level, MAP_LAYER_LABELS[level]) for level in levels],
        "start": start,
        "specials": specials,
        "outline": region.geometry,
    }
    return render(request, "geo/map.html", context)


@member_required("map.view")
def map_features(request):
    """The map's data: one level of boundaries inside a region, as a GeoJSON FeatureCollection."""
    return features_response(request, request.member)


def features_response(request, member) -> JsonResponse:
    """Boundaries of `?level=` inside `?region=` as `member` may see them (the big screen's
    display grant draws its issuer's)."""
    region = selectors.region_get_visible(member=member, code=request.GET.get("region", ""))
    level = request.GET.get("level", "")
    if level not in MAP_LAYER_LABELS and level != L.SPECIAL:
        return JsonResponse(
            {"detail": "未知的图层。", "code": "invalid", "errors": {"level": ["未知的图层。"]}}, status=422
        )
    features = selectors.map_features(member=member, region=region, level=level)
    return JsonResponse({"type": "FeatureCollection", "features": features})
