"""The fast path of applying an import: one batch of checked households in a handful of statements.

The outcome is the one household_upsert and person_upsert give row by row: households found again
by 户编号 and residents by ID number (blind index), a field that differs is written and the
version moves, the 关爱类别 column replaces the non-sensitive tags (sensitive ones are never
touched), the 户主 row heads its household, and a resident who moves away stops heading the old
one. Row by row costs about fifteen statements and an audit entry per resident; here a batch costs
about ten statements and one audit entry naming every resident it created or updated.

The caller runs a batch in a savepoint: if anything fails, nothing of the batch stays and the
caller applies it row by row through the services, which say what went wrong on which row."""

from django.db.models import F
from django.utils import timezone

from yimen.core.crypto import blind_index, sm4_encrypt
from yimen.core.identity import mask_id_number, mask_phone
from yimen.org.models import Membership
from yimen.org.services import audit_as
from yimen.people.import_rows import Row
from yimen.people.models import Household, Person, Tag

PERSON_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "relationship",
    "status",
    "address",
    "region_id",
    "household_id",
    "phone_index",
    "phone_masked",
)


def write_batch(*, actor: Membership, batch: list[list[Row]], care: dict[str, Tag], source: str) -> None:
    """Apply a batch of sound households (each a list of rows with its head); sets each row's
    status. Must run inside a transaction (the caller's savepoint)."""
    households = _households(batch)
    rows = [row for members in batch for row in members]
    persons, created, changed = _persons(rows, households)
    changed |= _care_tags(rows, persons, care)
    _heads(batch, persons, households)
    for row in rows:
        row.status = "已新增" if persons[row.number].pk in created else "已更新"
    detail = {"created": sorted(created), "updated": sorted(changed - created), "households": len(households)}
    audit_as(actor, action="person_import_batch", target=source, detail=detail)


def _households(batch: list[list[Row]]) -> dict[str, Household]:
    heads = {members[0].household_no: next(row for row in members if row.is_head) for members in batch}
    found = {h.number: h for h in Household.objects.select_for_update().filter(number__in=list(heads))}
    new, moved = [], []
    for number, head in heads.items():
        household = found.get(number)
        if household is None:
            found[number] = household = Household(number=number, region=head.region, address=head.address)
            new.append(household)
        elif (household.region_id, household.address) != (head.region.pk, head.address):
            household.region, household.address, household.version = head.region, head.address, household.version + 1
            household.updated_at = timezone.now()
            moved.append(household)
    Household.objects.bulk_create(new)
    Household.objects.bulk_update(moved, ["region", "address", "version", "updated_at"])
    return found


def _persons(rows: list[Row], households: dict[str, Household]) -> tuple[dict[int, Person], set[int], set[int]]:
    """Residents by sheet row; the pks created and the pks whose fields changed."""
    indexes = {row.number: blind_index(row.id_number) for row in rows}
    found = {
        p.id_number_index: p for p in Person.unscoped.select_for_update().filter(id_number_index__in=indexes.values())
    }
    persons, new, changed, left = {}, [], [], {}
    now = timezone.now()
    for row in rows:
        phone = row.fields["phone"]
        values = {
            **{key: row.fields[key] for key in ("name", "gender", "birth_date", "ethnicity", "relationship", "status")},
            "address": row.address,
            "region_id": row.region.pk,
            "household_id": households[row.household_no].pk,
            "phone_index": blind_index(phone) if phone else "",
            "phone_masked": mask_phone(phone) if phone else "",
        }
        person = found.get(indexes[row.number])
        if person is None:
            person = Person(
                **values,
                id_number_index=indexes[row.number],
                id_number_cipher=sm4_encrypt(row.id_number),
                id_number_masked=mask_id_number(row.id_number),
                phone_cipher=sm4_encrypt(phone) if phone else "",
            )
            new.append(person)
        elif differ := [key for key, value in values.items() if getattr(person, key) != value]:
            if "household_id" in differ and person.household_id:
                left[person.pk] = person.household_id
            if "phone_index" in differ:
                person.phone_cipher = sm4_encrypt(phone) if phone else ""
            for key in differ:
                setattr(person, key, values[key])
            person.version, person.updated_at = person.version + 1, now
            changed.append(person)
        persons[row.number] = person
    Person.objects.bulk_create(new)
    Person.objects.bulk_update(changed, [*PERSON_FIELDS, "phone_cipher", "version", "updated_at"])
    for person_pk, household_pk in left.items():  # a head who moved out heads the old household no more
        Household.objects.filter(pk=household_pk, head_id=person_pk).update(head=None, version=F("version") + 1)
    return persons, {p.pk for p in new}, {p.pk for p in changed}


def _care_tags(rows: list[Row], persons: dict[int, Person], care: dict[str, Tag]) -> set[int]:
    """Replace the non-sensitive tags of the rows that carry the column; the pks that changed."""
    wanted = {
        persons[row.number].pk: {care[name].pk for name in row.care_tags} for row in rows if row.care_tags is not None
    }
    links = Person.tags.through.objects
    current: dict[int, set[int]] = {pk: set() for pk in wanted}
    for person_pk, tag_pk in links.filter(person_id__in=wanted, tag__sensitive=False).values_list(
        "person_id", "tag_id"
    ):
        current[person_pk].add(tag_pk)
    differ = {pk for pk, tags in wanted.items() if tags != current[pk]}
    links.filter(person_id__in=differ, tag__sensitive=False).delete()
    links.bulk_create([links.model(person_id=pk, tag_id=tag) for pk in differ for tag in wanted[pk]])
    return differ


def _heads(batch: list[list[Row]], persons: dict[int, Person], households: dict[str, Household]) -> None:
    moved = []
    for members in batch:
        head = next(row for row in members if row.is_head)
        household = households[head.household_no]
        if household.head_id != persons[head.number].pk:
            household.head_id, household.version = persons[head.number].pk, household.version + 1
            moved.append(household)
    Household.objects.bulk_update(moved, ["head", "version"])
