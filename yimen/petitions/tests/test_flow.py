"""A group petition through its statutory steps with the services: registered with 5
representatives, accepted and told in writing, handled, answered with a handling opinion, then
a 复查 requested within 30 days and answered."""

from yimen.cases.models import Case
from yimen.petitions.models import PetitionRecord
from yimen.petitions.tests.conftest import answered, petition


def test_group_petition_answered_and_reviewed(seats, dated):
    dated(2026, 3, 2)
    case = petition(seats)
    record = case.petition
    assert (record.level, record.form, record.is_group, record.repeat_of) == ("original", "visit", True, None)
    case = answered(seats, case)
    record = case.petition
    assert record.notice_accepted and record.opinion_issued_at
    assert {d.kind for d in case.documents.all()} == {"acceptance_notice", "handling_opinion"}
    assert [e.action for e in case.events.all()].count("petition_opinion") == 1

    dated(2026, 3, 20)
    review = petition(seats, review_of=case.code, category=None, title="申请复查：征地补偿款")
    assert review.category.code == "petition.review" and review.petition.level == "review"
    assert review.petition.review_of == case
    review = answered(seats, review)
    assert review.documents.filter(kind="review_opinion").count() == 2
    assert PetitionRecord.objects.get(case=review).opinion_issued_at
    assert Case.objects.filter(kind="petition").count() == 2
