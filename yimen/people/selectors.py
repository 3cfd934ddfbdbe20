"""Reads of the resident registry, always through visible_to(): a person, household or group
outside the member's jurisdiction answers exactly like one that does not exist (404), and
sensitive tags exist only for members who may see them."""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, JSONField, Max, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yimen.core.crypto import blind_index
from yimen.core.identity import phone_or_empty
from yimen.geo.models import Member, Region
from yimen.people.extensions import person_read
from yimen.people.models import (
    DefenceGroup,
    FraudAlert,
    Household,
    PatrolMember,
    Person,
    PoliceContact,
    ResidentNote,
    Tag,
    sees_sensitive_tags,
)

ID_NUMBER = re.compile(r"\d{17}[\dX]")
SUBSTRING_FROM = 3  # a name query this long also matches inside names (PostgreSQL: trigram index)


def tags_visible(member: Member) -> QuerySet[Tag]:
    return Tag.objects.visible_to(member)


def tag_get_visible(*, member: Member, key: str) -> Tag:
    """A tag by code or name; a sensitive one the member may not see is unknown (404)."""
    return get_object_or_404(tags_visible(member), Q(code=key) | Q(name=key))


TAG_COLUMNS = [field.attname for field in Tag._meta.concrete_fields]
# A person's tags as one JSON array, in the person's own statement: jsonb_agg on PostgreSQL
# (jsonb arrives as text, which JSONField decodes), json_group_array on SQLite.
_JSON_ARRAY = {"postgresql": ("JSONB_AGG", "JSONB_BUILD_OBJECT"), "sqlite": ("JSON_GROUP_ARRAY", "JSON_OBJECT")}


class _TagRows(JSONField):
    """A person's tags as the JSON array _with_visible_tags selects, read back as Tag objects in
    the tags' own order (SQLite before 3.44 cannot order inside an aggregate)."""

    def from_db_value(self, value, expression, connection) -> list[Tag]:
        rows = super().from_db_value(value, expression, connection) or []
        fields = [Tag._meta.get_field(name) for name in TAG_COLUMNS]
        tags = [
            Tag.from_db(connection.alias, TAG_COLUMNS, [field.to_python(row[field.attname]) for field in fields])
            for row in rows
        ]
        return sorted(tags, key=lambda tag: (tag.position, tag.code))


def _with_visible_tags(persons: QuerySet[Person], member: Member) -> QuerySet[Person]:
    # The tags the member may see (sees_sensitive_tags, the rule of Tag.objects.visible_to), in
    # the persons' own statement: the prefetch was a second round trip and a second compiled
    # query on every search (issue 15's benchmark: ID and phone ≤ 2 ms). Written out because the
    # ORM's correlated subquery cost as much to compile as the prefetch it replaced.
    aggregate, build = _JSON_ARRAY[connection.vendor]
    quote = connection.ops.quote_name
    pairs = ", ".join(f"'{name}', t.{quote(name)}" for name in TAG_COLUMNS)
    through = Person.tags.through._meta
    sql = (
        f"(SELECT {aggregate}({build}({pairs})) FROM {quote(Tag._meta.db_table)} t "  # noqa: S608
        f"JOIN {quote(through.db_table)} pt ON pt.{quote(through.get_field('tag').column)} = t.id "
        f"WHERE pt.{quote(through.get_field('person').column)} = {quote(Person._meta.db_table)}.id "
        "AND (%s OR NOT t.sensitive))"
    )
    # Names from the models and the one value bound as a parameter: nothing from outside.
    tags = RawSQL(sql, [sees_sensitive_tags(member)], output_field=_TagRows())  # noqa: S611
    return persons.annotate(visible_tags=tags)


def search_kind(q: str) -> tuple[str, str]:
    """What the one search box was given: ("id", number), ("phone", its normal form), ("name", text) or
    ("", "") for nothing."""
    text = re.sub(r"[\s-]", "", q or "")
    if ID_NUMBER.fullmatch(text.upper()):
        return "id", text.upper()
    if phone := phone_or_empty(text):
        return "phone", phone
    return ("name", (q or "").strip()) if text else ("", "")


def person_search(
    *, member: Member, q: str = "", region: Region | None = None, tag: Tag | None = None
) -> QuerySet[Person]:
    """Persons in the member's jurisdiction, narrowed by the search box, a region and a tag.

    A full ID number or phone is looked up by its blind index (one indexed equality, the value
    itself never reaches the database); a name matches exactly or as a prefix (two characters
    are enough; B-tree index), and from three characters also inside names."""
    persons = Person.objects.visible_to(member)
    kind, value = search_kind(q)
    if kind == "id":
        persons = persons.filter(id_number_index=blind_index(value))
    elif kind == "phone":
        persons = persons.filter(phone_index=blind_index(value))
    elif kind == "name" and len(value) >= SUBSTRING_FROM:
        persons = persons.filter(name__contains=value)
    elif kind == "name":
        persons = persons.filter(name__startswith=value)
    if region is not None:
        persons = persons.filter(region__path__startswith=region.path)
    if tag is not None:
        persons = persons.filter(tags=tag)
    persons = persons.select_related("region", "household").order_by("name", "id")
    return _with_visible_tags(persons, member)


def _cards(persons: QuerySet[Person], member: Member) -> QuerySet[Person]:
    return _with_visible_tags(persons.select_related("region", "household", "household__head"), member)


def person_get_visible(*, member: Member, person_id: int) -> Person:
    return get_object_or_404(_cards(Person.objects.visible_to(member), member), pk=person_id)


def person_get_readable(*, member: Member, person_id: int) -> Person:
    """A person the member may READ: one in their jurisdiction (person_get_visible), or one a
    registered reach lets them read beyond it (extensions.register_person_reach, e.g. a running
    会商 their unit is invited to), else 404. Read-only widening: editing, reveals, notes, tags
    and exports start from person_get_visible and keep the normal scope. A person found through
    a reach carries `reached = True` (the card then offers no action) and the read hooks
    (extensions.register_person_read) hear of each such read."""
    person = _cards(Person.objects.visible_to(member), member).filter(pk=person_id).first()
    if person is not None:
        person.reached = False
        return person
    person = _cards(Person.objects.visible_to(member, reached=True), member).filter(pk=person_id).first()
    if person is None:
        raise Http404
    person.reached = True
    person_read(member, person)
    return person


def household_get_visible(*, member: Member, household_id: int) -> Household:
    households = Household.objects.visible_to(member).select_related("region", "head", "defence_group")
    return get_object_or_404(households, pk=household_id)


def household_members(*, member: Member, household: Household) -> list[Person]:
    persons = Person.objects.visible_to(member).filter(household=household).order_by("-relationship", "birth_date")
    members = list(_with_visible_tags(persons, member))
    # The head first, then by age; "户主" does not sort first on every collation.
    return sorted(members, key=lambda p: p.pk != household.head_id)


def notes_for_person(*, person: Person) -> QuerySet[ResidentNote]:
    return person.notes.order_by("-happened_on", "-id")


def notes_for_household(*, household: Household, members: list[Person]) -> QuerySet[ResidentNote]:
    """The household's own notes and its visible members' (the card shows the whole file)."""
    notes = ResidentNote.objects.filter(Q(household=household) | Q(person__in=[person.pk for person in members]))
    return notes.select_related("person").order_by("-happened_on", "-id")


def roster(*, member: Member, region: Region) -> QuerySet[Household]:
    """The households of a micro-grid or grid, for the grid worker's rounds: head, size and
    police contact, one query per page whatever its length."""
    households = Household.objects.visible_to(member).filter(region__path__startswith=region.path)
    return (
        households.select_related("region", "head")
        .annotate(size=Count("members"))
        .order_by("region__code", "address", "id")
    )


@dataclass
class Coverage:
    """隆回微警 coverage of a region: households in police contact (户不漏人) and active residents
    contacted by an officer (人), with the same figures for each child region."""

    region: Region
    households: int = 0
    joined: int = 0
    persons: int = 0
    counted_at: datetime | None = None
    contacted: int = 0
    children: list["Coverage"] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return self.households - self.joined

    @property
    def rate(self) -> float | None:
        return self.joined / self.households if self.households else None

    @property
    def persons_missing(self) -> int:
        return self.persons - self.contacted

    @property
    def persons_rate(self) -> float | None:
        return self.contacted / self.persons if self.persons else None

    def add(self, households: int, joined: int, persons: int, contacted: int) -> None:
        self.households += households
        self.joined += joined
        self.persons += persons
        self.contacted += contacted


def _active(persons: QuerySet[Person]) -> QuerySet[Person]:
    return persons.exclude(status__in=Person.LEFT)


# A town's coverage counts a million residents (about a second); above the village level the
# figures are kept this long, keyed also by the newest person, household and contact, so a
# registration or a contact shows at once and only other changes wait for the next count.
COVERAGE_CACHED_AT = {Region.Level.PROVINCE, Region.Level.CITY, Region.Level.COUNTY, Region.Level.TOWN}
COVERAGE_SECONDS = 300


def _coverage_counts(member: Member, paths: dict[int, str]) -> dict[int, list[int]]:
    """[households, joined, persons, contacted] per micro-grid id of the subtree."""
    per_region: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    households = (
        Household.objects.visible_to(member)
        .filter(region_id__in=paths)
        .order_by()
        .values("region_id")
        .annotate(total=Count("region_id"), joined=Count("police_contact_on"))
    )
    for row in households:
        per_region[row["region_id"]][0:2] = [row["total"], row["joined"]]
    persons = (
        _active(Person.objects.visible_to(member).filter(region_id__in=paths))
        .order_by()
        .values("region_id")
        .annotate(total=Count("region_id"), contacted=Count("police_contact_on"))
    )
    for row in persons:
        per_region[row["region_id"]][2:4] = [row["total"], row["contacted"]]
    return dict(per_region)


def _coverage_key(region: Region) -> str:
    newest = [
        model.aggregate(top=Max("pk"))["top"] or 0
        for model in (Person.unscoped, Household.objects, PoliceContact.objects)
    ]
    return f"people:coverage:{region.code}:{':'.join(map(str, newest))}"


def coverage(*, member: Member, region: Region) -> Coverage:
    """Police-contact coverage (警民联系, 乡不漏村、村不漏组、组不漏户、户不漏人) of a region and of
    each visible child, by households and by active residents: two grouped queries by micro-grid
    id over the subtree, rolled up by path in Python, however many children there are. They count
    indexed columns only (COUNT of a date counts its non-null values), so PostgreSQL answers from
    the indexes (household_contact, person_contact) without reading the rows. A town or larger
    region is kept COVERAGE_SECONDS (the page says when it was counted); the region lies within
    the member's jurisdiction, so its figures are the same for everyone who may open it."""
    paths = dict(Region.objects.filter(path__startswith=region.path).values_list("pk", "path"))
    if region.level in COVERAGE_CACHED_AT and member.has_perm("person.view"):
        counted = cache.get_or_set(
            _coverage_key(region),
            lambda: (timezone.now(), _coverage_counts(member, paths)),
            COVERAGE_SECONDS,
        )
    else:
        counted = (timezone.now(), _coverage_counts(member, paths))
    # Special grids (school, market …) have no households of their own: no row for them.
    children = Region.objects.visible_to(member).filter(parent=region).exclude(level=Region.Level.SPECIAL)
    top = Coverage(region=region, children=[Coverage(region=child) for child in children.order_by("code")])
    top.counted_at = counted[0]
    for region_id, figures in counted[1].items():
        top.add(*figures)
        path = paths.get(region_id, "")
        for child in top.children:
            if path.startswith(child.region.path):
                child.add(*figures)
    return top


def coverage_missing(*, member: Member, region: Region) -> QuerySet[Household]:
    """The households of a region not yet in police contact, for the grid worker to visit."""
    return roster(member=member, region=region).filter(police_contact_on__isnull=True)


def persons_uncontacted(*, member: Member, region: Region) -> QuerySet[Person]:
    """Active residents of a region no officer has contacted yet, by micro-grid, household and
    age (the community police's list to work through, 户不漏人): one query per page, masked
    phones only."""
    persons = _active(Person.objects.visible_to(member).filter(region__path__startswith=region.path))
    return (
        persons.filter(police_contact_on__isnull=True)
        .select_related("region", "household")
        .order_by("region__code", "household_id", "birth_date", "id")
    )


def police_contacts(*, person: Person) -> QuerySet:
    """A person's police contacts, newest first (the card's 警民联系 panel)."""
    return person.police_contacts.order_by("-contacted_on", "-id")


def fraud_alerts_visible(member: Member) -> QuerySet[FraudAlert]:
    """Alerts sent to a region of the member's jurisdiction, newest first."""
    path = member.jurisdiction.path if member.has_perm("fraud.alert") else None
    if path is None:
        return FraudAlert.objects.none()
    alerts = FraudAlert.objects.filter(region__path__startswith=path).select_related("region", "tag")
    return alerts.order_by("-created_at", "-id")


def fraud_alert_get_visible(*, member: Member, alert_id: int) -> FraudAlert:
    return get_object_or_404(fraud_alerts_visible(member), pk=alert_id)


@dataclass
class Reach:
    village: Region
    recipients: int = 0
    sent: int = 0
    delivered: int = 0
    acknowledged: int = 0
    failed: int = 0


def alert_reach(*, alert: FraudAlert) -> list[Reach]:
    """An alert's reach per village (sent, delivered, acknowledged): one grouped query; counts
    only, never a phone number."""
    rows = (
        alert.deliveries.order_by()
        .values("village_id")
        .annotate(
            recipients=Count("id"),
            sent=Count("id", filter=Q(sent_at__isnull=False)),
            delivered=Count("id", filter=Q(delivered_at__isnull=False)),
            acknowledged=Count("id", filter=Q(acknowledged_at__isnull=False)),
            failed=Count("id", filter=~Q(failed="")),
        )
    )
    figures = {row.pop("village_id"): row for row in rows}
    villages = Region.objects.filter(pk__in=figures).order_by("code")
    return [Reach(village=village, **figures[village.pk]) for village in villages]


def alert_deliveries(*, alert: FraudAlert, village: Region | None = None) -> QuerySet:
    """The recipients of an alert for the officer to mark acknowledged: names and villages,
    no phone."""
    rows = alert.deliveries.select_related("person", "village")
    if village is not None:
        rows = rows.filter(village=village)
    return rows.order_by("village__code", "acknowledged_at", "person__name", "id")


def defence_group_get_visible(*, member: Member, group_id: int) -> DefenceGroup:
    groups = DefenceGroup.objects.visible_to(member).select_related("region", "lead")
    return get_object_or_404(groups, pk=group_id)


def defence_groups(
    *, member: Member, region: Region | None = None, retired: bool | None = False
) -> QuerySet[DefenceGroup]:
    """十户联防 groups in the member's jurisdiction (or a region of it), active ones by default
    (retired=True: only the retired; None: both), with households and call list in three
    queries whatever the number of groups."""
    groups = DefenceGroup.objects.visible_to(member)
    if region is not None:
        groups = groups.filter(region__path__startswith=region.path)
    if retired is not None:
        groups = groups.filter(retired_at__isnull=not retired)
    households = Household.objects.order_by("id")
    return (
        groups.select_related("region", "lead")
        .prefetch_related(Prefetch("households", queryset=households), "calls__person")
        .order_by("region__code", "id")  # in order of forming: 第1组 … 第10组, not 第1组, 第10组, 第2组
    )


@dataclass
class GroupCard:
    group: DefenceGroup
    households: list[Household]
    calls: list = field(default_factory=list)
    patrol: list[PatrolMember] = field(default_factory=list)


def defence_group_card(*, member: Member, group: DefenceGroup) -> GroupCard:
    """A 十户联防 group with its households, call list and the patrol members covering its area."""
    households = list(roster(member=member, region=group.region).filter(defence_group=group))
    calls = list(group.calls.select_related("person", "person__household").order_by("position"))
    covering = [*group.region.ancestor_codes, group.region.code]
    patrol = list(
        PatrolMember.objects.filter(is_active=True, team__region__code__in=covering)
        .select_related("team", "unit")
        .order_by("team__name", "name")
    )
    return GroupCard(group=group, households=households, calls=calls, patrol=patrol)


def grouped_by_region(households: list[Household]) -> dict[Region, list[Household]]:
    """A page of the roster split by micro-grid, in order."""
    groups: dict[Region, list[Household]] = defaultdict(list)
    for household in households:
        groups[household.region].append(household)
    return dict(groups)


def microgrids_visible(member: Member) -> list[tuple[str, str]]:
    """The micro-grids a member may file residents and households under, as form choices."""
    rows = Region.objects.filter(level=Region.Level.MICROGRID, path__startswith=member.jurisdiction.path)
    return [(code, name) for code, name in rows.order_by("code").values_list("code", "name")]


def tag_history(*, member: Member, person: Person) -> QuerySet:
    """The person's tag changes, newest first, only of tags the member may see (a sensitive
    tag's history is as absent as the tag)."""
    return person.tag_changes.filter(tag__in=tags_visible(member)).select_related("tag").order_by("-at", "-id")
