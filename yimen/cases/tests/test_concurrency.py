"""Nothing lost, nothing doubled (DESIGN §2.6): concurrent steps on one case never both succeed;
concurrent retries of one registration make one case; codes never collide.

The threaded tests run real concurrent writers on both databases (on SQLite the session's test
database is then a file, as in production: the in-memory one is a shared cache whose table
locks fail instead of waiting); the interleavings they provoke are also forced
deterministically below."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from yimen.cases import catalogue, services
from yimen.cases.models import Case, TimelineEvent
from yimen.cases.tests.conftest import GRID, act, register
from yimen.core.errors import Conflict
from yimen.core.models import IdempotencyKey

# Real concurrent writers: on SQLite the session then runs on a file database (see /conftest.py),
# where IMMEDIATE transactions queue for the write lock as they do in production.
threads = pytest.mark.threads

BODY = {
    "kind": "dispute",
    "title": "唐家叔侄宅基地边界纠纷",
    "channel": "phone",
    "region": GRID,
    "parties": [{"name": "唐建国", "role": "applicant", "phone": "13907730001"}],
}


def test_a_step_taken_on_a_stale_read_is_refused(seats):
    case = register(seats["clerk"])
    mine, theirs = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)  # both read version 1
    services.case_accept(case=mine, actor=seats["clerk"], version=1)
    with pytest.raises(Conflict) as refused:
        services.case_decline(case=theirs, actor=seats["dispatcher"], version=1, reason="重复")
    assert refused.value.code == "wrong_state"
    with pytest.raises(Conflict) as refused:
        services.case_refer(case=theirs, actor=seats["dispatcher"], version=1, to="110", reason="警情")
    assert refused.value.code == "stale_version"
    assert TimelineEvent.objects.filter(case=case).count() == 2


def test_a_change_between_the_check_and_the_update_is_caught_by_the_update(seats, monkeypatch):
    """Force the race: the other step commits after this one checked the version."""
    case = register(seats["clerk"])
    real_check = services.workflow._check  # patched where case_accept looks it up

    def check_then_lose_the_race(case_, action, version, sources):
        state = real_check(case_, action, version, sources)
        Case.objects.filter(pk=case_.pk).update(version=version + 1)  # the other writer
        return state

    monkeypatch.setattr(services.workflow, "_check", check_then_lose_the_race)
    with pytest.raises(Conflict) as refused:
        services.case_accept(case=case, actor=seats["clerk"], version=1)
    assert refused.value.code == "stale_version"
    assert TimelineEvent.objects.filter(case=case).count() == 1


def test_a_retry_after_the_first_answer_finds_the_first_case(seats):
    first = services.case_register(actor=seats["clerk"], idempotency_key="k-1", **BODY)
    again = services.case_register(actor=seats["clerk"], idempotency_key="k-1", **BODY)
    assert first.created and not again.created and again.case.pk == first.case.pk
    with pytest.raises(Conflict) as refused:
        services.case_register(actor=seats["clerk"], idempotency_key="k-1", **{**BODY, "title": "别的事"})
    assert refused.value.code == "idempotency_key_reused"
    assert Case.objects.count() == 1 and IdempotencyKey.objects.get().object_id == first.case.pk


def _in_thread(work):
    def run(*args):
        try:
            return work(*args)
        except Conflict as exc:
            return exc
        finally:
            connections.close_all()

    return run


@pytest.fixture
def live_seats(transactional_db, persona):
    catalogue.catalogue_seed()  # a transactional test may follow one that flushed the tables
    return {name: persona(name) for name in ("clerk", "dispatcher", "police")}


@threads
def test_concurrent_retries_of_one_registration_make_one_case(live_seats):
    clerk, threads = live_seats["clerk"], 8
    barrier = threading.Barrier(threads)

    @_in_thread
    def retry(_):
        barrier.wait()
        return services.case_register(actor=clerk, idempotency_key="phone-retry-1", **BODY)

    with ThreadPoolExecutor(threads) as pool:
        answers = list(pool.map(retry, range(threads)))
    assert not [a for a in answers if isinstance(a, Exception)]
    assert len({a.case.pk for a in answers}) == 1 and sum(a.created for a in answers) == 1
    assert Case.objects.count() == 1


@threads
def test_concurrent_retries_with_another_body_are_refused(live_seats):
    clerk, threads = live_seats["clerk"], 6
    barrier = threading.Barrier(threads)

    @_in_thread
    def retry(n):
        barrier.wait()
        return services.case_register(actor=clerk, idempotency_key="k", **{**BODY, "title": f"第{n % 2}件"})

    with ThreadPoolExecutor(threads) as pool:
        answers = list(pool.map(retry, range(threads)))
    cases = [a for a in answers if not isinstance(a, Exception)]
    refused = [a for a in answers if isinstance(a, Conflict)]
    assert len(cases) + len(refused) == threads and Case.objects.count() == 1
    assert all(a.code == "idempotency_key_reused" for a in refused) and len(refused) == 3


@threads
def test_concurrent_steps_on_one_case_never_both_succeed(live_seats):
    case = register(live_seats["clerk"])
    threads = 8
    barrier = threading.Barrier(threads)

    @_in_thread
    def step(n):
        mine = Case.objects.get(pk=case.pk)
        barrier.wait()
        if n % 2:
            return services.case_accept(case=mine, actor=live_seats["clerk"], version=1)
        return services.case_decline(case=mine, actor=live_seats["dispatcher"], version=1, reason="重复来访")

    with ThreadPoolExecutor(threads) as pool:
        answers = list(pool.map(step, range(threads)))
    won = [a for a in answers if isinstance(a, Case)]
    assert len(won) == 1 and all(isinstance(a, Conflict) for a in answers if a not in won)
    case.refresh_from_db()
    assert case.version == 2 and case.events.count() == 2


@threads
def test_concurrent_registrations_get_distinct_consecutive_codes(live_seats):
    threads = 8
    barrier = threading.Barrier(threads)

    @_in_thread
    def new(n):
        barrier.wait()
        return services.case_register(actor=live_seats["clerk"], idempotency_key=f"k{n}", **BODY).case.code

    with ThreadPoolExecutor(threads) as pool:
        codes = list(pool.map(new, range(threads)))
    numbers = sorted(int(code[-6:]) for code in codes)
    assert numbers == list(range(numbers[0], numbers[0] + threads))


def test_sequential_codes_survive_a_rolled_back_registration(seats):
    first = register(seats["clerk"])
    with pytest.raises(Exception):  # noqa: B017 — any failure rolls the counter back with the case
        register(seats["clerk"], parties=[{"name": "", "role": "nobody"}])
    second = register(seats["clerk"])
    assert int(second.code[-6:]) == int(first.code[-6:]) + 1
    assert act("accept", second, seats["clerk"]).state == "accepted"
