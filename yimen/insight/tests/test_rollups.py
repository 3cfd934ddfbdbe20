"""The rollups always equal the raw case tables: random cases, random periods and regions
(hypothesis), after a full rebuild and after the per-case refresh that follows each step."""

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yimen.cases.models import Case, TimelineEvent
from yimen.core.calendar import SHANGHAI
from yimen.geo.models import Region
from yimen.insight.kpis import compute
from yimen.insight.models import DailyRollup
from yimen.insight.rollups import facts, queue, store
from yimen.insight.tests.builders import make_case, make_lead

START = date(2026, 1, 20)
SPAN = 75  # days: the random cases and periods fall in 20 Jan – 4 Apr 2026, across month ends
LEAVES = ["45032410620001", "4503241062000101", "45032410620101", "4503241062010101"]
AREAS = ["450324106", "450324106200", "450324106201", "45032410620001", "4503241062010101"]
KINDS = ["dispute", "petition", "hazard"]

moment = st.tuples(st.integers(0, SPAN - 1), st.integers(0, 23 * 60 + 59))
case_strategy = st.fixed_dictionaries(
    {
        "leaf": st.sampled_from(LEAVES),
        "kind": st.sampled_from(KINDS),
        "unit": st.sampled_from(["centre", "police", "village"]),
        "lead": st.sampled_from([None, "police", "village"]),
        "received": moment,
        "accepted": st.booleans(),
        "closed": st.one_of(st.none(), st.integers(0, 20)),
        "late": st.integers(-3, 3),
        "rating": st.one_of(st.none(), st.integers(1, 5)),
        "public": st.one_of(st.none(), st.integers(1, 5)),
        "signed": st.one_of(st.none(), st.integers(-2, 2)),
    }
)
period_strategy = st.tuples(st.integers(0, SPAN - 1), st.integers(0, SPAN - 1), st.sampled_from(AREAS))


def _at(day: int, minutes: int) -> datetime:
    return datetime.combine(START + timedelta(days=day), time(minutes // 60, minutes % 60), tzinfo=SHANGHAI)


def build(spec: dict, units: dict) -> Case:
    received = _at(*spec["received"])
    fields = {}
    if spec["accepted"]:
        fields["accepted_at"] = received + timedelta(hours=1)
    if spec["closed"] is not None:
        closed = received + timedelta(days=spec["closed"], hours=3)
        fields.update(closed_at=closed, deadline=closed + timedelta(days=spec["late"]), state="closed")
        if spec["rating"]:
            fields.update(rating=spec["rating"], followed_up_at=closed + timedelta(days=1))
        if spec["public"]:
            fields.update(public_rating=spec["public"], public_rated_at=closed + timedelta(days=2))
    lead = units[spec["lead"]] if spec["lead"] else None
    received_text = received.strftime("%Y-%m-%d %H:%M")
    case = make_case(spec["leaf"], units[spec["unit"]], received=received_text, kind=spec["kind"], lead=lead, **fields)
    if lead:
        dispatched = received + timedelta(hours=2)
        signed = None if spec["signed"] is None else dispatched + timedelta(days=1 + spec["signed"])
        make_lead(
            case,
            lead,
            dispatched=dispatched.strftime("%Y-%m-%d %H:%M"),
            sign_deadline=(dispatched + timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
            signed=signed.strftime("%Y-%m-%d %H:%M") if signed else None,
        )
    return case


def scope_of(first: int, last: int, area: str) -> facts.Scope:
    first, last = sorted((first, last))
    path = Region.objects.get(code=area).path
    return facts.Scope(first=START + timedelta(days=first), last=START + timedelta(days=last), path=path)


def assert_equal(periods) -> None:
    """At every grain that may answer for the region: the rollups equal the raw tables."""
    for first, last, area in periods:
        scope = scope_of(first, last, area)
        raw = facts.totals(scope)
        level = Region.objects.get(code=area).level
        for grain in facts.GRAINS:
            if facts.holds(grain, level):
                got = compute.rollup_totals(replace(scope, grain=grain))
                assert got == raw, (grain, scope.first, scope.last, area)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    specs=st.lists(case_strategy, min_size=1, max_size=25), periods=st.lists(period_strategy, min_size=3, max_size=6)
)
def test_rollups_equal_the_raw_figures(units, specs, periods):
    Case.objects.all().delete()
    for spec in specs:
        build(spec, units)
    store.rebuild(START, START + timedelta(days=SPAN + 40))
    assert_equal(periods)
    # Cases change (reopened and closed again later, rated again): the per-case refresh
    # that follows each timeline event must leave the rollups equal to the raw tables again.
    for case in Case.objects.filter(closed_at__isnull=False)[:5]:
        # The history the services would have written: an event at each moment (DESIGN §6).
        for action, when in (("review", case.closed_at), ("follow_up", case.followed_up_at)):
            if when:
                TimelineEvent.objects.create(case=case, at=when, action=action, to_state="closed")
        later = case.closed_at + timedelta(days=9)
        Case.objects.filter(pk=case.pk).update(closed_at=later, followed_up_at=None, rating=None)
    queue.flush()
    assert_equal(periods)


def test_each_step_refreshes_its_case(seats, django_capture_on_commit_callbacks):
    """Through the services: registering, accepting, dispatching and signing a case each
    schedule its refresh, so the rollups follow without a rebuild."""
    from yimen.cases.tests.conftest import POLICE, act, register

    with django_capture_on_commit_callbacks(execute=True):
        case = register(seats["clerk"])
        act("accept", case, seats["clerk"])
        act("dispatch", case, seats["dispatcher"], lead_unit=POLICE)
        act("sign", case, seats["police"])
    assert queue.flush() >= 1  # the batched drain, run now rather than a second later
    today = case.received_at.astimezone(SHANGHAI).date()
    scope = facts.Scope(first=today, last=today, path=Region.objects.get(code="450324106").path)
    for grain in facts.GRAINS:
        assert compute.rollup_totals(replace(scope, grain=grain)) == facts.totals(scope)
    assert compute.rollup_totals(scope)["leads_signed_on_time"] == 1
    assert DailyRollup.objects.filter(day=today).count() >= 1


def test_a_rolled_back_step_changes_nothing(seats, django_capture_on_commit_callbacks):
    from yimen.cases.tests.conftest import register

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        register(seats["clerk"])
        raise RuntimeError
    assert not DailyRollup.objects.exists()
