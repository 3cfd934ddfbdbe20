"""The rollup refresh leaves the request and is batched (issue 22): a step only marks its case;
a burst of steps queues one drain per process and second, and that drain refreshes each touched
(day, region) slice once, leaving the rollups equal to the raw tables."""

from dataclasses import replace

import pytest
from django.db import transaction

from yimen.cases.models import Case
from yimen.cases.tests.conftest import act, register
from yimen.core.calendar import SHANGHAI
from yimen.geo.models import Region
from yimen.insight import tasks
from yimen.insight.kpis import compute
from yimen.insight.models import PendingRefresh
from yimen.insight.rollups import facts, queue, store


@pytest.fixture
def counted(monkeypatch):
    """The drains queued and the slice refreshes run, counted; one instant of this process's clock."""
    calls = {"queued": 0, "refreshes": 0}
    monkeypatch.setattr(queue, "_queued_until", 0.0)
    monkeypatch.setattr(queue.time, "time", lambda: 1_000_000.0)

    def queued(*args, **kwargs):
        calls["queued"] += 1

    real_refresh = store.refresh_slices

    def refresh(slices):
        calls["refreshes"] += 1
        return real_refresh(slices)

    monkeypatch.setattr(tasks.rollup_drain, "schedule", queued)
    monkeypatch.setattr(store, "refresh_slices", refresh)
    return calls


def test_a_burst_of_100_steps_is_one_queued_drain_and_one_refresh(seats, counted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cases = [register(seats["clerk"]) for _ in range(50)]
        for case in cases:
            act("accept", case, seats["clerk"])
    assert PendingRefresh.objects.count() == 100
    assert counted == {"queued": 1, "refreshes": 0}  # the steps paid for no refresh
    assert queue.drain() == 1  # today's slice of the one village: one slice, one refresh
    assert counted["refreshes"] == 1 and not PendingRefresh.objects.exists()
    today = cases[0].received_at.astimezone(SHANGHAI).date()
    scope = facts.Scope(first=today, last=today, path=Region.objects.get(code="450324106").path)
    for grain in facts.GRAINS:
        assert compute.rollup_totals(replace(scope, grain=grain)) == facts.totals(scope)
    assert compute.rollup_totals(scope)["received"] == 50
    assert compute.rollup_totals(scope)["accepted"] == 50


def test_a_drain_is_queued_again_once_the_last_one_has_started(seats, counted, monkeypatch):
    with transaction.atomic():
        register(seats["clerk"])
        assert counted["queued"] == 0  # nothing is queued before the commit
    queue._queue_drain()
    assert counted["queued"] == 1
    monkeypatch.setattr(queue.time, "time", lambda: 1_000_000.0 + queue.BATCH_SECONDS)
    queue._queue_drain()
    assert counted["queued"] == 2


def test_a_mark_committed_during_a_drain_is_kept_for_the_next(seats, monkeypatch):
    first = register(seats["clerk"])
    real_case_days = facts.case_days

    def another_step_meanwhile(case_ids):
        act("accept", first, seats["clerk"])  # marks the case again while the drain computes
        return real_case_days(case_ids)

    monkeypatch.setattr(facts, "case_days", another_step_meanwhile)
    queue.drain()
    assert PendingRefresh.objects.filter(case_id=first.pk).count() == 1
    monkeypatch.setattr(facts, "case_days", real_case_days)
    assert queue.flush() == 1 and not PendingRefresh.objects.exists()


def test_a_rolled_back_step_leaves_no_mark(seats, counted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        register(seats["clerk"])
        raise RuntimeError
    assert not PendingRefresh.objects.exists() and not Case.objects.exists()
    assert counted["queued"] == 0
