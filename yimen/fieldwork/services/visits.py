"""走访 (民情日志): a household visit or a note from the phone, written into the resident file
through the registry's own note service, with the follow-up it calls for."""

from datetime import date

from django.db import transaction

from yimen.core.errors import Conflict, Invalid
from yimen.core.idempotency import Once
from yimen.core.permissions import require_permission
from yimen.core.text import clean_text
from yimen.fieldwork.models import Visit
from yimen.fieldwork.services._base import submit_once
from yimen.org.models import Membership
from yimen.people.models import Household, Person, ResidentNote
from yimen.people.services import note_add


def visit_record(
    *,
    actor: Membership,
    idempotency_key: str,
    household: Household,
    household_version: int,
    text: str,
    happened_on: date,
    kind: str = ResidentNote.Kind.VISIT,
    person: Person | None = None,
    follow_up: str = "",
    follow_up_due: date | None = None,
) -> Once:
    """Record a visit (or a note) on a household, or on one of its members, once per
    Idempotency-Key. The household version the worker saw must still be current: a household
    changed meanwhile (head, address, members) is a conflict (409) the worker checks first. A
    visit closes the household's open follow-ups (it is the follow-up) and may set a new one."""
    require_permission(actor, "fieldwork.use")
    fields = {
        "household": household.pk,
        "household_version": household_version,
        "text": text,
        "happened_on": happened_on,
        "kind": kind,
        "person": person.pk if person else None,
        "follow_up": follow_up,
        "follow_up_due": follow_up_due,
    }

    def make() -> ResidentNote:
        errors: dict[str, list[str]] = {}
        follow = clean_text(follow_up, "follow_up", "后续事项", limit=500, errors=errors, required=False)
        if person is not None and person.household_id != household.pk:
            errors["person"] = ["所选人员不是该户成员。"]
        if follow_up_due is not None and (not follow or follow_up_due < happened_on):
            errors["follow_up_due"] = ["跟进日期须在走访日期之后，并写明后续事项。"]
        if kind == ResidentNote.Kind.NOTE and follow:
            errors["follow_up"] = ["后续事项只用于走访。"]
        if errors:
            raise Invalid("走访记录有误，请检查标出的字段。", errors=errors)
        current = Household.objects.filter(pk=household.pk).values_list("version", flat=True).get()
        if current != household_version:
            raise Conflict(
                "您离线期间，该户信息已被他人修改（如户主、住址或成员变动）。请打开该户核对最新信息后重新提交，已填写的内容仍保留。",
                code="household_changed",
            )
        note = note_add(
            actor=actor,
            text=text,
            happened_on=happened_on,
            kind=kind,
            person=person,
            household=None if person else household,
        )
        if kind == ResidentNote.Kind.VISIT:
            Visit.objects.filter(household=household, follow_up_done=False).exclude(follow_up="").update(
                follow_up_done=True
            )
            Visit.objects.create(
                note=note,
                household=household,
                visitor=actor.user,
                follow_up=follow,
                follow_up_due=follow_up_due if follow else None,
            )
        return note

    with transaction.atomic():
        return submit_once(actor=actor, key=idempotency_key, kind="visit", fields=fields, make=make)
