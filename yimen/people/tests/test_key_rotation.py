"""Rotating the field key: rows move to the new key with their blind indexes, resumably."""

import pytest
from cryptography.exceptions import InvalidTag
from django.core.management import CommandError, call_command

from yimen.core.models import AuditEntry
from yimen.core.services import field_key_rotate
from yimen.people import selectors, services
from yimen.people.models import Person
from yimen.people.tests.samples import make_id_number


def test_rotation_moves_every_row_to_the_new_key(settings, persona, clerk, resident, monkeypatch, media):
    # The command reseals the uploaded files too (tests/test_data_at_rest.py): none here.
    dispatcher = persona("dispatcher")
    settings.YIMEN_FIELD_KEY = "old-field-key"
    resident("张三", seq=1)
    resident("李四", seq=2, phone="")
    team, _ = services.patrol_team_upsert(actor=clerk, region=clerk.jurisdiction, name="巡防队")
    services.patrol_member_upsert(actor=clerk, team=team, name="巡防甲", phone="13900001111")
    settings.YIMEN_FIELD_KEY = "new-field-key"
    assert not selectors.person_search(member=clerk, q=make_id_number(seq=1)).exists()  # still the old index
    with pytest.raises(InvalidTag):
        services.person_reveal(actor=dispatcher, person=Person.objects.get(name="张三"), purpose="核对")
    monkeypatch.setenv("YIMEN_FIELD_KEY_OLD", "old-field-key")
    call_command("rotate_field_key", "--batch", "1")
    found = selectors.person_search(member=clerk, q=make_id_number(seq=1)).get()
    assert selectors.person_search(member=clerk, q="13800000001").get() == found
    assert services.person_reveal(actor=dispatcher, person=found, purpose="核对")["phone"] == "13800000001"
    counted = AuditEntry.objects.get(action="field_key_rotate").detail
    assert counted["people.Person"] == 2 and counted["people.PatrolMember"] == 1
    # Run again (or after a stop half-way): rows already under the new key are left alone.
    assert set(field_key_rotate(old_secret="old-field-key").values()) == {0}


def test_rotation_needs_the_old_key(monkeypatch, db):
    monkeypatch.delenv("YIMEN_FIELD_KEY_OLD", raising=False)
    with pytest.raises(CommandError):
        call_command("rotate_field_key")
