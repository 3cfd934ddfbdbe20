"""Mediation fixtures: every persona seated in the test town, a roster of mediators, and a
dispute dispatched to the judicial office (lead, police supporting) and signed: 办理中."""

import pytest

from conftest import PERSONAS
from yimen.cases.models import Case
from yimen.cases.tests.conftest import JUDICIAL, POLICE, act, register
from yimen.geo.models import Region
from yimen.mediation.models import Mediator

# A team formed before every consent is recorded says why (人民调解法 art. 17: 主动调解).
INITIATIVE = "人民调解委员会主动调解，调解组上门征询双方意愿"

AGREEMENT = {
    "facts": "唐建国与侄子唐明华因宅基地界址发生争执并扭打。",
    "dispute_points": "两家宅基地之间界址的位置；医药费的负担。",
    "responsibilities": "唐明华动手在先，负主要责任；唐建国言语过激，负次要责任。",
    "terms": "一、双方按 1995 年宅基地证确认界址，共同埋设界桩；二、唐明华赔偿唐建国医药费 800 元并赔礼道歉。",
    "performance_manner": "现金当面支付，界桩由双方在村委会见证下共同埋设",
}


def version(case: Case) -> int:
    """The case's current version, as a client that has just read the case sends it."""
    return Case.objects.values_list("version", flat=True).get(pk=case.pk)


@pytest.fixture
def seats(persona):
    return {name: persona(name) for name in PERSONAS}


def make_mediator(name: str, kind: str, region: str = "450324106", **extra) -> Mediator:
    home = Region.objects.get(code=region)
    return Mediator.objects.create(name=name, kind=kind, region=home, region_path=home.path, **extra)


@pytest.fixture
def roster(town):
    """A people's mediator, a police officer, a judge and a 群英 elder, all of the town."""
    return {
        "people": make_mediator("唐桂芳", "people", skills=["邻里", "土地"]),
        "police": make_mediator("蒋建军", "police"),
        "judge": make_mediator("王明华", "judge"),
        "qunying": make_mediator("唐永生", "qunying", region="450324106200", title="退休教师"),
    }


def dispute(seats, **fields):
    """A dispute at the judicial office: accepted, dispatched (police supporting), signed."""
    case = register(seats["clerk"], **fields)
    case = act("accept", case, seats["clerk"])
    case = act("dispatch", case, seats["dispatcher"], lead_unit=JUDICIAL, support_units=[POLICE])
    return act("sign", case, seats["judicial"])


@pytest.fixture
def case(seats):
    return dispute(seats)
