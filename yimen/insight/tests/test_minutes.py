"""Worker minutes per case (issue 20 part 5): each step's time from the timeline, per unit."""

from django.urls import reverse

from yimen.cases.models import TimelineEvent
from yimen.insight.kpis.period import Period
from yimen.insight.minutes import unit_minutes
from yimen.insight.tests.builders import at, make_case

GRID1 = "45032410620001"


def story(case, steps):
    for action, unit, member, moment in steps:
        TimelineEvent.objects.create(case=case, action=action, unit=unit, actor=member.user, at=at(moment))


def test_minutes_per_step_belong_to_the_unit_that_recorded_it(persona, client, django_assert_max_num_queries):
    clerk, police = persona("clerk"), persona("police")
    leader = persona("leader")
    for n in range(2):
        case = make_case(GRID1, clerk.unit, received=f"2026-11-0{n + 2} 09:00")
        story(
            case,
            [
                ("register", clerk.unit, clerk, f"2026-11-0{n + 2} 09:00"),
                ("accept", clerk.unit, clerk, f"2026-11-0{n + 2} 09:30"),
                ("sign", police.unit, police, f"2026-11-0{n + 2} 11:30"),
                ("reply", police.unit, police, f"2026-11-0{n + 3} 11:30"),
            ],
        )
    period = Period(at("2026-11-01 00:00").date(), at("2026-11-30 00:00").date())
    with django_assert_max_num_queries(3):
        found = {u.name: u for u in unit_minutes(member=leader, region=leader.jurisdiction, period=period)}
    station, centre = found[police.unit.name], found[clerk.unit.name]
    assert station.steps["sign"].median == 120 and station.steps["reply"].median == 24 * 60
    assert station.hours_per_case == 26 and station.forms_per_case == 2
    assert centre.steps["accept"].median == 30 and centre.steps["register"].minutes == []  # nothing before it
    assert station.roles == {"承办人"}  # the seat's role as the org app names it
    client.force_login(leader.user)
    page = client.get(reverse("insight:minutes"), {"since": "2026-11-01", "until": "2026-11-30"})
    assert "从不按录入条数计分" in page.content.decode()
    assert page.context["units"][0].name == police.unit.name  # most hours first
    assert client.get(reverse("insight:minutes"), {"since": "2026-11-31"}).status_code == 422
