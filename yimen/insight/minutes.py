"""Worker minutes per case (issue 20 part 5), read off the timeline: each step's time runs from
the case's previous event to the step's own event and belongs to the unit (and the seat's role)
that recorded the step — the time that unit took to get it done. Elapsed time, not working
hours: a weekend in the middle counts, as it does for the person waiting.

Forms per case: every timeline event is one submitted form (one service call), so the events a
unit wrote per case are the forms it filled for it; pages record no other clicks.

This is for finding waiting and retyping, never for rating people: the KPIs (kpis/definitions.py)
reward resolution, time limits and satisfaction, and no figure counts entries."""

import statistics
from dataclasses import dataclass, field

from django.db.models import F, Window
from django.db.models.functions import Lag

from yimen.cases import timeline
from yimen.cases.models import Case, TimelineEvent
from yimen.core.calendar import day_end, day_start
from yimen.insight.kpis.compute import allowed_kinds
from yimen.insight.kpis.period import Period
from yimen.org.models import Membership, Unit

EVENTS_MAX = 200_000  # a period's events read at most (a county-month is well below)
NO_UNIT = "（系统）"  # steps no seat recorded (nightly sweeps, citizens' own ratings)


@dataclass
class Step:
    action: str
    label: str
    minutes: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.minutes) if self.minutes else 0.0


@dataclass
class UnitMinutes:
    name: str
    roles: set[str] = field(default_factory=set)
    cases: set[int] = field(default_factory=set)
    forms: int = 0
    steps: dict[str, Step] = field(default_factory=dict)

    @property
    def forms_per_case(self) -> float:
        return self.forms / len(self.cases) if self.cases else 0.0

    @property
    def hours(self) -> float:
        return sum(sum(s.minutes) for s in self.steps.values()) / 60

    @property
    def hours_per_case(self) -> float:
        return self.hours / len(self.cases) if self.cases else 0.0

    def step_list(self) -> list[Step]:
        return sorted(self.steps.values(), key=lambda s: -sum(s.minutes))


def unit_minutes(*, member, region, period: Period) -> list[UnitMinutes]:
    """Per unit, for the cases received in the period in the region (kinds the member may see
    across the jurisdiction): the cases it worked on, the forms it filled, and the minutes of
    each kind of step it recorded (median per step), most hours first. Three queries."""
    cases = Case.unscoped.filter(
        region_path__startswith=region.path,
        kind__in=sorted(allowed_kinds(member)),
        received_at__gte=day_start(period.since),
        received_at__lt=day_end(period.until),
    )
    events = (
        TimelineEvent.objects.filter(case__in=cases)
        .annotate(previous=Window(Lag("at"), partition_by=[F("case_id")], order_by=[F("at").asc(), F("id").asc()]))
        .values_list("case_id", "unit_id", "actor_id", "action", "at", "previous")[:EVENTS_MAX]
    )
    rows = list(events)
    units = dict(Unit.objects.filter(pk__in={r[1] for r in rows if r[1]}).values_list("pk", "name"))
    seats = Membership.objects.filter(user_id__in={r[2] for r in rows if r[2]}, unit_id__in=units)
    roles = {(s.user_id, s.unit_id): s.get_role_display() for s in seats}
    found: dict[int | None, UnitMinutes] = {}
    for case_id, unit_id, actor_id, action, at, previous in rows:
        entry = found.get(unit_id)
        if entry is None:
            entry = found[unit_id] = UnitMinutes(name=units.get(unit_id, NO_UNIT))
        entry.cases.add(case_id)
        entry.forms += 1
        role = roles.get((actor_id, unit_id))
        if role:
            entry.roles.add(role)
        step = entry.steps.get(action)
        if step is None:
            step = entry.steps[action] = Step(action=action, label=timeline.label(action))
        if previous is not None:
            step.minutes.append(max((at - previous).total_seconds(), 0) / 60)
    return sorted(found.values(), key=lambda u: -u.hours)
