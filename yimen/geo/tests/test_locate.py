"""locate(): a point -> town, village, grid, micro-grid (and special grid) on the demo town."""

import random

import pytest
from django.utils import timezone
from shapely.geometry import shape

from yimen.core.errors import Invalid, NotAllowed, NotFound
from yimen.core.models import AuditEntry
from yimen.geo import locate as index
from yimen.geo.locate import locate, locate_many
from yimen.geo.models import Region
from yimen.geo.services import divisions_import, region_set_geometry

FAR_AWAY = (39.9, 116.4)  # Beijing


def square(lat: float, lng: float, half: float = 0.001) -> dict:
    ring = [[lng - half, lat - half], [lng + half, lat - half], [lng + half, lat + half], [lng - half, lat + half]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def test_each_village_point_locates_to_that_village(demo_town):
    for village in demo_town.children.filter(level="village"):
        found = locate(village.lat, village.lng)
        assert found["town"] == {"code": "450324106", "name": "才湾镇"}
        assert found["village"] == {"code": village.code, "name": village.name}
        assert found["grid"]["code"].startswith(village.code) and found["grid"]["name"].startswith(village.name)
        assert found["microgrid"]["code"].startswith(found["grid"]["code"])


def test_each_micro_grid_point_locates_to_that_micro_grid(demo_town):
    micros = Region.objects.subtree(demo_town).filter(level="microgrid").select_related("parent__parent")
    found = locate_many([(m.lat, m.lng) for m in micros])
    for micro, answer in zip(micros, found, strict=True):
        assert answer["microgrid"] == {"code": micro.code, "name": micro.name}
        assert answer["grid"]["code"] == micro.parent.code and answer["village"]["code"] == micro.parent.parent.code


def test_special_grids_overlay_the_regular_grids(demo_town):
    school = Region.objects.get(code="450324106S01")
    found = locate(school.lat, school.lng)
    assert found["special"] == {"code": "450324106S01", "name": "才湾中心小学专属网格"}
    assert found["town"]["code"] == "450324106" and found["microgrid"] is not None
    plain = Region.objects.get(code="450324106200")
    assert locate(plain.lat, plain.lng)["special"] is None


def test_outside_every_polygon_is_none(demo_town):
    assert locate(*FAR_AWAY) is None
    assert locate_many([FAR_AWAY, (demo_town.lat, demo_town.lng)])[0] is None
    assert locate_many([]) == []


def test_bulk_equals_single(demo_town):
    rng = random.Random(1)
    west, south, east, north = shape(demo_town.geometry).buffer(0.01).bounds  # corners lie outside
    points = [(rng.uniform(south, north), rng.uniform(west, east)) for _ in range(500)]
    bulk = locate_many(points)
    assert bulk == [locate(lat, lng) for lat, lng in points]
    assert 0 < sum(found is None for found in bulk) < 250


def test_the_index_is_reused_without_a_query_per_call(demo_town, django_assert_num_queries):
    locate(demo_town.lat, demo_town.lng)
    with django_assert_num_queries(0):
        for _ in range(20):
            locate(demo_town.lat, demo_town.lng)


def test_set_geometry_is_seen_at_once_in_this_process(demo_town, keeper):
    micro = Region.objects.get(code="4503241062010101")
    assert locate(*FAR_AWAY) is None

    region_set_geometry(actor=keeper, region=micro, geometry=square(*FAR_AWAY))

    found = locate(*FAR_AWAY)
    assert found["microgrid"] == {"code": "4503241062010101", "name": "小塘村第一网格第1微网格"}
    assert found["grid"]["code"] == "45032410620101" and found["village"]["name"] == "小塘村"
    micro.refresh_from_db()
    assert micro.geometry_updated_at is not None and (micro.lat, micro.lng) == pytest.approx(FAR_AWAY, abs=0.001)

    region_set_geometry(actor=keeper, region=micro, geometry=None)
    assert locate(*FAR_AWAY) is None


def test_other_processes_notice_through_the_version_check(demo_town, monkeypatch):
    """Another process changed a boundary: no local invalidation, only the stamp in the database."""
    assert locate(*FAR_AWAY) is None
    Region.objects.filter(code="4503241062010101").update(
        geometry=square(*FAR_AWAY), geometry_updated_at=timezone.now()
    )
    assert locate(*FAR_AWAY) is None  # within RECHECK_SECONDS the cached index answers
    monkeypatch.setattr(index, "_checked_at", index._checked_at - index.RECHECK_SECONDS - 1)
    assert locate(*FAR_AWAY)["microgrid"]["code"] == "4503241062010101"


def test_bad_geometry_is_refused(demo_town, keeper):
    micro = Region.objects.get(code="4503241062010101")
    bow_tie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    for geometry, message in (
        (bow_tie, "有效的多边形"),
        ({"type": "Point", "coordinates": [110.9, 25.8]}, "Polygon"),
        (square(25.86, 200.0), "超出范围"),
        ({"type": "Polygon", "coordinates": "x"}, "无法解析"),
    ):
        with pytest.raises(Invalid, match=message) as refused:
            region_set_geometry(actor=keeper, region=micro, geometry=geometry)
        assert "geometry" in refused.value.errors
    micro.refresh_from_db()
    assert micro.geometry is not None


def test_a_rename_by_the_import_reaches_other_processes(demo_town, monkeypatch):
    caiwan = Region.objects.get(code="450324106200")
    Region.objects.filter(pk=caiwan.pk).update(name="旧名村")  # as an older edition of the codes had it
    index.invalidate()
    assert locate(caiwan.lat, caiwan.lng)["village"]["name"] == "旧名村"

    divisions_import(code="450324106")  # run by manage.py: this process's index is not told

    monkeypatch.setattr(index, "_checked_at", index._checked_at - index.RECHECK_SECONDS - 1)
    assert locate(caiwan.lat, caiwan.lng)["village"] == {"code": "450324106200", "name": "才湾村"}


def test_only_the_sysadmin_draws_a_boundary_within_their_jurisdiction_and_it_is_audited(demo_town, keeper, persona):
    micro = Region.objects.get(code="4503241062010101")
    with pytest.raises(NotAllowed):
        region_set_geometry(actor=persona("gridchief"), region=micro, geometry=square(*FAR_AWAY))
    elsewhere = Region.objects.get(code="450324101")  # another town than the persona's own
    with pytest.raises(NotFound):
        region_set_geometry(actor=persona("sysadmin"), region=elsewhere, geometry=None)
    assert locate(*FAR_AWAY) is None and not AuditEntry.objects.filter(action="region_geometry").exists()
    region_set_geometry(actor=keeper, region=micro, geometry=square(*FAR_AWAY))
    entry = AuditEntry.objects.get(action="region_geometry")
    assert (entry.actor, entry.target, entry.detail) == (keeper.user, "region:4503241062010101", {"cleared": False})
