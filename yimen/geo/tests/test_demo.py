"""The demo town's boundaries: 17 villages, 102 grids, 333 micro-grids, 6 special grids (DESIGN §9)."""

import math
from collections import Counter

import pytest
import shapely
from shapely.geometry import Point, shape

from tests.factories import RegionFactory
from yimen.core.errors import Conflict
from yimen.geo.demo import build_demo_grids
from yimen.geo.models import Region

KM2_PER_SQUARE_DEGREE = 110.574 * 111.320 * math.cos(math.radians(25.86))
SLACK = 1e-6  # coordinates are snapped to 1e-6° (~0.1 m)


def shapes(town: Region, level: str) -> dict[str, object]:
    return {r.code: (r, shape(r.geometry)) for r in Region.objects.subtree(town).filter(level=level)}


def test_counts_per_level_and_per_parent(demo_town):
    levels = Counter(Region.objects.subtree(demo_town).exclude(pk=demo_town.pk).values_list("level", flat=True))
    assert levels == {"village": 17, "grid": 102, "microgrid": 333, "special": 6}
    grids_per_village = Counter(Region.objects.filter(level="grid").values_list("parent__name", flat=True))
    assert grids_per_village["天湖社区"] == grids_per_village["才湾村"] == 7
    assert set(grids_per_village.values()) <= {5, 6, 7} and len(grids_per_village) == 17
    micros_per_grid = Counter(Region.objects.filter(level="microgrid").values_list("parent__code", flat=True))
    assert set(micros_per_grid.values()) == {3, 4} and len(micros_per_grid) == 102


def test_codes_and_names_read_well(demo_town):
    grid = Region.objects.get(code="45032410620001")
    assert (grid.name, grid.level, grid.parent.name) == ("才湾村第一网格", "grid", "才湾村")
    assert grid.path == f"{demo_town.path}450324106200/45032410620001/" and grid.depth == demo_town.depth + 2
    micro = Region.objects.get(code="4503241062000102")
    assert (micro.name, micro.level, micro.parent_id) == ("才湾村第一网格第2微网格", "microgrid", grid.pk)
    assert Region.objects.get(code="45032410620007").name == "才湾村第七网格"
    specials = dict(Region.objects.filter(level="special").values_list("code", "name"))
    assert specials["450324106S01"] == "才湾中心小学专属网格"
    assert set(specials) == {f"450324106S0{i}" for i in range(1, 7)}
    assert any("卫生院" in n for n in specials.values()) and any("集贸市场" in n for n in specials.values())
    assert any("纪念园" in n for n in specials.values()) and any("镇人民政府" in n for n in specials.values())
    assert all(r.parent_id == demo_town.pk for r in Region.objects.filter(level="special"))


def test_town_outline_is_plausible(demo_town):
    outline = shape(demo_town.geometry)
    assert outline.is_valid and outline.geom_type == "Polygon"
    assert outline.area * KM2_PER_SQUARE_DEGREE == pytest.approx(359, rel=0.01)
    middle = outline.centroid
    assert abs(middle.y - 25.86) < 0.05 and abs(middle.x - 110.99) < 0.05
    assert demo_town.geometry_updated_at is not None


@pytest.mark.parametrize(("level", "parent_level"), [("village", None), ("grid", "village"), ("microgrid", "grid")])
def test_each_level_tiles_its_parent(demo_town, level, parent_level):
    outline = shape(demo_town.geometry)
    children = shapes(demo_town, level)
    parents = shapes(demo_town, parent_level) if parent_level else {demo_town.code: (demo_town, outline)}
    for parent, parent_shape in parents.values():
        mine = [geometry for region, geometry in children.values() if region.parent_id == parent.pk]
        assert all(g.is_valid and parent_shape.buffer(SLACK).contains(g) for g in mine)
        # They cover the parent and do not overlap: areas add up to the parent's and to their union.
        total = sum(g.area for g in mine)
        assert total == pytest.approx(parent_shape.area, rel=1e-4)
        assert shapely.union_all(mine).area == pytest.approx(total, rel=1e-4)


def test_special_grids_are_small_and_inside_the_town(demo_town):
    outline = shape(demo_town.geometry)
    for region, geometry in shapes(demo_town, "special").values():
        assert geometry.is_valid and outline.contains(geometry), region.name
        assert 0.005 < geometry.area * KM2_PER_SQUARE_DEGREE < 0.5, region.name


def test_every_region_has_a_representative_point_inside_it(demo_town):
    for region in Region.objects.subtree(demo_town):
        assert shape(region.geometry).contains(Point(region.lng, region.lat)), region.code


def test_rerun_is_deterministic_and_updates_in_place(demo_town):
    before = dict(Region.objects.subtree(demo_town).values_list("code", "pk"))
    grid_before = Region.objects.get(code="45032410620103").geometry

    report = build_demo_grids(town=demo_town)

    assert (report.villages, report.grids, report.microgrids, report.special_grids) == (17, 102, 333, 6)
    assert dict(Region.objects.subtree(demo_town).values_list("code", "pk")) == before
    assert Region.objects.get(code="45032410620103").geometry == grid_before


def test_another_seed_draws_another_map(demo_town):
    before = Region.objects.get(code="450324106200").geometry
    build_demo_grids(town=demo_town, seed=7)
    assert Region.objects.get(code="450324106200").geometry != before
    assert Region.objects.subtree(demo_town).filter(level="microgrid").count() == 333


def test_a_town_without_villages_is_refused(db):
    town = RegionFactory(code="450324999", name="空白镇", level="town")
    with pytest.raises(Conflict, match="请先导入区划"):
        build_demo_grids(town=town)
