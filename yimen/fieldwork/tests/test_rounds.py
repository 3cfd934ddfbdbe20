"""Checks, patrols and duty: problems found become reports; bad input is refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yimen.core.errors import Invalid, NotAllowed
from yimen.fieldwork import selectors, services
from yimen.fieldwork.models import CheckList, CheckPlace, CheckRecord
from yimen.geo.models import Region
from yimen.people import services as people

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    return CheckPlace.objects.create(
        name="村口山塘", place_type="water", region=Region.objects.get(code="45032410620001")
    )


def test_a_check_with_a_problem_is_reported_and_the_place_is_no_longer_due(worker, place):
    assert selectors.checks_due(member=worker) == [place]
    items = CheckList.objects.get(place_type="water").items
    results = dict.fromkeys(items, "ok") | {items[0]: "problem"}
    done = services.check_record(
        actor=worker, idempotency_key="c1", place=place, checked_on=timezone.localdate(), results=results
    )
    record = CheckRecord.objects.get(pk=done.object_id)
    assert record.problems == [items[0]] and record.report.case.kind == "hazard"
    assert selectors.checks_due(member=worker) == []
    with pytest.raises(Invalid):
        services.check_record(
            actor=worker, idempotency_key="c2", place=place, checked_on=timezone.localdate(), results={items[0]: "ok"}
        )


def test_patrol_log_and_duty(worker, chief):
    team, _ = people.patrol_team_upsert(actor=chief, region=chief.jurisdiction, name="才湾村巡逻队")
    member, _ = people.patrol_member_upsert(actor=chief, team=team, name="巡防员甲")
    now = timezone.now()
    done = services.patrol_log_record(
        actor=worker,
        idempotency_key="p1",
        team=team,
        started_at=now - timedelta(hours=2),
        ended_at=now,
        route=[[25.855, 110.985], [25.856, 110.986]],
        note="正常",
    )
    assert done.created and selectors.patrol_logs(member=worker).get().route[1] == [25.856, 110.986]
    with pytest.raises(Invalid):
        services.patrol_log_record(
            actor=worker,
            idempotency_key="p2",
            team=team,
            started_at=now,
            ended_at=now - timedelta(hours=1),
            route=[[95, 0]],
        )
    with pytest.raises(NotAllowed):
        services.patrol_duty_set(actor=worker, team=team, on=timezone.localdate(), shift="night", members=[member])
    duty = services.patrol_duty_set(actor=chief, team=team, on=timezone.localdate(), shift="night", members=[member])
    assert list(duty.members.all()) == [member]
