"""Every refusal: wrong state and stale version (409), wrong role and wrong unit (403), a case
the user may not see (404), bad fields (422 with field errors). A refused step records nothing."""

from datetime import timedelta

import pytest

from tests.factories import MembershipFactory, RegionFactory, UnitFactory
from yimen.cases.models import TimelineEvent
from yimen.cases.services import ACTION_SERVICES
from yimen.cases.tests.conftest import JUDICIAL, POLICE, act, case_in, register
from yimen.core.errors import Conflict, DomainError, Invalid, NotAllowed
from yimen.org.roles import Role

# action -> (a state the action is not allowed in, the persona who would otherwise take it, fields)
WRONG_STATE = {
    "accept": ("accepted", "clerk", {}),
    "decline": ("accepted", "dispatcher", {"reason": "理由"}),
    "dispatch": ("registered", "dispatcher", {"lead_unit": POLICE}),
    "sign": ("in_progress", "police", {}),  # already signed
    "dispute": ("in_progress", "police", {"reason": "理由"}),  # signed: too late to return it
    "redispatch": ("dispatched", "dispatcher", {"lead_unit": JUDICIAL}),
    "reply": ("replied", "police", {"text": "答复"}),
    "review": ("in_progress", "dispatcher", {"approved": True}),
    "extend": ("replied", "police", {"days": 1, "reason": "理由"}),
    "close": ("dispatched", "clerk", {}),
    "follow_up": ("replied", "clerk", {"rating": 5}),
    "archive": ("in_progress", "dispatcher", {}),
    "merge": ("dispatched", "dispatcher", {"into": "X"}),
    "refer": ("closed", "dispatcher", {"to": "110", "reason": "理由"}),
    "urge": ("closed", "supervisor", {}),
    "supervise": ("registered", "supervisor", {"reason_type": "not_accepted"}),
    "censure": ("archived", "supervisor", {"reason_type": "overdue"}),
    "raise_risk": ("archived", "dispatcher", {"risk": "red", "reason": "理由", "plan": "方案"}),
}

# action -> (the state it is allowed in, the persona who takes it, fields)
ALLOWED = {
    "accept": ("registered", "clerk", {}),
    "decline": ("registered", "dispatcher", {"reason": "理由"}),
    "dispatch": ("accepted", "dispatcher", {"lead_unit": POLICE}),
    "sign": ("dispatched", "police", {}),
    "dispute": ("dispatched", "police", {"reason": "理由"}),
    "redispatch": ("disputed", "dispatcher", {"lead_unit": JUDICIAL}),
    "reply": ("in_progress", "police", {"text": "答复"}),
    "review": ("replied", "dispatcher", {"approved": True}),
    "extend": ("in_progress", "police", {"days": 1, "reason": "理由"}),
    "close": ("accepted", "clerk", {}),
    "follow_up": ("closed", "clerk", {"rating": 5}),
    "archive": ("followed_up", "dispatcher", {}),
    "merge": ("registered", "dispatcher", {"into": None}),
    "refer": ("accepted", "dispatcher", {"to": "110", "reason": "理由"}),
    "urge": ("in_progress", "supervisor", {}),
    "supervise": ("in_progress", "supervisor", {"reason_type": "not_handled"}),
    "censure": ("in_progress", "supervisor", {"reason_type": "overdue"}),
    "raise_risk": ("in_progress", "dispatcher", {"risk": "orange", "reason": "理由"}),
}

# action -> a persona whose role lacks the permission
WRONG_ROLE = {
    "accept": "police",
    "decline": "supervisor",
    "dispatch": "clerk",
    "sign": "dispatcher",
    "dispute": "clerk",
    "redispatch": "clerk",
    "reply": "supervisor",
    "review": "clerk",
    "extend": "dispatcher",
    "close": "police",
    "follow_up": "police",
    "archive": "clerk",
    "merge": "clerk",
    "refer": "leader",
    "urge": "dispatcher",
    "supervise": "leader",
    "censure": "clerk",
    "raise_risk": "clerk",
}

# action -> a persona with the permission whose unit has no business with the case
WRONG_UNIT = {
    "sign": "court",  # not assigned
    "dispute": "judicial",  # only a support unit: only the lead may return it
    "reply": "court",
    "extend": "judicial",  # support, not lead
    "raise_risk": "mediator",  # not assigned, no jurisdiction
}


def fields_for(action: str, fields: dict, seats) -> dict:
    if action == "merge":
        return {**fields, "into": register(seats["clerk"], title="先登记的同一纠纷").code}
    return fields


def refused(action: str, case, actor, fields, *, version=None):
    case.refresh_from_db()
    count = TimelineEvent.objects.filter(case=case).count()
    with pytest.raises(DomainError) as info:
        ACTION_SERVICES[action](case=case, actor=actor, version=case.version if version is None else version, **fields)
    assert TimelineEvent.objects.filter(case=case).count() == count
    return info.value


@pytest.mark.parametrize("action", WRONG_STATE)
def test_wrong_state_is_409_in_chinese(seats, action):
    state, who, fields = WRONG_STATE[action]
    error = refused(action, case_in(state, seats), seats[who], fields)
    assert isinstance(error, Conflict) and error.status == 409
    assert error.code in ("wrong_state", "wrong_assignment_state") and "不能" in error.message


@pytest.mark.parametrize("action", ALLOWED)
def test_stale_version_is_409(seats, action):
    state, who, fields = ALLOWED[action]
    case = case_in(state, seats)
    error = refused(action, case, seats[who], fields_for(action, fields, seats), version=case.version - 1 or 99)
    assert isinstance(error, Conflict) and error.code == "stale_version" and "刷新" in error.message


@pytest.mark.parametrize("action", WRONG_ROLE)
def test_wrong_role_is_403(seats, action):
    state, _, fields = ALLOWED[action]
    error = refused(action, case_in(state, seats), seats[WRONG_ROLE[action]], fields_for(action, fields, seats))
    assert isinstance(error, NotAllowed) and error.status == 403


@pytest.mark.parametrize("action", WRONG_UNIT)
def test_wrong_unit_is_403(seats, action):
    state, _, fields = ALLOWED[action]
    case = case_in(state, seats)
    if action == "extend":
        act("sign", case, seats["judicial"])  # a signed support unit still may not extend
    error = refused(action, case, seats[WRONG_UNIT[action]], fields)
    assert isinstance(error, NotAllowed) and error.status == 403


@pytest.mark.parametrize("action", ["accept", "decline", "dispatch", "close", "urge"])
def test_another_towns_centre_may_not_act(seats, action):
    state, who, fields = ALLOWED[action]
    elsewhere = RegionFactory(code="450324107", name="另一镇", level="town")
    role = {"clerk": Role.CLERK, "dispatcher": Role.DISPATCHER, "supervisor": Role.SUPERVISOR}[who]
    stranger = MembershipFactory(unit=UnitFactory(code="450324107-centre", region=elsewhere), role=role)
    error = refused(action, case_in(state, seats), stranger, fields)
    assert isinstance(error, NotAllowed) and error.code == "not_responsible"


def test_dispute_after_the_return_window_is_409(seats, time_machine):
    case = case_in("dispatched", seats)
    window = case.assignments.get(role="lead").dispute_deadline
    time_machine.move_to(window + timedelta(seconds=1))
    error = refused("dispute", case, seats["police"], {"reason": "不属于本所"})
    assert isinstance(error, Conflict) and error.code == "dispute_window_closed"


@pytest.mark.parametrize(
    ("action", "state", "who", "fields", "field"),
    [
        ("decline", "registered", "clerk", {"reason": "  "}, "reason"),
        ("dispatch", "accepted", "dispatcher", {"lead_unit": "nowhere"}, "lead_unit"),
        ("dispatch", "accepted", "dispatcher", {"lead_unit": POLICE, "support_units": [POLICE]}, "support_units"),
        ("dispute", "dispatched", "police", {"reason": ""}, "reason"),
        ("reply", "in_progress", "police", {"text": ""}, "text"),
        ("extend", "in_progress", "police", {"days": 99, "reason": "久"}, "days"),
        ("follow_up", "closed", "clerk", {"rating": 9}, "rating"),
        ("follow_up", "closed", "clerk", {"rating": 1, "cause": "weather"}, "cause"),
        ("merge", "registered", "dispatcher", {"into": "450324106-1999-000001"}, "into"),
        ("refer", "accepted", "dispatcher", {"to": "", "reason": "理由"}, "to"),
    ],
)
def test_bad_fields_are_422_with_field_errors(seats, action, state, who, fields, field):
    error = refused(action, case_in(state, seats), seats[who], fields)
    assert isinstance(error, Invalid) and field in error.errors


def test_dispatch_to_a_unit_whose_area_misses_the_case_is_422(seats):
    other_village = seats["gridworker2"].unit  # 小塘村's committee; the case lies in 才湾村
    error = refused("dispatch", case_in("accepted", seats), seats["dispatcher"], {"lead_unit": other_village.code})
    assert isinstance(error, Invalid) and "辖区" in error.errors["lead_unit"][0]
