"""Each statutory deadline of a petition, on dates across the seeded holidays (国庆 2026:
10-01..10-07; 春节 2026: 02-15..02-23): the start day is not counted and a natural-day period
ending on a holiday ends on the next working day (DESIGN §7)."""

import pytest

from yimen.cases.tests.conftest import at
from yimen.core.errors import Invalid
from yimen.petitions.rules import request_until
from yimen.petitions.tests.conftest import PETITION, PLAN, act, answered, petition


def end_of(y, m, d):
    return at(y, m, d, 23, 59).replace(second=59)


def test_register_and_route_or_inform_within_15_days_past_national_day(seats):
    case = petition(seats, at(2026, 9, 16))  # +15 → 10-01, 国庆 → the first working day 10-08
    assert case.accept_deadline == end_of(2026, 10, 8)


def test_objection_within_5_working_days_skips_national_day_and_counts_the_make_up_saturday(seats, dated):
    dated(2026, 9, 29)
    case = act("accept", petition(seats), seats["dispatcher"])
    case = act("dispatch", case, seats["dispatcher"], lead_unit=PETITION, plan=PLAN)
    lead = case.assignments.get(role="lead")
    # 09-30, 10-08, 10-09, 10-10 (调休上班), 10-12
    assert lead.dispute_deadline == end_of(2026, 10, 12)
    assert lead.policy.code == "petition.handle"


def test_objection_after_5_working_days_is_refused(seats, dated):
    dated(2026, 9, 29)
    case = act("accept", petition(seats), seats["dispatcher"])
    case = act("dispatch", case, seats["dispatcher"], lead_unit=PETITION, plan=PLAN)
    dated(2026, 10, 13)
    with pytest.raises(Exception) as refused:
        act("dispute", case, seats["petition"], reason="不属本单位管辖")
    assert "已超过退单时限" in refused.value.message


def test_handling_60_days_past_spring_festival_and_extension_at_most_30(seats, dated):
    dated(2026, 1, 5)
    case = petition(seats, at(2025, 12, 17))  # +60 → 02-15, 春节 → 02-24
    assert case.deadline == end_of(2026, 2, 24) and case.policy.max_extension_days == 30
    case = act("accept", case, seats["dispatcher"])
    case = act("dispatch", case, seats["dispatcher"], lead_unit=PETITION, plan=PLAN)
    case = act("sign", case, seats["petition"])
    with pytest.raises(Invalid) as refused:
        act("extend", case, seats["petition"], days=31, reason="需县自然资源局复核补偿标准")
    assert "最多延期 30 日" in refused.value.errors["days"][0]
    case = act("extend", case, seats["petition"], days=20, reason="需县自然资源局复核补偿标准")
    with pytest.raises(Invalid) as refused:
        act("extend", case, seats["petition"], days=11, reason="仍需核实")
    assert "至多还可延期 10 日" in refused.value.errors["days"][0]
    case = act("extend", case, seats["petition"], days=10, reason="仍需核实")
    assert case.extension_days == 30 and case.deadline == end_of(2026, 3, 26)


def test_extension_needs_reasons(seats, dated):
    dated(2026, 1, 5)
    case = act("accept", petition(seats, at(2025, 12, 17)), seats["dispatcher"])
    case = act("dispatch", case, seats["dispatcher"], lead_unit=PETITION, plan=PLAN)
    case = act("sign", case, seats["petition"])
    with pytest.raises(Invalid) as refused:
        act("extend", case, seats["petition"], days=10, reason=" ")
    assert refused.value.errors["reason"] == ["请填写延期理由。"]


def test_review_request_window_30_days_from_the_opinion_past_national_day(seats, dated):
    dated(2026, 9, 1)
    case = petition(seats)
    dated(2026, 9, 5)
    case = answered(seats, case)
    assert request_until(case.petition) == end_of(2026, 10, 8)  # +30 → 10-05 → 10-08


def test_review_answer_30_days_from_the_request_past_spring_festival(seats, dated):
    dated(2026, 1, 5)
    case = answered(seats, petition(seats))
    dated(2026, 1, 17)
    review = petition(seats, review_of=case.code, category=None)
    assert review.policy.code == "petition.review" and review.deadline == end_of(2026, 2, 24)  # 02-16 → 02-24
    assert review.accept_deadline == end_of(2026, 2, 2)  # 15 days


def test_rereview_answer_30_days_and_its_request_window(seats, dated):
    dated(2026, 8, 20)
    original = answered(seats, petition(seats))
    dated(2026, 8, 25)
    review = answered(seats, petition(seats, review_of=original.code, category=None))
    assert request_until(review.petition) == end_of(2026, 9, 24)
    dated(2026, 9, 5)
    rereview = petition(seats, review_of=review.code, category=None)
    assert rereview.petition.level == "rereview" and rereview.policy.code == "petition.rereview"
    assert rereview.deadline == end_of(2026, 10, 8)  # +30 → 10-05 → 10-08
    rereview = answered(seats, rereview)
    assert request_until(rereview.petition) is None  # final
