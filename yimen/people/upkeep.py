"""Keeping the registry by hand (issue 15 part 1; API.md "Registry upkeep"): create a person
or a household once, edit them under an optimistic version. The import's idempotent upserts in
services.py do the field checks and the writing; these add what a clerk at the window needs:
an ID number already registered is a conflict, not a silent update, and names the existing
person only to someone who may see them (DESIGN §8: another jurisdiction's records are absent)."""

from datetime import date

from django.db import transaction
from django.db.models import F

from yimen.core import idempotency
from yimen.core.crypto import blind_index, sm4_decrypt, sm4_encrypt
from yimen.core.errors import Conflict, Invalid
from yimen.core.identity import mask_id_number, validate_id_number
from yimen.core.permissions import require_permission
from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.org.services import audit_as
from yimen.people import rules, services
from yimen.people.models import Household, Person

STALE = "该记录已被他人修改，请刷新后重试。"


def _refuse_registered(actor: Membership, number: str, *, other_than: Person | None = None) -> None:
    # The blind index finds the number without decrypting anything; the answer depends on scope.
    existing = Person.unscoped.filter(id_number_index=blind_index(number))
    if other_than is not None:
        existing = existing.exclude(pk=other_than.pk)
    found = existing.select_related("region").first()
    if found is not None:
        _refuse_found(actor, found)


def _refuse_found(actor: Membership, found: Person) -> None:
    if rules.in_scope(actor, found.region):
        message = f"该身份证号码已登记：{found.name}（编号 {found.pk}）。"
        raise Conflict(
            message, code="duplicate_id_number", errors={"id_number": [message], "existing": [str(found.pk)]}
        )
    raise Conflict("已登记", code="duplicate_id_number", errors={"id_number": ["已登记"]})


def _checked_number(id_number: str) -> str:
    try:
        return validate_id_number(id_number).number
    except Exception as exc:  # ValidationError: its messages are the field's
        raise Invalid("人员信息有误，请检查标出的字段。", errors={"id_number": list(exc.messages)}) from None


def person_create(
    *,
    actor: Membership,
    id_number: str,
    name: str,
    household: Household | None = None,
    relationship: str = "",
    region: Region | None = None,
    gender: str = "",
    birth_date: date | None = None,
    ethnicity: str | None = None,
    phone: str = "",
    status: str = "",
    address: str = "",
    idempotency_key: str = "",
    source: str = "manual",
) -> tuple[Person, bool]:
    """Register a newcomer (issue 15 part 1). The ID number is checked by GB 11643 and must not
    be registered yet (→ 409, naming the existing person only within the actor's jurisdiction);
    everything else is checked as person_upsert checks it. With an idempotency key a retry
    returns the first person instead of a conflict. One transaction: person_upsert's own, or,
    with a key, one around the key and the person (no savepoint for a bare registration: the
    audit chain already costs three statements; issue 15's benchmark)."""
    services.require_editor(actor)  # before the duplicate check: a refusal must not reveal a number
    fields = dict(
        id_number=id_number,
        name=name,
        household=household,
        relationship=relationship,
        region=region,
        gender=gender,
        birth_date=birth_date,
        ethnicity=ethnicity,
        phone=phone,
        status=status,
        address=address,
    )

    def make() -> Person:
        # A malformed number is person_upsert's to report, together with the other fields' errors;
        # a registered one is refused by the unique index as the row goes in, and once that
        # insert is rolled back the look-up names its holder (within scope) for the 409.
        try:
            return services.person_upsert(actor=actor, source=source, new_only=True, **fields)[0]
        except Conflict as exc:
            if exc.code != services.REGISTERED:
                raise
            _refuse_registered(actor, _checked_number(id_number))
            raise Conflict("同一身份证号码正在被同时登记，请稍后重试。", code="duplicate") from None

    if not idempotency_key:
        return make(), True
    digest = {**fields, "household": household.pk if household else None, "region": region.pk if region else None}
    with transaction.atomic():
        once = idempotency.run_once(
            "people.person", user=actor.user, key=idempotency_key, fields=digest, noun="登记", make=make
        )
        return once.record or Person.unscoped.get(pk=once.object_id), once.created


@transaction.atomic
def person_update(*, actor: Membership, person: Person, version: int, id_number: str | None = None, **given) -> Person:
    """Correct a resident's record under its version (stale → 409). A corrected ID number is
    checked by GB 11643, must not be another person's (→ 409), and brings its birth date and
    gender with it; the other fields are checked as person_upsert checks them."""
    services.require_editor(actor)
    current = Person.unscoped.select_for_update().get(pk=person.pk)
    if current.version != version:
        raise Conflict(STALE, code="stale_version")
    number = sm4_decrypt(current.id_number_cipher)
    if id_number is not None and id_number.strip() and _checked_number(id_number) != number:
        number = _checked_number(id_number)
        _refuse_registered(actor, number, other_than=current)
        if not rules.in_scope(actor, current.region):
            raise Conflict(rules.OUTSIDE, code="outside_jurisdiction")
        info = validate_id_number(number)
        current.id_number_cipher, current.id_number_index = sm4_encrypt(number), blind_index(number)
        current.id_number_masked, current.birth_date, current.gender = (
            mask_id_number(number),
            info.birth_date,
            info.gender,
        )
        current.version += 1
        current.save(
            update_fields=[
                "id_number_cipher",
                "id_number_index",
                "id_number_masked",
                "birth_date",
                "gender",
                "version",
                "updated_at",
            ]
        )
        audit_as(actor, action="person_update", target=f"person:{current.pk}", detail={"changed": ["id_number"]})
    if given.get("status") in (*Person.LEFT, *(str(Person.Status(code).label) for code in Person.LEFT)):
        raise Invalid("迁出或死亡请通过“登记迁出/死亡”办理。", errors={"status": ["迁出或死亡须说明事由，另行登记。"]})
    given.setdefault("name", current.name)
    updated, _ = services.person_upsert(
        actor=actor, id_number=number, version=current.version, source="manual", **given
    )
    return updated


@transaction.atomic
def household_create(
    *, actor: Membership, region: Region | None, address: str, number: str = "", idempotency_key: str = ""
) -> tuple[Household, bool]:
    """Register a household (issue 15 part 1): a 户号 already registered → 409 rather than the
    import's update of the existing one."""
    services.require_editor(actor)
    number = (number or "").strip()

    def make() -> Household:
        if region is None:
            raise Invalid("户信息有误，请检查标出的字段。", errors={"region": ["请选择微网格。"]})
        if number and Household.objects.filter(number=number).exists():
            raise Conflict("该户号已登记。", code="duplicate_number", errors={"number": ["该户号已登记。"]})
        household, created = services.household_upsert(actor=actor, region=region, address=address, number=number)
        if not created:
            raise Conflict(
                "该网格内同一住址已登记一户。", code="duplicate_address", errors={"address": ["该住址已登记一户。"]}
            )
        return household

    if not idempotency_key:
        return make(), True
    fields = {"region": region.pk if region else None, "address": address, "number": number}
    once = idempotency.run_once("people.household", user=actor.user, key=idempotency_key, fields=fields, make=make)
    return once.record or Household.objects.get(pk=once.object_id), once.created


@transaction.atomic
def household_update(
    *,
    actor: Membership,
    household: Household,
    version: int,
    region: Region | None = None,
    address: str | None = None,
    head: Person | None = None,
) -> Household:
    """Edit a household under its version (stale → 409); the head must be one of its members
    (户口登记条例 art. 5: the household register is kept per 户 with its 户主)."""
    current = Household.objects.select_for_update().get(pk=household.pk)
    if current.version != version:
        raise Conflict(STALE, code="stale_version")
    if head is not None and head.household_id != current.pk:
        raise Invalid("户信息有误，请检查标出的字段。", errors={"head": ["户主须为本户成员。"]})
    services.require_editor(actor)
    if not rules.in_scope(actor, current.region):
        raise Conflict(rules.OUTSIDE, code="outside_jurisdiction")
    errors: dict[str, list[str]] = {}
    region = region or current.region
    rules.check_region(actor, region, [Region.Level.MICROGRID], errors, "region")
    address = current.address if address is None else address.strip()
    if not address or len(address) > 200:
        errors["address"] = ["请填写住址（最多 200 个字）。"]
    if errors:
        raise Invalid("户信息有误，请检查标出的字段。", errors=errors)
    if (region.pk, address) != (current.region_id, current.address):
        current.region, current.address, current.version = region, address, current.version + 1
        current.save(update_fields=["region", "address", "version", "updated_at"])
        audit_as(actor, action="household_update", target=f"household:{current.pk}")
    if head is not None and current.head_id != head.pk:
        for member in Person.unscoped.filter(household=current, relationship=Person.HEAD).exclude(pk=head.pk):
            services.person_upsert(
                actor=actor,
                id_number=sm4_decrypt(member.id_number_cipher),
                name=member.name,
                relationship="",
                source="manual",
            )
        services.person_upsert(
            actor=actor,
            id_number=sm4_decrypt(head.id_number_cipher),
            name=head.name,
            relationship=Person.HEAD,
            source="manual",
        )
        current.refresh_from_db()
    return current


@transaction.atomic
def person_mark_left(*, actor: Membership, person: Person, version: int, status: str, purpose: str) -> Person:
    """Record that a resident moved out or died (issue 15 part 1 and "wrong people": only roles
    that may reveal, with a purpose). The record is kept with its history and leaves the active
    counts; a head who leaves leaves the household without a head."""
    require_permission(actor, "person.reveal")
    purpose = (purpose or "").strip()
    errors: dict[str, list[str]] = {}
    if status not in Person.LEAVING:
        errors["status"] = ["请选择迁出或死亡。"]
    if not purpose or len(purpose) > services.PURPOSE_MAX:
        errors["purpose"] = [f"请说明事由（最多 {services.PURPOSE_MAX} 个字），如“户籍迁往县城”。"]
    if errors:
        raise Invalid("登记有误，请检查标出的字段。", errors=errors)
    current = Person.unscoped.select_for_update().get(pk=person.pk)
    if not rules.in_scope(actor, current.region):
        raise Conflict(rules.OUTSIDE, code="outside_jurisdiction")
    if current.version != version:
        raise Conflict(STALE, code="stale_version")
    before = current.status
    current.status, current.version = status, current.version + 1
    current.save(update_fields=["status", "version", "updated_at"])
    Household.objects.filter(head=current).update(head=None, version=F("version") + 1)
    detail = {"from": before, "to": status}
    audit_as(actor, action="person_left", target=f"person:{current.pk}", purpose=purpose, detail=detail)
    return current


def _merge_fields(merged: Person, survivor: Person) -> list[str]:
    """What the survivor takes over from the merged record: what it lacks (ID number, phone,
    household) and the later police contact; returns the names of what moved."""
    moved = []
    if not survivor.id_number_index and merged.id_number_index:
        for name in ("id_number_cipher", "id_number_index", "id_number_masked", "birth_date", "gender"):
            setattr(survivor, name, getattr(merged, name))
        merged.id_number_index = None  # unique: the number now belongs to the survivor alone
        moved.append("id_number")
    if not survivor.phone_cipher and merged.phone_cipher:
        survivor.phone_cipher, survivor.phone_index = merged.phone_cipher, merged.phone_index
        survivor.phone_masked = merged.phone_masked
        moved.append("phone")
    if survivor.household_id is None and merged.household_id is not None:
        survivor.household_id, survivor.relationship = merged.household_id, merged.relationship
        moved.append("household")
    if merged.police_contact_on and (survivor.police_contact_on or date.min) < merged.police_contact_on:
        survivor.police_contact_on = merged.police_contact_on
        moved.append("police_contact_on")
    return moved


@transaction.atomic
def person_merge(*, actor: Membership, merged: Person, survivor: Person, version: int, purpose: str) -> Person:
    """合并: two records of one person become one (issue 15 part 1 and "wrong people": only roles
    that may reveal, with a purpose; audited). Nothing is deleted: the merged record keeps its
    notes, tags and their history, police contacts, household and case links, and points to the
    survivor (merged_into), out of every active count; the survivor gains its tags and whatever
    it lacks (ID number, phone, household). Two different ID numbers mean two people (→ 409);
    the merged record's version guards against a stale page (→ 409)."""
    require_permission(actor, "person.reveal")
    purpose = (purpose or "").strip()
    if not purpose or len(purpose) > services.PURPOSE_MAX:
        message = f"请说明事由（最多 {services.PURPOSE_MAX} 个字），如“同一人重复登记，经核对身份证”。"
        raise Invalid("合并须说明事由。", errors={"purpose": [message]})
    if merged.pk == survivor.pk:
        raise Invalid("不能与自身合并。", errors={"survivor": ["请选择另一条记录。"]})
    rows = {p.pk: p for p in Person.unscoped.select_for_update().filter(pk__in=[merged.pk, survivor.pk]).order_by("pk")}
    merged, survivor = rows[merged.pk], rows[survivor.pk]
    if not (rules.in_scope(actor, merged.region) and rules.in_scope(actor, survivor.region)):
        raise Conflict(rules.OUTSIDE, code="outside_jurisdiction")
    if merged.version != version:
        raise Conflict(STALE, code="stale_version")
    if Person.Status.MERGED in (merged.status, survivor.status):
        raise Conflict("已合并的记录不能再合并，请选择其合并后的记录。", code="already_merged")
    if merged.id_number_index and survivor.id_number_index and merged.id_number_index != survivor.id_number_index:
        raise Conflict("两条记录的身份证号码不同，是两个人，不能合并。", code="different_id_numbers")
    moved = _merge_fields(merged, survivor)
    merged.status, merged.merged_into, merged.version = Person.Status.MERGED, survivor, merged.version + 1
    merged.save(update_fields=["status", "merged_into", "id_number_index", "version", "updated_at"])
    survivor.version += 1
    survivor.save()
    survivor.tags.add(*merged.tags.all())  # sensitive ones too: the merge must not lose a tag
    # The merged record heads nothing any more; the survivor takes its place in its own household.
    Household.objects.filter(head=merged).update(head=None, version=F("version") + 1)
    if survivor.household_id and survivor.relationship == Person.HEAD:
        home = Household.objects.filter(pk=survivor.household_id).exclude(head=survivor)
        home.update(head=survivor, version=F("version") + 1)
    detail = {"merged": merged.pk, "moved": moved}
    audit_as(actor, action="person_merge", target=f"person:{survivor.pk}", purpose=purpose, detail=detail)
    return survivor
