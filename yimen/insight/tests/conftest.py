import pytest

from tests.factories import UnitFactory
from yimen.geo.models import Region
from yimen.insight import rankings


@pytest.fixture(autouse=True)
def fresh_rankings():
    """The public ranking is kept for minutes (rankings.RANKING_SECONDS); each test's data is new."""
    rankings.forget()


@pytest.fixture
def units(town):
    """The town's centre, police station and 才湾村 committee (as the personas name them)."""

    def unit(code: str, kind: str, region: str):
        return UnitFactory(code=code, kind=kind, region=Region.objects.get(code=region), name=code)

    return {
        "centre": unit("450324106-centre", "centre", "450324106"),
        "police": unit("450324106-police", "police", "450324106"),
        "village": unit("450324106200-village", "village", "450324106200"),
    }


@pytest.fixture
def seats(persona):
    from conftest import PERSONAS

    return {name: persona(name) for name in PERSONAS}
