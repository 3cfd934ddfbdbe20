"""Points fixtures: the town's default 细则 adopted by 才湾村, two 才湾村 households and one in
小塘村, a 积分超市 item; every persona seated."""

import pytest

from conftest import PERSONAS
from yimen.core.tests.samples import jpeg
from yimen.geo.models import Region
from yimen.org.services import token_issue
from yimen.people.tests.samples import XIAOTANG_MICROGRID, make_resident
from yimen.points import services
from yimen.points.defaults import DEFAULT_RULES
from yimen.points.models import Item

CAIWAN = "450324106200"


@pytest.fixture
def seats(persona):
    return {name: persona(name) for name in PERSONAS}


def adopt_default(seats):
    """The town publishes its default 细则 and 才湾村 adopts it."""
    town = Region.objects.get(code="450324106")
    default = services.ruleset_publish(actor=seats["dispatcher"], region=town, rules=DEFAULT_RULES)
    return services.ruleset_adopt(actor=seats["village"], village=Region.objects.get(code=CAIWAN), source=default)


@pytest.fixture
def village_rules(seats):
    return adopt_default(seats)


@pytest.fixture
def homes(seats, village_rules):
    """Two 才湾村 households and one of 小塘村 (outside the village committee's reach)."""
    clerk = seats["clerk"]
    return {
        "wang": make_resident(clerk, "王德明", seq=401).household,
        "li": make_resident(clerk, "李秀英", seq=402).household,
        "xiaotang": make_resident(clerk, "蒋小塘", micro=XIAOTANG_MICROGRID, seq=403).household,
    }


@pytest.fixture
def item(village_rules):
    return Item.objects.create(village=Region.objects.get(code=CAIWAN), name="洗衣粉", price=10, stock=5)


def award(seats, household, rule="vir-volunteer", proposer="gridworker", approver="village"):
    """An approved award: proposed by one seat, approved by another."""
    a = services.award_propose(
        actor=seats[proposer],
        household=household,
        rule_code=rule,
        note="参加村庄清洁志愿服务",
        evidence="村民小组长见证",
        photos=[jpeg()],
    )
    return services.award_approve(actor=seats[approver], award_id=a.pk)


def bearer(member) -> dict:
    token, _ = token_issue(member=member, ip="127.0.0.1", second_factor=True)
    return {"Authorization": f"Bearer {token}"}
