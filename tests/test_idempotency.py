"""The one Idempotency-Key mechanism (yimen.core.idempotency) over both key tables: POST /cases
(cases.IdempotencyKey) and the phone's outbox (fieldwork.Submission) claim, replay and refuse
alike — the same codes, a replay finds the first record without making another, and a create
that fails leaves its key free for the retry."""

import pytest
from django.db import transaction

from yimen.cases.models import Case, IdempotencyKey
from yimen.cases.tests.conftest import register
from yimen.core.errors import Conflict, Invalid
from yimen.core.idempotency import request_hash, run_once
from yimen.fieldwork.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def seats(persona):
    return {"clerk": persona("clerk")}


def test_the_body_hash_ignores_field_order_and_reads_files_by_content():
    assert request_hash({"a": 1, "b": "乙"}) == request_hash({"b": "乙", "a": 1})
    assert request_hash({"photo": b"\xff\xd8one"}) != request_hash({"photo": b"\xff\xd8two"})


@pytest.mark.parametrize(
    ("keys", "made", "extra"), [(IdempotencyKey, "case_id", {}), (Submission, "object_id", {"kind": "report"})]
)
def test_both_tables_claim_replay_and_refuse_alike(seats, keys, made, extra):
    user = seats["clerk"].user
    case = register(seats["clerk"])
    calls = []

    def make():
        calls.append(1)
        return case

    def once(fields):
        with transaction.atomic():
            return run_once(keys, user=user, key="k-1", fields=fields, make=make, made=made, extra=extra)

    first = once({"title": "路灯坏了"})
    assert first.created and first.object_id == case.pk
    again = once({"title": "路灯坏了"})
    assert not again.created and again.object_id == case.pk and len(calls) == 1
    with pytest.raises(Conflict) as reused:
        once({"title": "路灯修好了"})
    assert reused.value.code == "idempotency_key_reused"
    with pytest.raises(Invalid):
        run_once(keys, user=user, key="  ", fields={}, make=make, made=made, extra=extra)


def test_a_failed_create_leaves_the_key_free_for_the_retry(seats):
    actor = seats["clerk"]

    def fail():
        raise Invalid("内容有误。", errors={})

    with pytest.raises(Invalid), transaction.atomic():
        run_once(IdempotencyKey, user=actor.user, key="k-2", fields={}, make=fail, made="case_id")
    assert not IdempotencyKey.objects.filter(key="k-2").exists()
    before = Case.objects.count()
    assert register(actor, key="k-2") and Case.objects.count() == before + 1
