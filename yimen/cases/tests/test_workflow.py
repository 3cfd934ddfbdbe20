"""Every step of DESIGN §6 through the services: the state it leads to, what it records, and
exactly one timeline event per success."""

import re
from itertools import pairwise

import pytest

from yimen.cases.models import Assignment, Case, Notification, TimelineEvent
from yimen.cases.tests.conftest import JUDICIAL, POLICE, act, case_in, register
from yimen.core.errors import Invalid


def events(case: Case) -> list[str]:
    return list(TimelineEvent.objects.filter(case=case).order_by("at", "id").values_list("action", flat=True))


def step(action: str, case: Case, actor, **fields) -> Case:
    """Take one step and check it appended exactly one event, named after the action."""
    before = events(case)
    case = act(action, case, actor, **fields)
    after = events(case)
    assert after[: len(before)] == before and after[len(before) :] == [action]
    return case


def lead(case: Case) -> Assignment:
    return case.assignments.get(role="lead", state__in=Assignment.ACTIVE)


def test_register_gives_code_token_first_unit_and_first_event(seats):
    case = register(seats["clerk"])
    assert re.fullmatch(r"450324106-\d{4}-\d{6}$", case.code)
    assert len(case.public_token) >= 22
    assert (case.state, case.version, case.first_unit, case.risk) == ("registered", 1, seats["clerk"].unit, "blue")
    assert case.region.code == "45032410620001" and case.region_path.endswith("45032410620001/")
    assert case.category.code == "dispute.general" and case.deadline > case.received_at
    event = case.events.get()
    assert (event.action, event.from_state, event.to_state, event.unit) == (
        "register",
        "",
        "registered",
        case.first_unit,
    )


def test_codes_count_up_per_town_and_year(seats):
    first, second = register(seats["clerk"]), register(seats["gridworker"])
    assert int(second.code[-6:]) == int(first.code[-6:]) + 1
    assert first.code[:15] == second.code[:15]


def test_accept_decline_refer_merge_close(seats):
    assert step("accept", register(seats["clerk"]), seats["clerk"]).accepted_at is not None
    declined = step("decline", register(seats["clerk"]), seats["dispatcher"], reason="不属于受理范围")
    assert declined.state == "declined" and declined.events.last().note == "不属于受理范围"
    referred = step("refer", register(seats["clerk"]), seats["dispatcher"], to="110", reason="正在发生的治安案件")
    assert (referred.state, referred.referred_to) == ("referred", "110")
    first = register(seats["clerk"])
    merged = step("merge", register(seats["clerk"]), seats["dispatcher"], into=first.code)
    assert (merged.state, merged.merged_into) == ("merged", first)
    window = step("close", case_in("accepted", seats), seats["clerk"], note="当场解答")
    assert window.state == "closed" and window.closed_at is not None


def test_dispatch_makes_one_lead_and_supports_with_deadlines(seats):
    case = step("dispatch", case_in("accepted", seats), seats["dispatcher"], lead_unit=POLICE, support_units=[JUDICIAL])
    assert (case.state, case.lead_unit.code) == ("dispatched", POLICE)
    rows = {a.unit.code: a for a in case.assignments.all()}
    assert rows[POLICE].role == "lead" and rows[JUDICIAL].role == "support"
    for a in rows.values():
        assert a.state == "pending" and a.dispatched_at <= a.sign_deadline < a.deadline
        assert a.dispute_deadline > a.dispatched_at


def test_support_signs_and_replies_without_moving_the_case(seats):
    case = case_in("dispatched", seats)
    case = step("sign", case, seats["judicial"])
    assert case.state == "dispatched" and case.assignments.get(unit__code=JUDICIAL).state == "signed"
    case = step("sign", case, seats["police"])
    assert case.state == "in_progress" and lead(case).signed_at is not None
    case = step("reply", case, seats["judicial"], text="已参与调解")
    assert case.state == "in_progress" and case.assignments.get(unit__code=JUDICIAL).state == "replied"
    case = step("reply", case, seats["police"], text="双方达成协议")
    assert case.state == "replied" and lead(case).reply == "双方达成协议"


def test_dispute_then_redispatch_elsewhere_or_back(seats):
    case = step("dispute", case_in("dispatched", seats), seats["police"], reason="民事纠纷，应由司法所调解")
    assert case.state == "disputed" and lead(case).state == "disputed"
    case = step("redispatch", case, seats["dispatcher"], lead_unit=JUDICIAL)
    assert (case.state, case.lead_unit.code) == ("dispatched", JUDICIAL)
    assert case.assignments.get(unit__code=POLICE, role="lead").state == "withdrawn"
    assert lead(case).unit.code == JUDICIAL and lead(case).state == "pending"
    back = step("dispute", case_in("dispatched", seats), seats["police"], reason="不属于本所")
    back = step("redispatch", back, seats["dispatcher"], lead_unit=POLICE, support_units=[JUDICIAL], note="维持原派")
    assert back.events.last().data["same_unit"] is True and lead(back).unit.code == POLICE
    assert back.assignments.filter(unit__code=JUDICIAL, state="pending").count() == 1


def test_review_approves_or_reopens(seats):
    closed = step("review", case_in("replied", seats), seats["dispatcher"], approved=True)
    assert closed.state == "closed" and closed.closed_at is not None
    case = case_in("replied", seats)
    with pytest.raises(Invalid) as refused:
        act("review", case, seats["dispatcher"], approved=False)
    assert "note" in refused.value.errors
    case = step("review", case, seats["dispatcher"], approved=False, note="未附调解协议，请补充")
    assert case.state == "in_progress" and lead(case).state == "signed" and lead(case).replied_at is None
    assert step("reply", case, seats["police"], text="已补充协议").state == "replied"


def test_follow_up_reopens_only_for_a_subjective_cause(seats):
    happy = step("follow_up", case_in("closed", seats), seats["clerk"], rating=5, note="满意")
    assert (happy.state, happy.rating) == ("followed_up", 5)
    objective = step("follow_up", case_in("closed", seats), seats["clerk"], rating=1, cause="objective")
    assert objective.state == "followed_up"
    reopened = step("follow_up", case_in("closed", seats), seats["clerk"], rating=2, cause="subjective")
    assert reopened.state == "in_progress" and lead(reopened).state == "signed" and reopened.closed_at is None
    at_window = step("close", case_in("accepted", seats), seats["clerk"])
    at_window = step("follow_up", at_window, seats["clerk"], rating=1, cause="subjective")
    assert at_window.state == "accepted"


def test_archive_from_every_finished_state(seats):
    for state in ("followed_up", "closed", "declined", "referred"):
        assert step("archive", case_in(state, seats), seats["dispatcher"]).state == "archived"


def test_extend_moves_both_deadlines_within_the_policy(seats):
    case = case_in("in_progress", seats)  # dispute.general: 15 days, at most 15 more
    before_case, before_lead = case.deadline, lead(case).deadline
    case = step("extend", case, seats["police"], days=10, reason="当事人外出务工，需等待返乡")
    assert case.deadline > before_case and lead(case).deadline > before_lead and case.extension_days == 10
    with pytest.raises(Invalid) as refused:
        act("extend", case, seats["police"], days=6, reason="再延")
    assert "至多还可延期 5 日" in refused.value.errors["days"][0]


def test_supervision_steps_raise_the_level_and_notify(seats):
    case = case_in("in_progress", seats)
    case = step("urge", case, seats["supervisor"], note="请加快")
    assert case.state == "in_progress" and case.supervision_level == 1
    case = step("censure", case, seats["supervisor"], reason_type="overdue")
    case = step("supervise", case, seats["supervisor"], reason_type="not_handled")
    assert case.supervision_level == 3  # never lowered
    notices = Notification.objects.filter(case=case)
    assert notices.filter(unit__code=POLICE).count() == 3
    assert notices.filter(member=seats["leader"]).count() == 3


def test_raise_risk_only_upwards_and_red_needs_a_plan(seats):
    case = case_in("in_progress", seats)
    case = step("raise_risk", case, seats["police"], risk="orange", reason="一方扬言报复")
    assert case.risk == "orange"
    with pytest.raises(Invalid) as lower:
        act("raise_risk", case, seats["dispatcher"], risk="yellow", reason="缓和")
    assert "risk" in lower.value.errors
    with pytest.raises(Invalid) as no_plan:
        act("raise_risk", case, seats["dispatcher"], risk="red", reason="聚集")
    assert "plan" in no_plan.value.errors
    case = step("raise_risk", case, seats["dispatcher"], risk="red", reason="聚集", plan="派出所、司法所、村委联合稳控")
    assert case.risk == "red" and case.joint_plan.startswith("派出所")


def test_a_red_case_is_not_dispatched_without_a_plan(seats):
    case = case_in("accepted", seats, description="扬言要同归于尽")
    assert case.risk == "red"
    with pytest.raises(Invalid) as refused:
        act("dispatch", case, seats["dispatcher"], lead_unit=POLICE)
    assert "plan" in refused.value.errors
    case = step("dispatch", case, seats["dispatcher"], lead_unit=POLICE, plan="联席会议研判，派出所牵头稳控")
    assert case.joint_plan


def test_the_whole_path_reads_as_a_timeline(seats):
    case = case_in("archived", seats)
    assert events(case) == [
        *("register", "accept", "dispatch", "sign", "sign", "reply", "reply"),  # lead and co-unit
        *("review", "follow_up", "archive"),
    ]
    states = list(case.events.order_by("at", "id").values_list("from_state", "to_state"))
    assert all(prev[1] == nxt[0] for prev, nxt in pairwise(states))
    assert case.version == 10


def test_timeline_events_are_append_only(seats):
    event = register(seats["clerk"]).events.get()
    event.note = "改写"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
