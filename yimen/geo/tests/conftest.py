"""Geo fixtures: 全州县 imported and 才湾镇 drawn once per test module (committed, then removed),
so each test reads the real tree without paying for the import again."""

import pytest

from tests.factories import MembershipFactory, UnitFactory
from yimen.geo import locate
from yimen.geo.demo import build_demo_grids
from yimen.geo.models import Region
from yimen.geo.services import divisions_import
from yimen.org.models import Unit
from yimen.org.roles import Role

COUNTY, TOWN = "450324", "450324106"


@pytest.fixture(autouse=True)
def fresh_locate_index():
    """The locate index is per process; a test must not see boundaries of an earlier test."""
    locate.invalidate()
    yield
    locate.invalidate()


@pytest.fixture(scope="module")
def demo_county(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        divisions_import(code=COUNTY)
        build_demo_grids(town=Region.objects.get(code=TOWN))
    yield
    with django_db_blocker.unblock():
        for depth in range(Region.objects.order_by("-depth").values_list("depth", flat=True).first() or 0, -1, -1):
            Region.objects.filter(depth=depth).delete()  # children first: parents are protected


@pytest.fixture
def demo_town(demo_county, db) -> Region:
    return Region.objects.get(code=TOWN)


@pytest.fixture
def keeper(demo_county, db):
    """The sysadmin who keeps boundaries (region.manage), over the whole county."""
    county = Region.objects.get(code=COUNTY)
    unit = UnitFactory(code=f"{COUNTY}-centre", kind=Unit.Kind.CENTRE, region=county, name="全州县综治中心")
    return MembershipFactory(user__username="keeper", unit=unit, role=Role.SYSADMIN, jurisdiction=county)
