"""Boundaries written without region_set_geometry (fixtures, old rows) are still indexed."""

from yimen.geo.locate import locate
from yimen.geo.models import Region


def test_fixture_town_locates_without_stamps(town):
    found = locate(25.855, 110.985)
    assert found["village"] == {"code": "450324106200", "name": "才湾村"}
    assert found["grid"]["code"] == "45032410620001" and found["microgrid"]["code"] == "4503241062000101"
    assert found["town"] == {"code": "450324106", "name": "才湾镇"}  # from the path: the town has no outline
    assert Region.objects.get(code="450324106").geometry is None
    assert locate(25.855, 110.995)["village"]["name"] == "小塘村"


def test_no_boundaries_at_all_is_none(db):
    assert locate(25.86, 110.99) is None
