"""Statistics on a small hand-built set, answers computed by hand, scoped to the viewer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yimen.cases.tests.conftest import OTHER_GRID
from yimen.mediation.models import Mediation, TeamMember
from yimen.mediation.selectors import mediation_stats

from .conftest import dispute

pytestmark = pytest.mark.django_db

# (grid, level, result, team)
ROWS = [
    ("45032410620001", "village", "agreement", ["people"]),
    ("45032410620001", "town", "partial", ["people", "judge"]),
    (OTHER_GRID, "village", "failed", ["judge"]),
    (OTHER_GRID, "town", "pending", ["people"]),
    ("45032410620001", "village", "declined", []),
]


@pytest.fixture
def built(seats, roster):
    now = timezone.now()
    for grid, level, result, team in ROWS:
        case = dispute(seats, region=grid)
        mediation = Mediation.objects.create(
            case=case,
            unit=case.lead_unit,
            committee="才湾镇人民调解委员会",
            level=level,
            result=result,
            started_at=now,
            due=now + timedelta(days=30),
            ended_at=None if result == "pending" else now,
        )
        for key in team:
            TeamMember.objects.create(mediation=mediation, mediator=roster[key], role="people")
    return roster


def test_hand_computed_answers(seats, built, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        stats = mediation_stats(seats["dispatcher"])
    overall = stats.overall
    assert (overall.agreement, overall.partial, overall.failed, overall.declined, overall.pending) == (1, 1, 1, 1, 1)
    assert overall.rate == pytest.approx(1 / 3)  # agreements / (agreement + partial + failed)
    villages = {t.label: (t.total, t.decided, t.rate) for t in stats.by_village}
    assert villages == {"才湾村": (3, 2, 0.5), "小塘村": (2, 1, 0.0)}
    mediators = {t.label: (t.total, t.agreement, t.decided) for t in stats.by_mediator}
    assert mediators == {"唐桂芳": (3, 1, 2), "王明华": (2, 0, 2)}
    assert [t.total for t in stats.by_category] == [5]
    assert (stats.village_settled, stats.town_settled, stats.county_settled, stats.unsettled) == (1, 1, 0, 1)
    assert stats.village_share is None  # 小事不出村 counts closed disputes, and none is closed yet


def test_scoped_to_what_the_viewer_sees(seats, built):
    assert mediation_stats(seats["court"]).overall.total == 0  # the court holds none of these cases
    assert mediation_stats(seats["judicial"]).overall.total == 5  # the lead unit of all of them
