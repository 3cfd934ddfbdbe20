"""The one Idempotency-Key mechanism (yimen.core.idempotency) over its one table
(core.IdempotencyKey): POST /cases and the phone's outbox claim, replay and refuse alike — the
same codes, a replay finds the first record without making another, a key spent on one kind of
create is refused on another, and a create that fails leaves its key free for the retry."""

import pytest
from django.db import transaction

from yimen.cases.models import Case
from yimen.cases.tests.conftest import register
from yimen.core.errors import Conflict, Invalid
from yimen.core.idempotency import request_hash, run_once
from yimen.core.models import IdempotencyKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def seats(persona):
    return {"clerk": persona("clerk")}


def test_the_body_hash_ignores_field_order_and_reads_files_by_content():
    assert request_hash({"a": 1, "b": "乙"}) == request_hash({"b": "乙", "a": 1})
    assert request_hash({"photo": b"\xff\xd8one"}) != request_hash({"photo": b"\xff\xd8two"})


@pytest.mark.parametrize("scope", ["cases.case", "fieldwork.report"])
def test_every_scope_claims_replays_and_refuses_alike(seats, scope):
    user = seats["clerk"].user
    case = register(seats["clerk"])
    calls = []

    def make():
        calls.append(1)
        return case

    def once(fields):
        with transaction.atomic():
            return run_once(scope, user=user, key="k-1", fields=fields, make=make)

    first = once({"title": "路灯坏了"})
    assert first.created and first.object_id == case.pk
    again = once({"title": "路灯坏了"})
    assert not again.created and again.object_id == case.pk and len(calls) == 1
    with pytest.raises(Conflict) as reused:
        once({"title": "路灯修好了"})
    assert reused.value.code == "idempotency_key_reused"
    with pytest.raises(Invalid):
        run_once(scope, user=user, key="  ", fields={}, make=make)


def test_a_failed_create_leaves_the_key_free_for_the_retry(seats):
    actor = seats["clerk"]

    def fail():
        raise Invalid("内容有误。", errors={})

    with pytest.raises(Invalid), transaction.atomic():
        run_once("cases.case", user=actor.user, key="k-2", fields={}, make=fail)
    assert not IdempotencyKey.objects.filter(key="k-2").exists()
    before = Case.objects.count()
    assert register(actor, key="k-2") and Case.objects.count() == before + 1


def test_a_key_spent_on_one_kind_of_create_is_refused_on_another(seats):
    """A phone that reuses its outbox key for POST /cases must not get the visit it made back
    as if it were a case: the same body on another door is another request."""
    user = seats["clerk"].user
    case = register(seats["clerk"])
    with transaction.atomic():
        run_once("fieldwork.visit", user=user, key="k-3", fields={"note": "走访"}, make=lambda: case)
    with pytest.raises(Conflict) as refused, transaction.atomic():
        run_once("cases.case", user=user, key="k-3", fields={"note": "走访"}, make=lambda: case)
    assert refused.value.code == "idempotency_key_reused"
    assert IdempotencyKey.objects.get(key="k-3").scope == "fieldwork.visit"
