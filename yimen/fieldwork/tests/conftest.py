"""Grid-work fixtures: the two grid workers and the chief of the test town, an informant of
才湾村's first micro-grid, a household to visit, and a tiny JPEG."""

import pytest

from tests.factories import MembershipFactory
from yimen.core.tests.samples import jpeg  # noqa: F401  (the fieldwork tests import it from here)
from yimen.geo.models import Region
from yimen.org.roles import Role
from yimen.people.tests.samples import CAIWAN_MICROGRID, make_resident

IN_CAIWAN = {"lat": 25.855, "lng": 110.985}  # inside 才湾村's square (gridworker's grid)
IN_XIAOTANG = {"lat": 25.855, "lng": 110.995}  # inside 小塘村's (gridworker2's)


@pytest.fixture
def worker(persona):
    return persona("gridworker")


@pytest.fixture
def worker2(persona):
    return persona("gridworker2")


@pytest.fixture
def chief(persona):
    return persona("gridchief")


@pytest.fixture
def informant(worker):
    return MembershipFactory(
        user__username="informant",
        user__name="信息员甲",
        unit=worker.unit,
        role=Role.INFORMANT,
        jurisdiction=Region.objects.get(code=CAIWAN_MICROGRID),
    )


@pytest.fixture
def resident(chief):
    return make_resident(chief, "王大伯", seq=11)


@pytest.fixture
def household(resident):
    from yimen.people.models import Household

    return Household.objects.get(pk=resident.household_id)  # as it stands once its head is set
