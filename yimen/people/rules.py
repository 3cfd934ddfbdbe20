"""Checks the registry's services share: scope, levels, tags and a person's fields. They only
read and collect Chinese field messages; the services decide and write."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Q

from yimen.core.crypto import blind_index
from yimen.core.identity import IdNumberInfo, mask_id_number, mask_phone, validate_mobile
from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.people.models import Person, Tag

OUTSIDE = "不存在或不在您的管辖范围内。"


def in_scope(actor: Membership, region: Region | None) -> bool:
    return region is not None and region.path.startswith(actor.jurisdiction.path)


def check_region(actor: Membership, region: Region | None, levels: Iterable[str], errors: dict, field: str) -> None:
    if not in_scope(actor, region):
        errors.setdefault(field, []).append(f"所选区域{OUTSIDE}")
    elif region.level not in levels:
        names = "、".join(str(Region.Level(level).label) for level in levels)
        errors.setdefault(field, []).append(f"请选择{names}。")


def resolve_tags(actor: Membership, keys: Iterable[str], errors: dict) -> list[Tag]:
    """Tags by code or name, among those the actor may see: a hidden one is as unknown as a typo."""
    wanted = {key.strip() for key in keys if key and key.strip()}
    found = list(Tag.objects.visible_to(actor).filter(Q(code__in=wanted) | Q(name__in=wanted)))
    unknown = wanted - {t.code for t in found} - {t.name for t in found}
    if unknown:
        errors.setdefault("tags", []).append(f"未知的标签：{'、'.join(sorted(unknown))}。")
    return found


def choice(value: str, choices: type, field: str, errors: dict) -> str:
    """A TextChoices value given as its code or its Chinese label ("M" or "男")."""
    for code, label in choices.choices:
        if value in (code, label):
            return code
    allowed = "、".join(label for _, label in choices.choices)
    errors.setdefault(field, []).append(f"取值不在允许范围内，可选：{allowed}。")
    return ""


def person_fields(
    actor: Membership, person: Person | None, info: IdNumberInfo | None, given: dict, errors: dict
) -> tuple[dict, str | None]:
    """Validate what person_upsert was given: the model fields to set, and the plain phone to
    encrypt (None: leave the phone as it is, "": clear it)."""
    fields: dict = {}
    name = (given["name"] or "").strip()
    if not name or len(name) > 50:
        errors["name"] = ["请填写姓名（最多 50 个字）。"]
    fields["name"] = name
    if info:
        fields.update(birth_date=info.birth_date, gender=info.gender)
        fields.update(id_number_index=blind_index(info.number), id_number_masked=mask_id_number(info.number))
        if given["gender"] and choice(given["gender"], Person.Gender, "gender", errors) not in ("", info.gender):
            errors["gender"] = ["性别与身份证号码第 17 位不一致（奇数为男，偶数为女）。"]
        if given["birth_date"] and given["birth_date"] != info.birth_date:
            errors["birth_date"] = ["出生日期与身份证号码中的出生日期不一致。"]
    phone = None
    if given["phone"] is not None:
        phone = ""
        if given["phone"].strip():
            try:
                phone = validate_mobile(given["phone"])
            except ValidationError as exc:
                errors["phone"] = list(exc.messages)
        fields.update(phone_index=blind_index(phone) if phone else "", phone_masked=mask_phone(phone) if phone else "")
    if given["status"]:
        fields["status"] = choice(given["status"], Person.Status, "status", errors)
    for key in ("ethnicity", "relationship", "address"):
        if given[key] is not None:
            fields[key] = given[key].strip()[: Person._meta.get_field(key).max_length]
    household, region = given["household"], given["region"]
    if household is not None:
        if not in_scope(actor, household.region):
            errors["household"] = [f"所选户{OUTSIDE}"]
        fields["household"] = household
    region = region or (household.region if household else None) or (person.region if person else None)
    if region is None:
        errors["region"] = ["请选择居住微网格。"]
    else:
        check_region(actor, region, [Region.Level.MICROGRID], errors, "region")
        fields["region"] = region
    return fields, phone
