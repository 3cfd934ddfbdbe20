"""Case fixtures: every persona seated in the test town, and helpers that register a case and
walk it through the workflow with the services (the same calls the API and pages make)."""

from datetime import datetime

import pytest

from conftest import PERSONAS
from yimen.cases import services
from yimen.cases.models import Case

GRID = "45032410620001"  # 才湾村第一网格
OTHER_GRID = "45032410620101"  # 小塘村第一网格
POLICE, COURT, JUDICIAL, PETITION = "450324106-police", "450324106-court", "450324106-judicial", "450324106-petition"
MEDIATION = "450324106-other"  # the mediator persona's unit
VILLAGE = "450324106200-village"


@pytest.fixture
def seats(persona):
    return {name: persona(name) for name in PERSONAS}


def register(actor, *, key: str | None = None, **fields) -> Case:
    values = {
        "kind": "dispute",
        "title": "唐家叔侄宅基地边界纠纷",
        "description": "叔侄两家因宅基地边界发生争执。",
        "channel": "visit",
        "region": GRID,
        "parties": [
            {"name": "唐建国", "role": "applicant", "phone": "13907730001"},
            {"name": "唐明华", "role": "respondent"},
        ],
    }
    values.update(fields)
    return services.case_register(actor=actor, idempotency_key=key, **values).case


def act(action: str, case: Case, actor, **fields) -> Case:
    case.refresh_from_db()
    return services.ACTION_SERVICES[action](case=case, actor=actor, version=case.version, **fields)


# The way to each state, as (action, persona, fields) steps after registration by the clerk.
ROUTE = {
    "registered": [],
    "accepted": [("accept", "clerk", {})],
    "declined": [("decline", "clerk", {"reason": "不属于受理范围"})],
    "referred": [("refer", "dispatcher", {"to": "110", "reason": "正在发生的治安案件"})],
    "dispatched": [
        ("accept", "clerk", {}),
        ("dispatch", "dispatcher", {"lead_unit": POLICE, "support_units": [JUDICIAL]}),
    ],
    "disputed": [
        ("accept", "clerk", {}),
        ("dispatch", "dispatcher", {"lead_unit": POLICE, "support_units": [JUDICIAL]}),
        ("dispute", "police", {"reason": "属于民事纠纷，应由司法所调解"}),
    ],
    "in_progress": [
        ("accept", "clerk", {}),
        ("dispatch", "dispatcher", {"lead_unit": POLICE, "support_units": [JUDICIAL]}),
        ("sign", "police", {}),
    ],
    "replied": [
        ("accept", "clerk", {}),
        ("dispatch", "dispatcher", {"lead_unit": POLICE, "support_units": [JUDICIAL]}),
        ("sign", "police", {}),
        ("sign", "judicial", {}),
        ("reply", "police", {"text": "已联合司法所调解，双方签订协议"}),
        ("reply", "judicial", {"text": "司法所协助调解，已出具协办意见"}),  # review waits for the co-unit
    ],
    "closed": [
        ("accept", "clerk", {}),
        ("dispatch", "dispatcher", {"lead_unit": POLICE, "support_units": [JUDICIAL]}),
        ("sign", "police", {}),
        ("sign", "judicial", {}),
        ("reply", "police", {"text": "已联合司法所调解，双方签订协议"}),
        ("reply", "judicial", {"text": "司法所协助调解，已出具协办意见"}),  # review waits for the co-unit
        ("review", "dispatcher", {"approved": True}),
    ],
    "followed_up": [
        ("accept", "clerk", {}),
        ("dispatch", "dispatcher", {"lead_unit": POLICE, "support_units": [JUDICIAL]}),
        ("sign", "police", {}),
        ("sign", "judicial", {}),
        ("reply", "police", {"text": "已联合司法所调解，双方签订协议"}),
        ("reply", "judicial", {"text": "司法所协助调解，已出具协办意见"}),  # review waits for the co-unit
        ("review", "dispatcher", {"approved": True}),
        ("follow_up", "clerk", {"rating": 5}),
    ],
    "archived": [
        ("accept", "clerk", {}),
        ("dispatch", "dispatcher", {"lead_unit": POLICE, "support_units": [JUDICIAL]}),
        ("sign", "police", {}),
        ("sign", "judicial", {}),
        ("reply", "police", {"text": "已联合司法所调解，双方签订协议"}),
        ("reply", "judicial", {"text": "司法所协助调解，已出具协办意见"}),  # review waits for the co-unit
        ("review", "dispatcher", {"approved": True}),
        ("follow_up", "clerk", {"rating": 5}),
        ("archive", "dispatcher", {}),
    ],
}


def case_in(state: str, seats: dict, **fields) -> Case:
    """A case registered by the clerk and walked to `state` (merged: into another open case)."""
    if state == "merged":
        other = register(seats["clerk"], title="同一纠纷的首次登记")
        case = register(seats["clerk"], **fields)
        return act("merge", case, seats["dispatcher"], into=other.code)
    case = register(seats["clerk"], **fields)
    for action, who, extra in ROUTE[state]:
        case = act(action, case, seats[who], **extra)
    assert case.state == state
    return case


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    from yimen.core.calendar import SHANGHAI

    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)
