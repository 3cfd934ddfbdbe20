"""No write ever fails for being concurrent (issue 22): eight threads registering and accepting
cases through the services at once, on both databases, get no error at all — on SQLite each
write transaction takes the write lock at BEGIN (IMMEDIATE) and waits its turn (busy timeout);
the rollup refresh is no longer inside them (rollups/queue.py). Every case is there, with its
own code, and the batched refresh then leaves the rollups equal to the raw tables."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from yimen.cases import catalogue, services
from yimen.cases.models import Case, TimelineEvent
from yimen.core.calendar import SHANGHAI
from yimen.geo.models import Region
from yimen.insight.kpis import compute
from yimen.insight.rollups import facts, queue

THREADS, EACH = 8, 12


@pytest.mark.threads
def test_eight_writers_at_once_get_no_error(transactional_db, persona):
    catalogue.catalogue_seed()  # a transactional test may follow one that flushed the tables
    clerk = persona("clerk")
    barrier = threading.Barrier(THREADS)

    def writer(n: int) -> list[Exception]:
        failed = []
        barrier.wait()
        try:
            for i in range(EACH):
                try:
                    case = services.case_register(
                        actor=clerk,
                        idempotency_key=f"w{n}-{i}",
                        kind="dispute",
                        title=f"并发登记 {n}-{i}",
                        channel="phone",
                        region="45032410620001",
                        parties=[{"name": "唐建国", "role": "applicant", "phone": f"1390773{n:02d}{i:02d}"}],
                    ).case
                    services.case_accept(case=case, actor=clerk, version=case.version)
                except Exception as exc:
                    failed.append(exc)
        finally:
            connections.close_all()
        return failed

    with ThreadPoolExecutor(THREADS) as pool:
        failures = [exc for failed in pool.map(writer, range(THREADS)) for exc in failed]
    assert failures == []
    cases = Case.objects.filter(title__startswith="并发登记")
    assert cases.count() == THREADS * EACH and cases.filter(state="accepted").count() == THREADS * EACH
    assert len(set(cases.values_list("code", flat=True))) == THREADS * EACH
    assert TimelineEvent.objects.filter(case__in=cases).count() == 2 * THREADS * EACH
    queue.flush()
    today = cases.first().received_at.astimezone(SHANGHAI).date()
    scope = facts.Scope(first=today, last=today, path=Region.objects.get(code="450324106").path)
    assert compute.rollup_totals(scope) == facts.totals(scope)
    assert compute.rollup_totals(scope)["received"] == THREADS * EACH
