"""The 快警站 (a post of the police station): lost and found, missing persons, its call list."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yimen.core import audit
from yimen.core.crypto import sm4_encrypt
from yimen.core.errors import Conflict, Invalid
from yimen.core.identity import mask_phone, validate_mobile
from yimen.core.permissions import require_permission
from yimen.emergency.models import CallListEntry, LostItem, MissingPerson, Sighting, TouristHelp
from yimen.org.models import Membership


def _audit(actor: Membership, action: str, target: str, **detail) -> None:
    audit.record(
        action=action,
        actor=actor.user,
        unit_code=actor.unit.code,
        unit_name=actor.unit.name,
        target=target,
        detail=detail,
    )


def _required(**fields: str) -> None:
    missing = {name: ["此项为必填项。"] for name, value in fields.items() if not (value or "").strip()}
    if missing:
        raise Invalid("提交的内容有误，请检查标出的字段。", errors=missing)


@transaction.atomic
def call_list_add(*, actor: Membership, name: str, phone: str, note: str = "") -> CallListEntry:
    """Add someone to the station's call list (韶山: the 100-person group, so "所有工作人员都可以
    第一时间知悉"); the phone is checked as a mainland mobile, sealed and masked (DESIGN §8)."""
    require_permission(actor, "lostfound.record")
    _required(name=name, phone=phone)
    try:
        phone = validate_mobile(phone)
    except ValidationError as refused:
        raise Invalid("提交的内容有误，请检查标出的字段。", errors={"phone": list(refused.messages)}) from None
    row = CallListEntry.objects.create(
        unit=actor.unit,
        name=name.strip(),
        phone_cipher=sm4_encrypt(phone),
        phone_masked=mask_phone(phone),
        note=note.strip(),
        added_by=actor,
        added_at=timezone.now(),
    )
    _audit(actor, "call_list_add", f"call:{row.pk}", name=row.name)
    return row


@transaction.atomic
def call_list_remove(*, actor: Membership, entry: CallListEntry, reason: str) -> CallListEntry:
    """Take someone off the call list: a grave step (they stop hearing of missing persons), so it
    keeps who, when and why; the entry stays in the list's history. Removed already → 409."""
    require_permission(actor, "lostfound.record")
    _required(reason=reason)
    moved = CallListEntry.objects.filter(pk=entry.pk, removed_at__isnull=True).update(
        removed_at=timezone.now(), removed_by=actor, removed_reason=reason.strip()
    )
    if moved != 1:
        raise Conflict("此人已移出通知名单。", code="wrong_state")
    entry.refresh_from_db()
    _audit(actor, "call_list_remove", f"call:{entry.pk}", reason=entry.removed_reason)
    return entry


@transaction.atomic
def lost_item_record(*, actor: Membership, kind: str, description: str, place: str, at: datetime) -> LostItem:
    """Register a lost or a found item at the station (公安机关办理失物招领; 民法典 art. 314–318:
    the finder returns it, the police keep it, unclaimed for a year it goes to the state)."""
    require_permission(actor, "lostfound.record")
    _required(description=description, place=place)
    if kind not in LostItem.Kind.values:
        raise Invalid("类别有误。", errors={"kind": ["可选：lost、found。"]})
    item = LostItem.objects.create(kind=kind, description=description, place=place, at=at, unit=actor.unit)
    _audit(actor, "lost_item_record", f"lost:{item.pk}", kind=kind)
    return item


@transaction.atomic
def lost_item_return(*, actor: Membership, item: LostItem, to_name: str, id_checked: bool) -> LostItem:
    """Hand an item back only after checking the claimant's ID (民法典 art. 314: to the rightful
    owner); no ID check → 422."""
    require_permission(actor, "lostfound.record")
    errors = {}
    if id_checked is not True:
        errors["id_checked"] = ["发还前须核验领取人身份证件。"]
    if not (to_name or "").strip():
        errors["to_name"] = ["此项为必填项。"]
    if errors:
        raise Invalid("提交的内容有误，请检查标出的字段。", errors=errors)
    if item.state != LostItem.State.OPEN:
        raise Conflict(f"该物品{item.get_state_display()}。", code="wrong_state")
    item.state, item.returned_to, item.returned_at = LostItem.State.RETURNED, to_name, timezone.now()
    item.save(update_fields=["state", "returned_to", "returned_at"])
    _audit(actor, "lost_item_return", f"lost:{item.pk}", to_name=to_name, id_checked=True)
    return item


def handover_due_before(now: datetime) -> datetime:
    """Found items registered before this moment are past their year (民法典 art. 318)."""
    return now - timedelta(days=LostItem.RETENTION_DAYS)


@transaction.atomic
def lost_item_hand_over(*, actor: Membership, item: LostItem, to: str, signed_by: str) -> LostItem:
    """上交: a found item unclaimed a year after its notice belongs to the state (民法典 art. 318),
    so the station hands it over; the record keeps to whom, who signed for it, when and by whom.
    Before the year is out, or an item no longer open → 409; a lost-item report has nothing to hand
    over (422)."""
    require_permission(actor, "lostfound.record")
    _required(to=to, signed_by=signed_by)
    if item.kind != LostItem.Kind.FOUND:
        raise Invalid("只有拾得物品需要上交。", errors={"item": ["这是失物登记，不是拾得物品。"]})
    now = timezone.now()
    moved = LostItem.objects.filter(
        pk=item.pk, state=LostItem.State.OPEN, registered_at__lte=handover_due_before(now)
    ).update(
        state=LostItem.State.HANDED_OVER,
        handed_to=to.strip(),
        handed_signed_by=signed_by.strip(),
        handed_at=now,
        handed_by=actor,
    )
    if moved != 1:
        item.refresh_from_db()
        if item.state != LostItem.State.OPEN:
            raise Conflict(f"该物品{item.get_state_display()}。", code="wrong_state")
        raise Conflict(f"招领未满 {LostItem.RETENTION_DAYS} 天，不能上交（民法典第三百一十八条）。", code="too_early")
    item.refresh_from_db()
    _audit(actor, "lost_item_hand_over", f"lost:{item.pk}", to=item.handed_to, signed_by=item.handed_signed_by)
    return item


@transaction.atomic
def missing_person_report(
    *, actor: Membership, name: str, description: str, last_seen_at: datetime, place: str
) -> MissingPerson:
    """Register a missing person and alert the station's call list at once (公安部 走失人员 quick
    search: no waiting period)."""
    require_permission(actor, "lostfound.record")
    _required(name=name, description=description, place=place)
    person = MissingPerson.objects.create(
        name=name,
        description=description,
        last_seen_at=last_seen_at,
        place=place,
        unit=actor.unit,
        reported_at=timezone.now(),
    )
    from yimen.emergency.tasks import alert_call_list  # the task module imports these services

    entries = list(CallListEntry.objects.filter(unit=actor.unit, removed_at__isnull=True).values_list("pk", flat=True))
    # Queued at once (not on commit) so the fan-out never waits on the request; it reads only
    # call-list rows, which exist already.
    alert_call_list(entries, f"【寻人】{name}，{description}，最后出现于{place}。见到请联系快警站。")
    person.alerted = len(entries)
    person.save(update_fields=["alerted"])
    _audit(actor, "missing_person_report", f"missing:{person.pk}", alerted=person.alerted)
    return person


@transaction.atomic
def missing_person_found(*, actor: Membership, person: MissingPerson, note: str) -> MissingPerson:
    """Mark a missing person found; the time taken is kept for the station's figures."""
    require_permission(actor, "lostfound.record")
    if person.state != MissingPerson.State.MISSING:
        raise Conflict("该人员已标记为找到。", code="wrong_state")
    person.state, person.note, person.found_at = MissingPerson.State.FOUND, note, timezone.now()
    person.save(update_fields=["state", "note", "found_at"])
    _audit(actor, "missing_person_found", f"missing:{person.pk}")
    return person


@transaction.atomic
def missing_person_sighting(
    *, actor: Membership, person: MissingPerson, place: str, at: datetime, note: str = ""
) -> Sighting:
    """Add a sighting to an open search (where and when the person was seen, by whom told)."""
    require_permission(actor, "lostfound.record")
    if person.state != MissingPerson.State.MISSING:
        raise Conflict("该人员已找到，不再登记线索。", code="wrong_state")
    _required(place=place)
    if at > timezone.now():
        raise Invalid("提交的内容有误，请检查标出的字段。", errors={"at": ["时间不能晚于现在。"]})
    row = Sighting.objects.create(person=person, place=place, at=at, note=note, by=actor)
    _audit(actor, "missing_person_sighting", f"missing:{person.pk}", sighting=row.pk)
    return row


@transaction.atomic
def tourist_help_record(*, actor: Membership, kind: str, note: str = "") -> TouristHelp:
    """One tap: a help given to a visitor at the station counts in its day figures."""
    require_permission(actor, "lostfound.record")
    if kind not in TouristHelp.Kind.values:
        raise Invalid("类别有误。", errors={"kind": [f"可选：{'、'.join(TouristHelp.Kind.labels)}。"]})
    row = TouristHelp.objects.create(unit=actor.unit, kind=kind, note=note, at=timezone.now(), by=actor)
    _audit(actor, "tourist_help", f"help:{row.pk}", kind=kind)
    return row
