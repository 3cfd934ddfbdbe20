"""The registry's verbs: idempotent upserts, field checks, head of household, tags, notes."""

from datetime import date

import pytest

from yimen.core.errors import Conflict, Invalid, NotAllowed
from yimen.core.models import AuditEntry
from yimen.geo.models import Region
from yimen.people import services
from yimen.people.models import Household, Person, Tag
from yimen.people.tests.samples import CAIWAN_MICROGRID, XIAOTANG_MICROGRID, make_id_number


@pytest.fixture
def micro(town):
    return Region.objects.get(code=CAIWAN_MICROGRID)


def test_person_upsert_is_idempotent_by_id_number(clerk, micro):
    household, created = services.household_upsert(actor=clerk, region=micro, address="才湾村 1 号", number="H001")
    assert created
    again, created = services.household_upsert(actor=clerk, region=micro, address="才湾村 1 号", number="H001")
    assert (again, created) == (household, False)
    number = make_id_number(date(1950, 3, 4), 7, male=False)
    person, created = services.person_upsert(
        actor=clerk, id_number=number, name="李四妹", household=household, relationship="户主", tags=["留守老人"]
    )
    assert created and person.gender == "F" and person.birth_date == date(1950, 3, 4)
    assert Household.objects.get(pk=household.pk).head == person
    same, created = services.person_upsert(actor=clerk, id_number=number.lower(), name="李四妹", household=household)
    assert (same, created) == (person, False)
    assert same.version == 1  # nothing differed: no write, no audit entry
    moved, _ = services.person_upsert(actor=clerk, id_number=number, name="李四妹", phone="138 1234 5678")
    assert moved.version == 2 and moved.phone_masked == "138****5678"
    assert Person.objects.count() == 1
    assert list(moved.tags.values_list("name", flat=True)) == ["留守老人"]
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["household_create", "person_create", "person_update"]


def test_person_upsert_reports_every_bad_field_in_chinese(clerk, micro):
    with pytest.raises(Invalid) as caught:
        services.person_upsert(
            actor=clerk, id_number="450324198001011235", name="", region=micro, phone="12345", tags=["不存在"]
        )
    errors = caught.value.errors
    assert set(errors) == {"id_number", "name", "phone", "tags"}
    assert "校验位" in errors["id_number"][0] and "手机号码" in errors["phone"][0]
    assert Person.objects.count() == 0


def test_gender_and_birth_date_must_agree_with_the_id_number(clerk, micro):
    with pytest.raises(Invalid) as caught:
        services.person_upsert(
            actor=clerk,
            id_number=make_id_number(male=True),
            name="王五",
            region=micro,
            gender="女",
            birth_date=date(1981, 1, 1),
        )
    assert "第 17 位" in caught.value.errors["gender"][0]
    assert "出生日期" in caught.value.errors["birth_date"][0]


def test_sensitive_tags_cannot_be_set_or_cleared_by_those_who_cannot_see_them(persona, micro):
    dispatcher, clerk = persona("dispatcher"), persona("clerk")
    number = make_id_number()
    services.person_upsert(actor=dispatcher, id_number=number, name="赵六", region=micro, tags=["吸毒", "独居"])
    with pytest.raises(Invalid) as caught:
        services.person_upsert(actor=clerk, id_number=number, name="赵六", tags=["社区矫正"])
    assert caught.value.errors["tags"] == ["未知的标签：社区矫正。"]
    person, _ = services.person_upsert(actor=clerk, id_number=number, name="赵六", tags=["残疾"])
    assert set(person.tags.values_list("name", flat=True)) == {"吸毒", "残疾"}


def test_a_grid_worker_edits_only_inside_their_grid(persona, micro, resident):
    worker2 = persona("gridworker2")
    person = resident()
    with pytest.raises(Conflict):
        services.person_upsert(actor=worker2, id_number=make_id_number(), name="张三")
    with pytest.raises(Invalid) as caught:
        services.person_upsert(actor=worker2, id_number=make_id_number(seq=9), name="钱七", region=micro)
    assert "管辖范围" in caught.value.errors["region"][0]
    with pytest.raises(NotAllowed):
        services.person_upsert(actor=persona("leader"), id_number=make_id_number(seq=9), name="钱七", region=micro)
    assert Person.objects.get() == person


def test_stale_version_is_refused(clerk, resident):
    person = resident()
    with pytest.raises(Conflict):
        services.person_upsert(actor=clerk, id_number=make_id_number(), name="张三丰", version=person.version + 1)


def test_notes_and_police_contact(persona, resident):
    worker = persona("gridworker")
    person = resident()
    note = services.note_add(
        actor=worker, person=person, text="走访，身体健康。", happened_on=date(2026, 1, 5), kind="visit"
    )
    assert note.author_name == "gridworker" and note.unit_name
    with pytest.raises(Invalid):
        services.note_add(actor=worker, household=person.household, text=" ", happened_on=date(2099, 1, 1))
    with pytest.raises(Invalid):
        services.note_add(actor=persona("gridworker2"), person=person, text="x", happened_on=date(2026, 1, 5))
    household = services.household_police_contact_set(
        actor=worker, household=person.household, joined_on=date(2026, 2, 1)
    )
    assert household.police_contact_on == date(2026, 2, 1)


def test_defence_group_needs_ten_to_fifteen_households(clerk, micro):
    households = [services.household_upsert(actor=clerk, region=micro, address=f"{i} 号")[0] for i in range(12)]
    lead = households[0]
    caller, _ = services.person_upsert(
        actor=clerk, id_number=make_id_number(), name="组长", household=lead, relationship="户主"
    )
    with pytest.raises(Invalid) as caught:
        services.defence_group_upsert(actor=clerk, region=micro, name="一组", households=households[:5], lead=lead)
    assert "10–15" in caught.value.errors["households"][0]
    group, created = services.defence_group_upsert(
        actor=clerk, region=micro, name="一组", households=households, lead=lead, calls=[caller]
    )
    assert created and group.households.count() == 12 and group.calls.get().person == caller
    group, created = services.defence_group_upsert(
        actor=clerk, region=micro, name="一组", households=households[:10], lead=lead
    )
    assert not created and group.households.count() == 10 and group.calls.count() == 0


def test_patrol_member_phone_is_encrypted_and_idempotent(clerk, town):
    team, _ = services.patrol_team_upsert(actor=clerk, region=town, name="才湾镇巡防队")
    member, created = services.patrol_member_upsert(actor=clerk, team=team, name="巡防甲", phone="13900001111")
    again, created_again = services.patrol_member_upsert(actor=clerk, team=team, name="巡防甲", phone="139-0000-1111")
    assert created and not created_again and again.pk == member.pk
    assert member.phone_masked == "139****1111" and "13900001111" not in member.phone_cipher


def test_tags_seeded(db):
    assert set(Tag.objects.filter(sensitive=True).values_list("name", flat=True)) == {
        "社区矫正",
        "严重精神障碍",
        "重点信访",
        "吸毒",
    }


def test_other_village(resident):
    person = resident("刘一", micro=XIAOTANG_MICROGRID, seq=5)
    assert person.region.code == XIAOTANG_MICROGRID
