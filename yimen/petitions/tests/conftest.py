"""Petition fixtures: the case engine's seated personas and helpers, and a petition walked
through the statutory steps with the services (the same calls the API and pages make)."""

from datetime import datetime

import pytest

from yimen.cases.models import Case
from yimen.cases.tests.conftest import PETITION, act, at, register
from yimen.cases.tests.conftest import seats as seats  # the fixture, re-exported
from yimen.petitions import services

LAND = "petition.land"
# A group petition of 20 households or more is red (the seeded group-size rule): it goes out with
# its joint handling plan (一案一方案).
PLAN = "信访办牵头，镇自然资源所、村委会联合核算补偿，一案一方案，稳控化解。"
REPRESENTATIVES = [
    {"name": "蒋光荣", "role": "representative", "phone": "13907731001", "id_number": "11010519491231002X"},
    {"name": "唐有福", "role": "representative", "phone": "13907731002"},
    {"name": "周桂英", "role": "representative"},
    {"name": "李德才", "role": "representative"},
    {"name": "王秀梅", "role": "representative"},
]


def petition(seated, received: datetime | None = None, *, actor: str = "petition", **fields) -> Case:
    values = {
        "kind": "petition",
        "title": "小塘村23户村民集体反映征地补偿款未足额到位",
        "description": "县道改扩建征用集体土地，青苗及地上附着物补偿款未足额发放。",
        "category": LAND,
        "group_size": 23,
        "parties": REPRESENTATIVES,
    }
    if received is not None:
        values["received_at"] = received
    values.update(fields)
    return register(seated[actor], **values)


def record_of(case: Case):
    case.refresh_from_db()
    return case.petition


def notice(case: Case, member):
    return services.petition_notice_issue(case=case, actor=member, version=record_of(case).version)


def opinion(case: Case, member, **fields):
    values = {
        "facts": "经核查，县道改扩建工程征用小塘村集体土地 42 亩，青苗补偿款已拨付 80%。",
        "basis": "《中华人民共和国土地管理法》第四十八条；《广西壮族自治区征地补偿标准》。",
        "opinion": "由镇自然资源所督促施工方于 30 日内补足剩余补偿款，村委会公开分配方案。",
    }
    values.update(fields)
    return services.petition_opinion_issue(case=case, actor=member, version=record_of(case).version, **values)


def answered(seated, case: Case) -> Case:
    """Accepted, told in writing, dispatched to the petition office, signed, replied and
    answered with the opinion of its level."""
    case = act("accept", case, seated["dispatcher"])
    notice(case, seated["petition"])
    case = act("dispatch", case, seated["dispatcher"], lead_unit=PETITION, plan=PLAN)
    case = act("sign", case, seated["petition"])
    case = act("reply", case, seated["petition"], text="已督促补足补偿款。")
    opinion(case, seated["petition"])
    case.refresh_from_db()
    return case


@pytest.fixture
def dated(time_machine):
    """Move the clock to a moment (Beijing time) and keep it ticking from there."""

    def move(y: int, m: int, d: int, hh: int = 10) -> datetime:
        moment = at(y, m, d, hh)
        time_machine.move_to(moment)
        return moment

    return move
