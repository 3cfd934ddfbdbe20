"""Tagging a resident by hand (issue 15 part 3): care groups (留守老人, 独居 …) and, for those
holding person.sensitive_tags, the sensitive ones (社区矫正, 严重精神障碍 …). Each change has a
reason, is kept in the person's tag history and is audited (个人信息保护法 art. 51; DESIGN §8:
to anyone without the permission a sensitive tag does not exist, so it reads as unknown)."""

from django.db import transaction
from django.db.models import Q

from yimen.core.errors import Conflict, Invalid, NotFound
from yimen.org.models import Membership
from yimen.org.services import audit_as
from yimen.people import rules, services
from yimen.people.models import Person, Tag, TagChange

UNKNOWN = "未知标签。"
REASON_MAX = 200


def _visible_tag(actor: Membership, key: str) -> Tag | None:
    key = (key or "").strip()
    if not key:
        return None
    return Tag.objects.visible_to(actor).filter(Q(code=key) | Q(name=key)).first()


def _checked(actor: Membership, person: Person, reason: str) -> tuple[Person, str]:
    services.require_editor(actor)
    current = Person.unscoped.select_for_update().select_related("region").get(pk=person.pk)
    if not rules.in_scope(actor, current.region):
        raise Conflict(rules.OUTSIDE, code="outside_jurisdiction")
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        message = f"请说明事由（最多 {REASON_MAX} 个字），如“经村委走访核实，子女均在外务工”。"
        raise Invalid("标签变更须说明事由。", errors={"reason": [message]})
    return current, reason


def _record(actor: Membership, person: Person, tag: Tag, action: str, reason: str) -> TagChange:
    change = TagChange.objects.create(
        person=person,
        tag=tag,
        action=action,
        reason=reason,
        actor=actor.user,
        actor_name=actor.user.name or actor.user.username,
        unit_name=actor.unit.name,
    )
    detail = {"tag": tag.code, "sensitive": tag.sensitive}
    audit_as(
        actor,
        action=f"person_tag_{'add' if action == 'added' else 'remove'}",
        target=f"person:{person.pk}",
        purpose=reason,
        detail=detail,
    )
    return change


@transaction.atomic
def person_tag_add(*, actor: Membership, person: Person, tag: str, reason: str) -> TagChange:
    """Tag a resident (by the tag's code or name) for a stated reason. A sensitive tag the actor
    may not see is refused exactly like a misspelt one (422 "未知标签")."""
    current, reason = _checked(actor, person, reason)
    found = _visible_tag(actor, tag)
    if found is None:
        raise Invalid(UNKNOWN, code="unknown_tag", errors={"tag": [UNKNOWN]})
    if current.tags.filter(pk=found.pk).exists():
        raise Invalid("该人员已有此标签。", code="already_tagged", errors={"tag": ["该人员已有此标签。"]})
    current.tags.add(found)
    return _record(actor, current, found, TagChange.Action.ADDED, reason)


@transaction.atomic
def person_tag_remove(*, actor: Membership, person: Person, tag: str, reason: str) -> TagChange:
    """Take a tag off a resident for a stated reason. A tag the person does not carry, or one
    the actor may not see, is not found (404): a hidden sensitive tag cannot be probed for."""
    current, reason = _checked(actor, person, reason)
    found = _visible_tag(actor, tag)
    if found is None or not current.tags.filter(pk=found.pk).exists():
        raise NotFound(f"该人员没有这个标签，或{UNKNOWN}", code="unknown_tag")
    current.tags.remove(found)
    return _record(actor, current, found, TagChange.Action.REMOVED, reason)
