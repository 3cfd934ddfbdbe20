"""Synthetic registry rows for tests: valid ID numbers and a small registry built through the
services (so every row is one a user could have made)."""

from yimen.core.tests.samples import make_id_number
from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.people import services
from yimen.people.models import DefenceGroup, Household, Person

CAIWAN_MICROGRID = "4503241062000101"  # 才湾村第一微网格: gridworker's and gridchief's
XIAOTANG_MICROGRID = "4503241062010101"  # 小塘村第一微网格: gridworker2's


def make_resident(
    actor: Membership, name: str = "张三", *, micro: str = CAIWAN_MICROGRID, seq: int = 123, **fields
) -> Person:
    """One resident heading their own household in a micro-grid."""
    region = Region.objects.get(code=micro)
    household, _ = services.household_upsert(actor=actor, region=region, address=f"{region.name}{seq}号")
    fields.setdefault("relationship", "户主")
    fields.setdefault("phone", f"138{seq:08d}")
    person, _ = services.person_upsert(
        actor=actor, id_number=make_id_number(seq=seq), name=name, household=household, **fields
    )
    return person


def make_defence_group(actor: Membership, *, micro: str = CAIWAN_MICROGRID, first_seq: int = 300) -> DefenceGroup:
    """A 十户联防 group of ten one-person households, the first the lead and the first caller."""
    persons = [make_resident(actor, f"联防{i}", micro=micro, seq=first_seq + i) for i in range(10)]
    households = list(Household.objects.filter(members__in=persons))
    lead = persons[0].household
    group, _ = services.defence_group_upsert(
        actor=actor, region=lead.region, name="第一联防组", households=households, lead=lead, calls=persons[:3]
    )
    return DefenceGroup.objects.select_related("lead").get(pk=group.pk)  # the lead's head is set by now
