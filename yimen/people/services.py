"""State changes in the resident registry. Each is one transaction that checks the actor's role
and jurisdiction and writes its audit entry (个人信息保护法 art. 51: processing of personal
information is controlled and recorded). Plain ID numbers and phones never reach the log."""

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from yimen.core.crypto import blind_index, sm4_decrypt, sm4_encrypt
from yimen.core.errors import Conflict, Invalid, NotAllowed
from yimen.core.identity import mask_phone, validate_id_number, validate_mobile
from yimen.core.permissions import require_permission
from yimen.geo.models import Region
from yimen.org.models import Membership, Unit
from yimen.org.services import audit_as
from yimen.people import defence, rules
from yimen.people.models import (
    DefenceGroup,
    Household,
    PatrolMember,
    PatrolTeam,
    Person,
    ResidentNote,
)

# Who keeps the registry: the clerks who import it and the grid staff and police who collect it.
EDIT_PERMS = ("person.import", "person.note")
PURPOSE_MAX = 200
REGISTERED = "id_number_registered"  # person_upsert(new_only=True) met a registered number


def is_editor(actor: Membership | None) -> bool:
    """Whether the member keeps the registry (pages show the add and edit buttons only then)."""
    return actor is not None and any(actor.has_perm(perm) for perm in EDIT_PERMS)


def require_editor(actor: Membership) -> None:
    if not is_editor(actor):
        raise NotAllowed("您的角色无权维护实有人口信息。", code="forbidden")


@transaction.atomic
def household_upsert(
    *, actor: Membership, region: Region, address: str, number: str = "", version: int | None = None
) -> tuple[Household, bool]:
    """Register a household or update it, idempotently (issue 4 part 7: re-importing never
    duplicates): found again by its 户号 when given, else by micro-grid and address."""
    require_editor(actor)
    errors: dict[str, list[str]] = {}
    rules.check_region(actor, region, [Region.Level.MICROGRID], errors, "region")
    address, number = (address or "").strip(), (number or "").strip()
    if not address:
        errors["address"] = ["请填写住址。"]
    elif len(address) > 200:
        errors["address"] = ["住址最多 200 个字。"]
    if len(number) > 30:
        errors["number"] = ["户号最多 30 个字符。"]
    if errors:
        raise Invalid("户信息有误，请检查标出的字段。", errors=errors)
    rows = Household.objects.select_for_update()
    household = (rows.filter(number=number) if number else rows.filter(region=region, address=address)).first()
    if household and not rules.in_scope(actor, household.region):
        raise Conflict("该户号已在您管辖范围以外登记，请联系其所在辖区处理。", code="outside_jurisdiction")
    if household and version is not None and household.version != version:
        raise Conflict("该户已被他人修改，请刷新后重试。", code="stale_version")
    created = household is None
    if created:
        household = Household.objects.create(region=region, address=address, number=number or None)
    else:
        changed = household.region_id != region.pk or household.address != address
        if not changed:
            return household, False
        household.region, household.address, household.version = region, address, household.version + 1
        household.save(update_fields=["region", "address", "version", "updated_at"])
    audit_as(actor, action="household_create" if created else "household_update", target=f"household:{household.pk}")
    return household, created


@transaction.atomic
def person_upsert(
    *,
    actor: Membership,
    id_number: str,
    name: str,
    household: Household | None = None,
    relationship: str | None = None,
    region: Region | None = None,
    gender: str = "",
    birth_date: date | None = None,
    ethnicity: str | None = None,
    phone: str | None = None,
    status: str = "",
    address: str | None = None,
    tags: Iterable[str] | None = None,
    version: int | None = None,
    source: str = "",
    new_only: bool = False,
) -> tuple[Person, bool]:
    """Register a resident or update them, idempotently by ID number through its blind index:
    the same number updates the same row, never a second one (issue 4 parts 1, 2 and 7).

    The ID number is checked by GB 11643 and fixes birth date and gender (a given gender or
    birth date must agree with it); the phone must be a mainland mobile. None leaves a field as
    it is (phone "" clears it). `tags` replace the tags the actor can see; sensitive tags the
    actor cannot see are kept. `region` defaults to the household's micro-grid. Relationship
    "户主" makes the person the household's head. Nothing changes when nothing differs.
    `new_only` registers a newcomer: no look-up first, the unique index refuses a number already
    registered as the row goes in (Conflict code REGISTERED, the transaction rolled back), and
    the caller says who holds it."""
    require_editor(actor)
    errors: dict[str, list[str]] = {}
    try:
        info = validate_id_number(id_number)
    except ValidationError as exc:
        info, errors["id_number"] = None, list(exc.messages)
    index = blind_index(info.number) if info else None
    person = None
    if index and not new_only:
        person = Person.unscoped.select_for_update().filter(id_number_index=index).first()
    if person and not rules.in_scope(actor, person.region):
        raise Conflict("该身份证号码已在您管辖范围以外登记，请联系其所在辖区处理。", code="outside_jurisdiction")
    given = dict(
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
    fields, phone_plain = rules.person_fields(actor, person, info, given, errors)
    chosen = rules.resolve_tags(actor, tags, errors) if tags is not None else None
    if errors:
        raise Invalid("人员信息有误，请检查标出的字段。", errors=errors)
    if person and version is not None and person.version != version:
        raise Conflict("该人员信息已被他人修改，请刷新后重试。", code="stale_version")
    created = person is None
    if created:
        person = Person(**fields, id_number_cipher=sm4_encrypt(info.number))
        if phone_plain:
            person.phone_cipher = sm4_encrypt(phone_plain)
        try:
            person.save()
        except IntegrityError:
            # The number is registered (a newcomer's, new_only) or being registered by another
            # clerk at this moment. No savepoint of its own (two round trips on every
            # registration): the refusal leaves this service's transaction, which rolls back to
            # where it began.
            code = REGISTERED if new_only else "duplicate"
            raise Conflict("同一身份证号码正在被同时登记，请稍后重试。", code=code) from None
        changed = ["created"]
    else:
        before_household = person.household
        changed = [key for key, value in fields.items() if getattr(person, key) != value]
        for key in changed:
            setattr(person, key, fields[key])
        if "phone_index" in changed:
            person.phone_cipher = sm4_encrypt(phone_plain) if phone_plain else ""
        if changed:
            person.version += 1
            person.save()
        if before_household and before_household != person.household:
            Household.objects.filter(pk=before_household.pk, head=person).update(head=None, version=F("version") + 1)
    if chosen is not None:
        hidden = [] if actor.has_perm("person.sensitive_tags") else list(person.tags.filter(sensitive=True))
        wanted = {tag.pk for tag in [*chosen, *hidden]}
        if created or wanted != set(person.tags.values_list("pk", flat=True)):
            person.tags.set(wanted)
            changed.append("tags")
    if person.household_id:  # conditional updates: the caller's household object may be stale
        home = Household.objects.filter(pk=person.household_id)
        if person.relationship == Person.HEAD:
            home.exclude(head=person).update(head=person, version=F("version") + 1)
        elif not created:  # a newcomer heads nothing yet
            home.filter(head=person).update(head=None, version=F("version") + 1)
    if not changed:
        return person, False
    detail = {"changed": sorted(set(changed) - {"id_number_index", "id_number_masked"}), "source": source}
    audit_as(actor, action="person_create" if created else "person_update", target=f"person:{person.pk}", detail=detail)
    return person, created


@transaction.atomic
def person_reveal(*, actor: Membership, person: Person, purpose: str, ip: str = "") -> dict[str, str]:
    """Show a resident's full ID number and phone, for a stated purpose, to roles holding
    person.reveal (API.md "Persons"; DESIGN §2.5: every reveal is logged with its purpose)."""
    require_permission(actor, "person.reveal")
    purpose = (purpose or "").strip()
    if not purpose:
        raise Invalid("请填写查看目的。", errors={"purpose": ["查看完整信息须说明目的，如“核实当事人身份”。"]})
    if len(purpose) > PURPOSE_MAX:
        raise Invalid("查看目的过长。", errors={"purpose": [f"最多 {PURPOSE_MAX} 个字。"]})
    revealed = {
        "id_number": sm4_decrypt(person.id_number_cipher) if person.id_number_cipher else "",
        "phone": sm4_decrypt(person.phone_cipher) if person.phone_cipher else "",
    }
    detail = {"name": person.name, "id_number_masked": person.id_number_masked}
    audit_as(actor, action="person_reveal", target=f"person:{person.pk}", purpose=purpose, ip=ip, detail=detail)
    return revealed


@transaction.atomic
def note_add(
    *,
    actor: Membership,
    text: str,
    happened_on: date,
    kind: str = ResidentNote.Kind.NOTE,
    person: Person | None = None,
    household: Household | None = None,
) -> ResidentNote:
    """Add a dated note or visit to the resident file (民情档案) of a person or a household in
    the actor's jurisdiction; the writer and their unit are kept with it."""
    require_permission(actor, "person.note")
    errors: dict[str, list[str]] = {}
    if (person is None) == (household is None):
        raise Invalid("请指定一个人员或一户。", code="invalid")
    if not rules.in_scope(actor, (person or household).region):
        raise Invalid(f"所选对象{rules.OUTSIDE}", errors={"target": [f"所选对象{rules.OUTSIDE}"]})
    text = (text or "").strip()
    if not text:
        errors["text"] = ["请填写内容。"]
    elif len(text) > 2000:
        errors["text"] = ["内容最多 2000 个字。"]
    if happened_on is None or happened_on > timezone.localdate():
        errors["happened_on"] = ["日期不能晚于今天。"]
    if kind not in ResidentNote.Kind.values:
        errors["kind"] = ["请选择记录或走访。"]
    if errors:
        raise Invalid("民情档案有误，请检查标出的字段。", errors=errors)
    note = ResidentNote.objects.create(
        person=person,
        household=household,
        kind=kind,
        happened_on=happened_on,
        text=text,
        author=actor.user,
        author_name=actor.user.name or actor.user.username,
        unit_name=actor.unit.name,
    )
    target = f"person:{person.pk}" if person else f"household:{household.pk}"
    audit_as(actor, action="resident_note_add", target=target, detail={"note": note.pk, "kind": kind})
    return note


@transaction.atomic
def household_police_contact_set(*, actor: Membership, household: Household, joined_on: date | None) -> Household:
    """Record that a household joined the police contact channel (警民联系, "户不漏人") on a day,
    or that it left (None)."""
    require_editor(actor)
    if not rules.in_scope(actor, household.region):
        raise Invalid(f"该户{rules.OUTSIDE}", errors={"household": [f"该户{rules.OUTSIDE}"]})
    if joined_on is not None and joined_on > timezone.localdate():
        raise Invalid("日期不能晚于今天。", errors={"joined_on": ["日期不能晚于今天。"]})
    Household.objects.filter(pk=household.pk).update(police_contact_on=joined_on, version=F("version") + 1)
    household.refresh_from_db()
    detail = {"joined_on": joined_on.isoformat() if joined_on else None}
    audit_as(actor, action="police_contact_set", target=f"household:{household.pk}", detail=detail)
    return household


@transaction.atomic
def defence_group_upsert(
    *,
    actor: Membership,
    region: Region,
    name: str,
    households: Sequence[Household],
    lead: Household,
    calls: Sequence[Person] = (),
) -> tuple[DefenceGroup, bool]:
    """Form or re-form a 十户联防 group in a grid or micro-grid: 10–15 households of that area
    (each in one group: joining moves it), a lead household among them, and an alert call list
    of their members in calling order. Found again by area and name."""
    require_editor(actor)
    name, ids = defence.check_group(actor, region=region, name=name, households=households, lead=lead, calls=calls)
    group, created = DefenceGroup.objects.select_for_update().get_or_create(
        region=region, name=name, defaults={"lead": lead}
    )
    if group.retired_at is not None:
        raise Conflict("该联防组已撤销，不能再修改。", code="retired", errors={"name": ["该联防组已撤销。"]})
    if not created:
        DefenceGroup.objects.filter(pk=group.pk).update(lead=lead, version=F("version") + 1)
        group.refresh_from_db()
    defence.place_households(group, ids, calls)
    detail = {"households": sorted(ids), "lead": lead.pk, "calls": [person.pk for person in calls]}
    audit_as(
        actor,
        action="defence_group_create" if created else "defence_group_update",
        target=f"defence_group:{group.pk}",
        detail=detail,
    )
    return group, created


@transaction.atomic
def patrol_team_upsert(*, actor: Membership, region: Region, name: str) -> tuple[PatrolTeam, bool]:
    """Set up a patrol team (群防群治巡逻队) of a village, grid or the town; found again by area and name."""
    require_editor(actor)
    errors: dict[str, list[str]] = {}
    levels = [Region.Level.TOWN, Region.Level.VILLAGE, Region.Level.GRID, Region.Level.MICROGRID]
    rules.check_region(actor, region, levels, errors, "region")
    name = (name or "").strip()
    if not name or len(name) > 50:
        errors["name"] = ["请填写队名（最多 50 个字）。"]
    if errors:
        raise Invalid("巡防队信息有误，请检查标出的字段。", errors=errors)
    team, created = PatrolTeam.objects.get_or_create(region=region, name=name)
    if created:
        audit_as(actor, action="patrol_team_create", target=f"patrol_team:{team.pk}")
    return team, created


@transaction.atomic
def patrol_member_upsert(
    *, actor: Membership, team: PatrolTeam, name: str, phone: str = "", unit: Unit | None = None, duty: str = ""
) -> tuple[PatrolMember, bool]:
    """Add a patrol force member or update them: found again in the team by phone (through its
    blind index) or, without a phone, by name. The phone is kept like a resident's."""
    require_editor(actor)
    errors: dict[str, list[str]] = {}
    if not rules.in_scope(actor, team.region):
        errors["team"] = [f"所选巡防队{rules.OUTSIDE}"]
    name = (name or "").strip()
    if not name or len(name) > 50:
        errors["name"] = ["请填写姓名（最多 50 个字）。"]
    plain = ""
    if (phone or "").strip():
        try:
            plain = validate_mobile(phone)
        except ValidationError as exc:
            errors["phone"] = list(exc.messages)
    if errors:
        raise Invalid("巡防队员信息有误，请检查标出的字段。", errors=errors)
    index = blind_index(plain) if plain else ""
    rows = PatrolMember.objects.select_for_update().filter(team=team)
    member = (rows.filter(phone_index=index) if plain else rows.filter(name=name, phone_index="")).first()
    created = member is None
    member = member or PatrolMember(team=team)
    member.name, member.unit, member.duty, member.is_active = name, unit, duty.strip()[:20], True
    member.phone_index, member.phone_masked = index, mask_phone(plain) if plain else ""
    member.phone_cipher = sm4_encrypt(plain) if plain else ""
    member.save()
    audit_as(
        actor, action="patrol_member_create" if created else "patrol_member_update", target=f"patrol_member:{member.pk}"
    )
    return member, created
