"""走访: a visit goes into the resident file once per key; a household changed meanwhile is a
conflict; a visit closes the household's open follow-ups."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yimen.core.errors import Conflict, Invalid
from yimen.fieldwork import selectors, services
from yimen.fieldwork.models import Visit
from yimen.people import services as people
from yimen.people.models import ResidentNote

pytestmark = pytest.mark.django_db


def visit(actor, household, key="v1", **fields):
    values = {
        "household_version": household.version,
        "text": "入户走访，老人身体尚好。",
        "happened_on": timezone.localdate(),
    }
    values.update(fields)
    return services.visit_record(actor=actor, idempotency_key=key, household=household, **values)


def test_a_visit_is_recorded_in_the_resident_file_once(worker, resident, household):
    first = visit(worker, household, follow_up="复查用水", follow_up_due=timezone.localdate())
    again = visit(worker, household, follow_up="复查用水", follow_up_due=timezone.localdate())
    note = ResidentNote.objects.get()
    assert first.object_id == again.object_id == note.pk and not again.created
    assert (note.kind, note.household, note.author) == ("visit", household, worker.user)
    assert note.visit.follow_up == "复查用水"
    assert [v.household for v in selectors.tasks(member=worker).follow_ups] == [household]


def test_a_household_changed_meanwhile_is_a_conflict_in_plain_words(worker, chief, household):
    seen = household.version
    people.household_police_contact_set(actor=chief, household=household, joined_on=timezone.localdate())
    with pytest.raises(Conflict) as refused:
        visit(worker, household, household_version=seen)
    assert refused.value.code == "household_changed" and "已被他人修改" in refused.value.message
    assert not ResidentNote.objects.exists()


def test_the_next_visit_closes_open_follow_ups(worker, resident, household):
    today = timezone.localdate()
    visit(
        worker,
        household,
        follow_up="复查",
        follow_up_due=today - timedelta(days=1),
        happened_on=today - timedelta(days=5),
    )
    visit(worker, household, key="v2", text="已复查，问题解决。")
    assert list(Visit.objects.order_by("id").values_list("follow_up_done", flat=True)) == [True, False]
    assert selectors.tasks(member=worker).follow_ups == []


def test_a_note_on_a_member_and_refusals(worker, resident, household):
    visit(worker, household, kind="note", person=resident, text="反映低保问题。")
    assert ResidentNote.objects.get().person == resident
    with pytest.raises(Invalid):
        visit(worker, household, key="v2", kind="note", follow_up="不该有")
    with pytest.raises(Invalid):
        visit(worker, household, key="v3", follow_up_due=timezone.localdate())  # a date without a follow-up
