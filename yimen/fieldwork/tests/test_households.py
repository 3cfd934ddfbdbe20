"""The phone's household list (issue 21 item 6): natural order (1组2号 before 1组10号) on either
database, found by head, address, 户号 or group and number, in a bounded number of queries."""

import random

import pytest

from yimen.core.tests.samples import make_id_number
from yimen.fieldwork import selectors
from yimen.fieldwork.selectors import natural_key
from yimen.geo.models import Region
from yimen.people import services
from yimen.people.tests.samples import CAIWAN_MICROGRID

pytestmark = pytest.mark.django_db
ADDRESSES = ["才湾村1组1号", "才湾村1组2号", "才湾村1组3号", "才湾村1组10号", "才湾村1组11号", "才湾村2组1号"]


def test_numbers_in_an_address_compare_as_numbers():
    shuffled = ADDRESSES[::-1]
    assert sorted(shuffled, key=natural_key) == ADDRESSES
    assert sorted(["2组1号", "10组1号", "1组20号"], key=natural_key) == ["1组20号", "2组1号", "10组1号"]
    assert natural_key("第²组") == ((1, 0, "第²组"),)  # a digit-like sign stays text, not a number


def settle(chief, addresses: list[str], first_seq: int = 500) -> dict[str, int]:
    region = Region.objects.get(code=CAIWAN_MICROGRID)
    made = {}
    for i, address in enumerate(addresses):
        household, _ = services.household_upsert(actor=chief, region=region, address=address, number=f"H{900 + i}")
        services.person_upsert(
            actor=chief,
            id_number=make_id_number(seq=first_seq + i),
            name=f"户主{address[-4:]}",
            household=household,
            relationship="户主",
        )
        made[address] = household.pk
    return made


def addresses(page) -> list[str]:
    return [h.address for h in page]


def test_the_roster_is_in_natural_order_whatever_the_registration_order(chief, worker):
    order = ADDRESSES[:]
    random.Random(7).shuffle(order)
    settle(chief, order)
    assert addresses(selectors.household_page(member=worker)) == ADDRESSES
    two = selectors.household_page(member=worker, per_page=4, page=2)
    assert addresses(two) == ADDRESSES[4:] and two.paginator.count == len(ADDRESSES)


def test_households_are_found_by_head_address_number_or_group_and_number(chief, worker):
    settle(chief, ADDRESSES)
    found = lambda q: addresses(selectors.household_page(member=worker, q=q))  # noqa: E731
    assert found("1组10号") == ["才湾村1组10号"]
    assert found("1-10") == ["才湾村1组10号"] == found("1 10") == found("1组10")
    assert found("户主2组1号") == ["才湾村2组1号"]  # the head's name
    assert found("H903") == ["才湾村1组10号"]  # the 户号
    assert found("2组") == ["才湾村2组1号"]
    assert found("  ") == ADDRESSES and found("不存在的人") == []


def test_another_grid_worker_finds_none_of_them(chief, worker2):
    settle(chief, ADDRESSES)
    assert addresses(selectors.household_page(member=worker2, q="才湾村")) == []


def test_the_phone_list_searches_and_keeps_its_query_count(client, chief, worker, django_assert_max_num_queries):
    settle(chief, ADDRESSES)
    client.force_login(worker.user)
    with django_assert_max_num_queries(12):
        page = client.get("/m/households/", {"q": "1组1"}).content.decode()
    assert page.index("才湾村1组1号") < page.index("才湾村1组10号") < page.index("才湾村1组11号")
    assert "才湾村1组2号" not in page and "（3 户）" in page
    nothing = client.get("/m/households/", {"q": "王五"}).content.decode()
    assert "没有找到“王五”" in nothing
    listed = client.get("/api/v1/fieldwork/households", {"q": "1-10"}).json()
    assert listed["count"] == 1 and listed["items"][0]["address"] == "才湾村1组10号"
