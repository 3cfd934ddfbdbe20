"""One person, one blind index: the intake checks and normalises phones and ID numbers with
yimen.core.identity, so the same phone typed two ways finds the same party, masks read the same
in cases and in the registry, and parties stored under the old normal form are re-indexed."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from yimen.cases.models import Party
from yimen.cases.page_selectors import intake_hints
from yimen.cases.tests.conftest import register
from yimen.core.crypto import blind_index, sm4_decrypt, sm4_encrypt
from yimen.core.errors import Invalid
from yimen.people.tests.samples import make_id_number, make_resident

reindex = importlib.import_module("yimen.cases.migrations.0005_reindex_party_contacts")


def applicant(case) -> Party:
    return case.parties.get(role="applicant")


def test_the_other_spelling_of_a_phone_finds_the_earlier_case(client, seats):
    earlier = register(seats["clerk"], parties=[{"name": "唐建国", "role": "applicant", "phone": "+86 13907730001"}])
    assert sm4_decrypt(applicant(earlier).phone_cipher) == "13907730001"
    client.force_login(seats["clerk"].user)
    hints = client.post("/cases/new/hints/", {"region": "450324106", "parties-0-phone": "139-0773-0001"})
    assert earlier.code in hints.content.decode() and "同一当事人" in hints.content.decode()


def test_a_landline_is_found_however_its_area_code_is_written(seats):
    earlier = register(seats["clerk"], parties=[{"name": "唐建国", "role": "applicant", "phone": "(0773)2812345"}])
    assert applicant(earlier).phone_masked == "077****2345"
    found = intake_hints(member=seats["clerk"], phones=["0773-281-2345"])
    assert [case for case, _ in found] == [earlier]


def test_a_landline_without_area_code_is_refused_at_intake(seats):
    with pytest.raises(Invalid) as refused:
        register(seats["clerk"], parties=[{"name": "唐建国", "role": "applicant", "phone": "2812345"}])
    assert "区号" in refused.value.errors["parties.0.phone"][0]


@pytest.mark.parametrize(
    ("number", "says"),
    [
        ("11010519491231002Y", "18 位"),
        ("110105194912310021", "校验位不正确"),
        (make_id_number(date(2099, 1, 1)), "晚于今天"),
        ("991234198001011234", "省级"),
    ],
)
def test_a_bad_id_number_is_refused_at_intake_with_the_reason(seats, number, says):
    with pytest.raises(Invalid) as refused:
        register(seats["clerk"], parties=[{"name": "唐建国", "role": "applicant", "id_number": number}])
    assert says in refused.value.errors["parties.0.id_number"][0]


def test_a_lower_case_x_is_the_same_id_number(seats):
    earlier = register(seats["clerk"], parties=[{"name": "甲", "role": "applicant", "id_number": "11010519491231002x"}])
    assert applicant(earlier).id_number_masked == "110105********002X"
    assert [case for case, _ in intake_hints(member=seats["clerk"], id_numbers=["11010519491231002X"])] == [earlier]


def test_a_party_and_the_registry_person_are_masked_and_indexed_alike(seats):
    person = make_resident(seats["clerk"], "唐建国", seq=7)  # phone 13800000007
    typed = {"name": "唐建国", "role": "applicant", "phone": "+86 138-0000-0007", "id_number": make_id_number(seq=7)}
    party = applicant(register(seats["clerk"], parties=[typed]))
    assert (party.phone_masked, party.id_number_masked) == (person.phone_masked, person.id_number_masked)
    assert (party.phone_index, party.id_number_index) == (person.phone_index, person.id_number_index)


def test_the_migration_reindexes_a_party_stored_under_the_old_normal_form(seats):
    case = register(seats["clerk"])
    old = applicant(case)
    # What the intake stored for "+86 13907730001" before issue 13: the plus and 86 kept.
    old.phone_cipher, old.phone_index = sm4_encrypt("+8613907730001"), blind_index("+8613907730001")
    old.save()
    assert intake_hints(member=seats["clerk"], phones=["139-0773-0001"]) == []
    current = register(
        seats["clerk"], title="另一件事", parties=[{"name": "乙", "role": "applicant", "phone": "0773-2812345"}]
    )
    sealed = applicant(current).phone_cipher

    reindex.reindex_parties(apps, None)

    old.refresh_from_db()
    assert sm4_decrypt(old.phone_cipher) == "13907730001" and old.phone_masked == "139****0001"
    assert [found for found, _ in intake_hints(member=seats["clerk"], phones=["139-0773-0001"])] == [case]
    assert applicant(current).phone_cipher == sealed  # already in the normal form: not re-sealed
