"""A group petition through its statutory steps with the services: registered with 5
representatives, accepted and told in writing, handled, answered with a handling opinion, then
a 复查 requested within 30 days and answered."""

import pytest

from yimen.cases.models import Case
from yimen.cases.tests.conftest import PETITION, act
from yimen.core.errors import Conflict
from yimen.petitions import services
from yimen.petitions.models import PetitionRecord
from yimen.petitions.tests.conftest import PLAN, answered, notice, petition


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


def _replied(seats, case: Case) -> Case:
    """Accepted, told, dispatched, signed and replied: ready for its opinion."""
    case = act("accept", case, seats["dispatcher"])
    notice(case, seats["petition"])
    case = act("dispatch", case, seats["dispatcher"], lead_unit=PETITION, plan=PLAN)
    case = act("sign", case, seats["petition"])
    return act("reply", case, seats["petition"], text="已复查。")


def _answer(service, case: Case, member) -> PetitionRecord:
    return service(
        case=case,
        actor=member,
        version=PetitionRecord.objects.get(case=case).version,
        facts="复查核实：补偿按自治区标准计算。",
        basis="信访工作条例第三十五条、第三十六条。",
        opinion="维持原处理意见。",
    )


def test_review_and_rereview_are_answered_by_their_own_services(seats, dated):
    """复查 answered by petition_review_answer, 复核 by petition_rereview_answer (arts. 35–36);
    each refuses the other level's case, and the 复核 answer closes the matter."""
    dated(2026, 3, 2)
    original = answered(seats, petition(seats))
    with pytest.raises(Conflict) as refused:
        _answer(services.petition_review_answer, original, seats["petition"])
    assert refused.value.code == "wrong_level"

    dated(2026, 3, 20)
    review = _replied(seats, petition(seats, review_of=original.code, category=None, title="申请复查：征地补偿款"))
    with pytest.raises(Conflict) as refused:
        _answer(services.petition_rereview_answer, review, seats["petition"])
    assert refused.value.code == "wrong_level"
    assert not review.documents.filter(kind__endswith="opinion").exists()
    assert _answer(services.petition_review_answer, review, seats["petition"]).opinion_issued_at

    dated(2026, 4, 10)
    rereview = petition(seats, review_of=review.code, category=None, title="申请复核：征地补偿款")
    assert (rereview.petition.level, rereview.petition.review_of) == ("rereview", review)
    rereview = _replied(seats, rereview)
    _answer(services.petition_rereview_answer, rereview, seats["petition"])
    assert rereview.documents.filter(kind="rereview_opinion").exists()
    with pytest.raises(Conflict) as refused:
        petition(seats, title="再次反映征地补偿款未足额到位")
    assert refused.value.code == "petition_final"
