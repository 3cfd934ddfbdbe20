"""Demo residents of 才湾镇 (DESIGN §9, issue 4 part 9): ~9,000 households and ~30,000 residents
over the 333 micro-grids, families as in a hill town of 全州 (parents away working in 广东,
grandparents raising the children), a few care and sensitive tags, police contact near 85% with
its gaps clustered in some grids, 十户联防 groups and the 308-person patrol force.

Deterministic for a seed; bulk inserts with primary keys chosen up front (the household ↔ head and
group ↔ lead links need no second pass), ID numbers and phones encrypted in Python. Seeding is not
a clerk's action and writes no audit entries. Once the town has residents, re-running changes nothing."""

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from yimen.core.crypto import blind_index, sm4_encrypt
from yimen.core.demo_names import SURNAMES
from yimen.core.identity import id_check_digit, mask_id_number, mask_phone
from yimen.geo.models import Region
from yimen.org.models import Membership, Unit
from yimen.org.roles import Role
from yimen.people.models import (
    DefenceCall,
    DefenceGroup,
    Household,
    PatrolMember,
    PatrolTeam,
    Person,
    PoliceContact,
    Tag,
)

AGES_ON = date(2026, 1, 1)  # ages are reckoned on this day, so the town is the same whenever built
COUNTY_PREFIX = "450324"  # 全州县
MALE_GIVEN = "建国明华军平海林春生德永志庆祥东文斌杰涛勇辉强伟鹏俊峰"
FEMALE_GIVEN = "红英兰芳秀云春桂丽娟萍静雪梅华玲燕霞琴凤"
# (archetype, weight): the shape of a household; see _family()
ARCHETYPES = [
    ("nuclear", 38),
    ("three_generations", 17),
    ("left_behind", 8),
    ("elderly_couple", 12),
    ("elderly_alone", 6),
    ("single", 8),
    ("young_couple", 7),
    ("floating", 4),
]
SENSITIVE_PER_9000 = {"community_correction": 4, "severe_mental_disorder": 9, "key_petitioner": 5, "drug_user": 3}
GAP_GRID_SHARE = 0.14  # grids where police contact lags (the gaps the coverage page shows)
BATCH = 2000
AWAY_IF = {True: Person.Status.AWAY, False: Person.Status.RESIDENT}


@dataclass
class Member:
    name: str
    gender: str
    age: int
    relationship: str
    status: str = Person.Status.RESIDENT
    tags: list[str] = field(default_factory=list)
    birth: date | None = None
    id_number: str = ""
    phone: str = ""
    pk: int = 0


@dataclass
class Home:
    region: Region
    number: str
    address: str
    members: list[Member]
    ethnicity: str = "汉族"
    contact_on: date | None = None
    group: int | None = None
    pk: int = 0


@dataclass
class DemoResidents:
    households: int
    persons: int
    tagged: int
    contact_rate: float
    groups: int
    patrol: int
    seconds: float
    skipped: bool = False


class _Family:
    """Names and ages for one household, in one village's clans."""

    def __init__(self, rng: random.Random, clans: str):
        self.rng, self.clans = rng, clans

    def surname(self) -> str:
        return self.rng.choice(self.clans) if self.rng.random() < 0.7 else self.rng.choice(SURNAMES)

    def given(self, gender: str) -> str:
        chars = MALE_GIVEN if gender == "M" else FEMALE_GIVEN
        return self.rng.choice(chars) + (self.rng.choice(chars) if self.rng.random() < 0.8 else "")

    def person(self, surname: str, gender: str, age: int, relationship: str, **extra) -> Member:
        return Member(f"{surname}{self.given(gender)}", gender, max(0, min(age, 98)), relationship, **extra)

    def children(self, surname: str, parent_age: int, count: int, *, away_adults: float = 0.45) -> list[Member]:
        kids = []
        for _ in range(count):
            gender = self.rng.choice("MF")
            age = parent_age - self.rng.randint(22, 34)
            if age < 0:
                continue
            away = age >= 18 and self.rng.random() < away_adults
            kids.append(self.person(surname, gender, age, "子" if gender == "M" else "女", status=AWAY_IF[away]))
        return kids


def _family(kind: str, f: _Family) -> list[Member]:
    rng, surname = f.rng, f.surname()
    if kind == "floating":
        age = rng.randint(20, 48)
        head = f.person(f.surname(), rng.choice("MF"), age, Person.HEAD, status=Person.Status.FLOATING)
        spouse = f.person(f.surname(), "F" if head.gender == "M" else "M", age + rng.randint(-4, 4), "配偶")
        others = [spouse] if rng.random() < 0.6 else []
        if rng.random() < 0.4:
            others += f.children(head.name[0], age, 1, away_adults=0)
        for member in others:
            member.status = Person.Status.FLOATING
        return [head, *others]
    if kind in ("single", "elderly_alone"):
        age = rng.randint(20, 45) if kind == "single" else rng.randint(66, 93)
        away = kind == "single" and rng.random() < 0.35
        head = f.person(surname, "M" if rng.random() < 0.6 else "F", age, Person.HEAD, status=AWAY_IF[away])
        if kind == "elderly_alone":
            head.tags.append("living_alone")
            if rng.random() < 0.3:
                head.tags.append("left_behind_elderly")
        return [head]
    ages = {
        "nuclear": (28, 56),
        "three_generations": (34, 55),
        "left_behind": (56, 74),
        "elderly_couple": (60, 86),
        "young_couple": (22, 31),
    }[kind]
    age = rng.randint(*ages)
    head = f.person(surname, "M", age, Person.HEAD)
    family = [head, f.person(f.surname(), "F", age + rng.randint(-5, 2), "配偶")]
    if kind == "nuclear":
        head.status = AWAY_IF[rng.random() < 0.2]
        family += f.children(surname, age, rng.choice((1, 1, 2, 2, 2, 3)))
    elif kind == "young_couple":
        family += f.children(surname, age, 1) if rng.random() < 0.5 else []
    elif kind == "three_generations":
        family += f.children(surname, age, rng.choice((1, 2, 2)))
        elder = age + rng.randint(23, 33)
        for relationship, gender in (("父亲", "M"), ("母亲", "F")):
            if rng.random() < 0.65:
                family.append(f.person(surname if gender == "M" else f.surname(), gender, elder, relationship))
    elif kind == "left_behind":  # grandparents raise the children of a son working away
        son_age = age - rng.randint(23, 30)
        family.append(f.person(surname, "M", son_age, "子", status=Person.Status.AWAY))
        family.append(f.person(f.surname(), "F", son_age - rng.randint(0, 3), "儿媳", status=Person.Status.AWAY))
        for _ in range(rng.choice((1, 2, 2))):
            gender, age_child = rng.choice("MF"), min(son_age - rng.randint(20, 30), 15)
            child = f.person(surname, gender, age_child, "孙子" if gender == "M" else "孙女")
            child.tags.append("left_behind_child")
            family.append(child)
        for elder in family[:2]:
            if elder.age >= 60:
                elder.tags.append("left_behind_elderly")
    elif kind == "elderly_couple" and rng.random() < 0.25:
        for elder in family:
            elder.tags.append("left_behind_elderly")
    return family


def _birth(rng: random.Random, age: int) -> date:
    return date(AGES_ON.year - age - 1, 1, 1) + timedelta(days=rng.randint(0, 364))


class _Numbers:
    """Unique synthetic ID numbers (450324 + birth date + serial + GB 11643 check character, the
    serial odd for men) and phones in the 199-00 demo block above the staff's 1990000xxxx."""

    def __init__(self):
        self.serials: dict[tuple[date, str], int] = defaultdict(int)
        self.phones = 0

    def id_number(self, birth: date, gender: str) -> str:
        k = self.serials[(birth, gender)]
        self.serials[(birth, gender)] += 1
        first17 = f"{COUNTY_PREFIX}{birth:%Y%m%d}{k * 2 + (1 if gender == 'M' else 0):03d}"
        return first17 + id_check_digit(first17)

    def phone(self) -> str:
        self.phones += 1
        return f"19900{10000 + self.phones:06d}"


def _wants_phone(rng: random.Random, age: int) -> bool:
    return rng.random() < (0.0 if age < 14 else 0.3 if age < 18 else 0.93 if age < 70 else 0.5)


def _plan(microgrids: list[Region], households: int, rng: random.Random) -> list[Home]:
    """Households per micro-grid (busier in the town seat), each with its family."""
    weights = [rng.uniform(0.6, 1.4) * (1.6 if "社区" in m.name else 1.0) for m in microgrids]
    scale = households / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in rng.sample(range(len(microgrids)), households - sum(counts)):
        counts[i] += 1
    kinds, kind_weights = zip(*ARCHETYPES, strict=True)
    homes, clans_of = [], {}
    for micro, count in zip(microgrids, counts, strict=True):
        village = micro.path.split("/")[4]
        clans = clans_of.setdefault(village, "".join(rng.sample(SURNAMES[:12], 2)))
        group = int(micro.code[-2:]) + 10 * (int(micro.code[-4:-2]) - 1)  # 村民小组 by grid and micro-grid
        family = _Family(rng, clans)
        for n in range(1, count + 1):
            kind = rng.choices(kinds, kind_weights)[0]
            address = f"{micro.parent.parent.name}{group}组{n}号"
            ethnicity = rng.choices(("汉族", "瑶族", "壮族"), (96, 3, 1))[0]
            homes.append(Home(micro, f"{micro.code}{n:03d}", address, _family(kind, family), ethnicity))
    return homes


def _contacts(homes: list[Home], rng: random.Random) -> None:
    """Police contact near 85%: most grids almost covered, a few (clustered) far behind."""
    grids = sorted({home.region.parent_id for home in homes})
    gaps = set(rng.sample(grids, max(1, round(len(grids) * GAP_GRID_SHARE)))) if len(grids) > 1 else set()
    rate_of: dict[int, float] = {}
    for home in homes:
        low, high = (0.3, 0.6) if home.region.parent_id in gaps else (0.87, 0.99)
        rate = rate_of.setdefault(home.region.pk, rng.uniform(low, high))
        if home.members[0].status == Person.Status.FLOATING:
            rate /= 2
        if rng.random() < rate:
            home.contact_on = date(2023, 3, 1) + timedelta(days=rng.randint(0, 1000))


def _tag_sensitive(people: list[Member], households: int, rng: random.Random) -> None:
    adults = [m for m in people if 18 <= m.age <= 70]
    for code, per_9000 in SENSITIVE_PER_9000.items():
        for member in rng.sample(adults, min(len(adults), max(1, round(per_9000 * households / 9000)))):
            member.tags.append(code)
    for member in people:
        if rng.random() < (0.045 if member.age >= 60 else 0.01):
            member.tags.append("disabled")


def _next_pk(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _identify(homes: list[Home], rng: random.Random) -> None:
    """Birth dates, ID numbers, phones and primary keys for everyone, in plan order."""
    numbers = _Numbers()
    household_pk, person_pk = _next_pk(Household), _next_pk(Person)
    for home in homes:
        home.pk, household_pk = household_pk, household_pk + 1
        for member in home.members:
            member.pk, person_pk = person_pk, person_pk + 1
            member.birth = _birth(rng, member.age)
            member.id_number = numbers.id_number(member.birth, member.gender)
            member.phone = numbers.phone() if _wants_phone(rng, member.age) else ""


def _officer(town: Region) -> Membership | None:
    """The community police officer of the town's station who records the demo's contacts."""
    officers = Membership.objects.filter(
        unit__kind=Unit.Kind.POLICE, role=Role.HANDLER, is_active=True, jurisdiction__path__startswith=town.path
    )
    return officers.select_related("user", "unit").order_by("user__username").first()


def _police_contacts(homes: list[Home], officer: Membership) -> list[PoliceContact]:
    """隆回微警 "户不漏人": in a household that joined police contact every member is a contact of
    the station (a WeChat friend when they have a phone, met on the household visit when they
    have none; the friend request carries the ID check, a visit does not), so the coverage
    page's residents and the officer's work list count the same people: those of the households
    not yet joined."""
    name, unit = officer.user.name or officer.user.username, officer.unit.name
    contacts = []
    for home in homes:
        if home.contact_on is None:
            continue
        for m in home.members:
            contacts.append(
                PoliceContact(
                    person_id=m.pk,
                    officer=officer,
                    officer_name=name,
                    unit_name=unit,
                    channel=PoliceContact.Channel.WECHAT if m.phone else PoliceContact.Channel.VISIT,
                    contacted_on=home.contact_on,
                    verified=bool(m.phone),
                )
            )
    return contacts


def _write(homes: list[Home]) -> None:
    """Households, persons and their tags in bulk; ID numbers and phones encrypted here."""
    tag_ids = dict(Tag.objects.values_list("code", "pk"))
    households, persons, links = [], [], []
    for home in homes:
        household = Household(
            pk=home.pk,
            number=home.number,
            region=home.region,
            address=home.address,
            head_id=home.members[0].pk,
            police_contact_on=home.contact_on,
            defence_group_id=home.group,
        )
        households.append(household)
        for m in home.members:
            person = Person(
                pk=m.pk,
                name=m.name,
                gender=m.gender,
                birth_date=m.birth,
                ethnicity=home.ethnicity,
                id_number_cipher=sm4_encrypt(m.id_number),
                id_number_index=blind_index(m.id_number),
                id_number_masked=mask_id_number(m.id_number),
                household_id=home.pk,
                relationship=m.relationship,
                region=home.region,
                status=m.status,
                address=home.address,
                police_contact_on=home.contact_on,  # each member's contact is written with the household's
            )
            if m.phone:
                person.phone_cipher, person.phone_index = sm4_encrypt(m.phone), blind_index(m.phone)
                person.phone_masked = mask_phone(m.phone)
            persons.append(person)
            links += [Person.tags.through(person_id=m.pk, tag_id=tag_ids[code]) for code in m.tags]
    Household.objects.bulk_create(households, batch_size=BATCH)
    Person.objects.bulk_create(persons, batch_size=BATCH)
    Person.tags.through.objects.bulk_create(links, batch_size=BATCH)


def _group_sizes(count: int, rng: random.Random) -> list[int]:
    """Split a grid's households, in street order, into groups of 10–15 (a remainder of 6–9
    houses stays outside any group, as in life)."""
    low, high = DefenceGroup.MIN_HOUSEHOLDS, DefenceGroup.MAX_HOUSEHOLDS
    sizes, remaining = [], count
    while remaining >= low:
        if remaining <= high:
            size = remaining
        else:
            size = low if remaining < 2 * low else rng.randint(low, min(high, remaining - low))
        sizes.append(size)
        remaining -= size
    return sizes


def _groups(homes: list[Home], rng: random.Random) -> tuple[list[DefenceGroup], list[DefenceCall]]:
    """十户联防: neighbouring households of each grid, a lead household (covered by police
    contact where possible) and a call list: the lead's head first, then one adult per house."""
    by_grid: dict[int, list[Home]] = defaultdict(list)
    for home in homes:
        by_grid[home.region.parent_id].append(home)
    group_pk = _next_pk(DefenceGroup)
    groups, calls = [], []
    for grid_homes in by_grid.values():
        start = 0
        for n, size in enumerate(_group_sizes(len(grid_homes), rng), start=1):
            members = grid_homes[start : start + size]
            start += size
            lead = next((h for h in members if h.contact_on), members[0])
            grid = lead.region.parent
            groups.append(DefenceGroup(pk=group_pk, name=f"十户联防第{n}组", region=grid, lead_id=lead.pk))
            order = [lead, *(h for h in members if h is not lead)]
            for position, home in enumerate(order, start=1):
                home.group = group_pk
                adults = (m for m in home.members if m.status == Person.Status.RESIDENT and m.age >= 18)
                caller = next(adults, home.members[0])
                calls.append(DefenceCall(group_id=group_pk, position=position, person_id=caller.pk))
            group_pk += 1
    return groups, calls


def _patrol(town: Region, homes: list[Home], size: int, rng: random.Random) -> tuple[list[PatrolTeam], list]:
    """The 308-person joint-defence and patrol force: a town team under the police station and
    one team per village under its committee, drawn from able residents with a phone."""
    villages = list(town.children.filter(level=Region.Level.VILLAGE).order_by("code"))
    units = {u.region_id: u for u in Unit.objects.filter(region__in=[town, *villages], kind__in=["police", "village"])}
    able = defaultdict(list)
    for home in homes:
        for member in home.members:
            if member.status == Person.Status.RESIDENT and 20 <= member.age <= 60 and member.phone:
                able[home.region.path.split("/")[4]].append(member)
    town_share = max(1, size // 16)
    teams = [PatrolTeam(name=f"{town.name}平安志愿巡防队", region=town)]
    teams += [PatrolTeam(name=f"{village.name}治安巡逻队", region=village) for village in villages]
    quota = (
        [town_share]
        + [
            (size - town_share) // len(villages) + (i < (size - town_share) % len(villages))
            for i in range(len(villages))
        ]
        if villages
        else [size]
    )
    members, chosen = [], set()
    for team, count in zip(teams, quota, strict=False):
        pool = able.get(team.region.code) or [m for ms in able.values() for m in ms]
        pool = [m for m in pool if m.pk not in chosen]
        for i, person in enumerate(rng.sample(pool, min(count, len(pool)))):
            chosen.add(person.pk)
            duty = "队长" if i == 0 else "副队长" if i == 1 else "队员"
            member = PatrolMember(
                team=team,
                name=person.name,
                unit=units.get(team.region.pk),
                duty=duty,
                phone_cipher=sm4_encrypt(person.phone),
                phone_index=blind_index(person.phone),
                phone_masked=mask_phone(person.phone),
            )
            members.append(member)
    return teams, members


@transaction.atomic
def build_demo_residents(
    *, town: Region, households: int = 9000, patrol: int = 308, seed: int = 450324106
) -> DemoResidents:
    """Fill the demo town with residents (see the module docstring); a town that has residents
    already is left as it is."""
    started = time.perf_counter()
    if Person.unscoped.filter(region__path__startswith=town.path).exists():
        return _summary(town, started, skipped=True)
    rng = random.Random(seed)
    microgrids = list(
        Region.objects.filter(level=Region.Level.MICROGRID, path__startswith=town.path)
        .select_related("parent__parent")
        .order_by("code")
    )
    homes = _plan(microgrids, households, rng)
    _identify(homes, rng)
    officer = _officer(town)
    if officer is not None:  # a contact is always some officer's: a town without a station has none yet
        _contacts(homes, rng)
    _tag_sensitive([m for home in homes for m in home.members], households, rng)
    groups, calls = _groups(homes, rng)
    DefenceGroup.objects.bulk_create(groups, batch_size=BATCH)
    _write(homes)
    DefenceCall.objects.bulk_create(calls, batch_size=BATCH)
    if officer is not None:
        PoliceContact.objects.bulk_create(_police_contacts(homes, officer), batch_size=BATCH)
    teams, members = _patrol(town, homes, patrol, rng)
    PatrolTeam.objects.bulk_create(teams)
    for member in members:
        member.team_id = member.team.pk  # the teams have their keys now
    PatrolMember.objects.bulk_create(members)
    with connection.cursor() as cursor:  # keys were chosen here: move the sequences past them
        for sql in connection.ops.sequence_reset_sql(no_style(), [Household, Person, DefenceGroup]):
            cursor.execute(sql)
    return _summary(town, started)


def _summary(town: Region, started: float, *, skipped: bool = False) -> DemoResidents:
    households = Household.objects.filter(region__path__startswith=town.path)
    persons = Person.unscoped.filter(region__path__startswith=town.path)
    total = households.count()
    return DemoResidents(
        households=total,
        persons=persons.count(),
        tagged=persons.filter(tags__isnull=False).distinct().count(),
        contact_rate=households.filter(police_contact_on__isnull=False).count() / total if total else 0.0,
        groups=DefenceGroup.objects.filter(region__path__startswith=town.path).count(),
        patrol=PatrolMember.objects.filter(team__region__path__startswith=town.path).count(),
        seconds=time.perf_counter() - started,
        skipped=skipped,
    )
