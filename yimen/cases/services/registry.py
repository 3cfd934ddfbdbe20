"""A walk-in becomes a resident (issue 15 part 2): the clerk who typed a party at the window
files them in the registry (民情档案, DESIGN §5) from the case page in one step, with the name,
ID number and phone already typed, and the party is linked to the record, so the next visit's
repeat-visitor hint and the person's case list find them."""

from django.db import transaction

from yimen.cases import timeline
from yimen.cases.models import Case, Party
from yimen.core.crypto import sm4_decrypt
from yimen.core.errors import Conflict, Invalid, NotFound
from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.people import upkeep
from yimen.people.models import Person
from yimen.people.rules import in_scope
from yimen.people.services import require_editor


@transaction.atomic
def case_party_register(*, case: Case, actor: Membership, index: int, region: Region | None) -> Person:
    """登记到民情档案: the case's party at `index` (0-based, as the case lists them) filed as a
    resident of the micro-grid `region`, through the registry's own create (GB 11643 check, the
    editor's permission, 409 for a number registered outside the actor's area), and linked. A
    number already registered within the actor's area links that person instead of a second
    record (the registry keeps one row per ID number). The case's timeline records the link."""
    require_editor(actor)  # first: a refusal says nothing about the party
    party = _party(case, index)
    if party.person_id:
        raise Conflict("该当事人已关联实有人口档案。", code="already_linked")
    if not party.id_number_cipher:
        message = "该当事人未登记身份证号码，不能建档；请核对证件后在实有人口页面登记。"
        raise Invalid(message, errors={"id_number": [message]})
    known = Person.unscoped.filter(id_number_index=party.id_number_index).select_related("region").first()
    if known is not None and in_scope(actor, known.region):
        person, created = known, False
    else:
        phone = sm4_decrypt(party.phone_cipher) if party.phone_cipher else ""
        person, created = upkeep.person_create(
            actor=actor,
            id_number=sm4_decrypt(party.id_number_cipher),
            name=party.name,
            region=region,
            phone=phone if phone.startswith("1") else "",  # a landline stays on the case only
            source="intake",
        )
    Party.objects.filter(pk=party.pk).update(person=person)
    note = f"当事人{party.name}{'登记为' if created else '关联'}实有人口（编号 {person.pk}）"
    timeline.record(case, "party_register", actor=actor, note=note, data={"party": index, "person": person.pk})
    return person


def _party(case: Case, index: int) -> Party:
    parties = list(Party.objects.filter(case=case).order_by("id"))
    if not 0 <= index < len(parties):
        raise NotFound("该案件没有这位当事人。")
    return parties[index]
