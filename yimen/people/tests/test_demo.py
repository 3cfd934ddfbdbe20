"""The demo residents: valid synthetic identities, plausible households, groups and patrol,
deterministic and idempotent. Sizes are parameters, so the tests build small towns."""

from collections import Counter

import pytest
from django.db.models import Count, Q

from tests.factories import MembershipFactory, UnitFactory
from yimen.core.crypto import sm4_decrypt
from yimen.core.identity import validate_id_number, validate_mobile
from yimen.geo.demo import build_demo_grids
from yimen.geo.models import Region
from yimen.geo.services import divisions_import
from yimen.org.models import Unit
from yimen.org.roles import Role
from yimen.people.demo import build_demo_residents
from yimen.people.models import DefenceGroup, Household, PatrolMember, PatrolTeam, Person, PoliceContact


def test_a_small_town_gets_valid_residents_households_and_groups(town):
    report = build_demo_residents(town=town, households=60, patrol=12, seed=7)
    assert (report.households, report.patrol) == (60, 12) and not report.skipped
    persons = list(Person.objects.select_related("household"))
    assert len(persons) == report.persons and 60 * 2 < len(persons) < 60 * 5
    numbers = [sm4_decrypt(p.id_number_cipher) for p in persons]
    assert len(set(numbers)) == len(numbers)
    for person, number in zip(persons, numbers, strict=True):
        info = validate_id_number(number)  # GB 11643 check character, a real birth date
        assert number.startswith("450324") and (info.birth_date, info.gender) == (person.birth_date, person.gender)
        assert person.id_number_masked == f"{number[:6]}********{number[-4:]}"
        assert person.region_id == person.household.region_id
    phones = [sm4_decrypt(p.phone_cipher) for p in persons if p.phone_cipher]
    assert len(set(phones)) == len(phones) and all(validate_mobile(p).startswith("19900") for p in phones)
    for household in Household.objects.annotate(size=Count("members")).select_related("head"):
        assert household.head.household_id == household.pk and household.head.relationship == Person.HEAD
    assert Counter(p.status for p in persons).keys() >= {"resident", "away"}

    for group in DefenceGroup.objects.annotate(size=Count("households")).select_related("lead"):
        assert 10 <= group.size <= 15 and group.lead.defence_group_id == group.pk
        calls = list(group.calls.order_by("position").select_related("person"))
        assert [c.position for c in calls] == list(range(1, group.size + 1))
        assert calls[0].person.household_id == group.lead_id
        assert {c.person.household.defence_group_id for c in calls} == {group.pk}
    assert DefenceGroup.objects.exists()


def test_building_again_changes_nothing(town):
    first = build_demo_residents(town=town, households=30, patrol=5)
    again = build_demo_residents(town=town, households=30, patrol=5)
    assert again.skipped and (again.households, again.persons) == (first.households, first.persons)
    assert Person.objects.count() == first.persons


def test_the_same_seed_builds_the_same_people(town):
    build_demo_residents(town=town, households=20, patrol=3, seed=1)
    first = list(Person.objects.order_by("pk").values_list("name", "birth_date", "id_number_index"))
    for model in (PatrolMember, PatrolTeam, Person, Household, DefenceGroup):
        model.objects.all().delete()
    build_demo_residents(town=town, households=20, patrol=3, seed=1)
    assert list(Person.objects.order_by("pk").values_list("name", "birth_date", "id_number_index")) == first


@pytest.mark.django_db
def test_the_real_town_shape_coverage_and_patrol():
    """才湾镇's 102 grids and 333 micro-grids at a sixth of the size: every micro-grid peopled,
    police contact near 85% with some grids far behind, the 308-person patrol force."""
    divisions_import(code="450324106")
    town = Region.objects.get(code="450324106")
    build_demo_grids(town=town)
    station = UnitFactory(code="450324106-police", name="才湾派出所", kind=Unit.Kind.POLICE, region=town)
    MembershipFactory(user__username="police", unit=station, role=Role.HANDLER)
    report = build_demo_residents(town=town, households=1500)
    assert report.households == 1500 and report.patrol == 308
    assert 0.8 <= report.contact_rate <= 0.9
    # /coverage/ and /police/worklist/ agree: every resident counted as contacted has a contact
    # record, and the ones still to contact are exactly the members of households not yet joined.
    contacted = Person.objects.filter(police_contact_on__isnull=False)
    assert set(contacted.values_list("pk", flat=True)) == set(PoliceContact.objects.values_list("person", flat=True))
    missing = Person.objects.filter(police_contact_on__isnull=True)
    assert missing.count() == Person.objects.filter(household__police_contact_on__isnull=True).count()
    assert 0.8 <= contacted.count() / Person.objects.count() <= 0.9
    peopled = Household.objects.values("region").distinct().count()
    assert peopled == Region.objects.filter(level="microgrid", path__startswith=town.path).count() == 333
    rates = [
        row["joined"] / row["total"]
        for row in Household.objects.values("region__parent")
        .annotate(total=Count("id"), joined=Count("id", filter=Q(police_contact_on__isnull=False)))
        .order_by()
    ]
    assert sum(rate < 0.7 for rate in rates) >= 5  # the gaps the coverage page shows, clustered by grid
    tags = Counter(Person.objects.values_list("tags__code", flat=True))
    assert 0 < tags["community_correction"] <= 3 and tags["left_behind_child"] > tags["disabled"] > 0
