"""One demo case drafted in memory: its catalogue row, title, place, first receiver, parties and
the statutory deadlines from the row's policies over the holiday calendar."""

import random
import secrets
from datetime import datetime, timedelta

from yimen.cases import catalogue
from yimen.cases.deadlines import policy_deadline
from yimen.cases.demo.phrasings import PHRASINGS, TYPOS
from yimen.cases.demo.world import CHANNELS, TOWN_CODE, Draft, _World
from yimen.cases.models import (
    RISK_ORDER,
    Case,
    CatalogueRow,
    Party,
)
from yimen.core.crypto import blind_index, sm4_encrypt
from yimen.core.demo_names import person_name
from yimen.core.identity import mask_phone
from yimen.geo.models import Region
from yimen.org.models import Unit

# --------------------------------------------------------------------------------------------
# One case


TITLES = {
    "dispute.neighbour": ["{a}与{b}因{what}发生争执", "{village}{a}反映邻居{b}{what}"],
    "dispute.land": ["{a}与{b}{what}", "{village}{a}、{b}两家{what}"],
    "dispute.family": ["{a}反映{what}", "{a}与{b}{what}"],
    "dispute.wages": ["{a}等人{what}", "{a}反映{what}"],
    "dispute": ["{a}与{b}{what}"],
    "incident": ["{village}{what}", "群众报警：{village}{what}"],
    "hazard": ["网格员上报：{village}{what}", "{village}{what}"],
    "appeal": ["{a}反映{village}{what}", "{village}群众反映{what}"],
    "petition": ["{a}来访反映{what}", "{a}来信反映{what}"],
    "legal_service": ["{a}来访：{what}", "{a}来电：{what}"],
    "legal_aid": ["{a}：{what}"],
}


def _title(row: CatalogueRow, a: str, b: str, village: str, rng: random.Random) -> str:
    for prefix in (row.code.rsplit(".", 1)[0], row.kind):
        if prefix in TITLES:
            return rng.choice(TITLES[prefix]).format(a=a, b=b, village=village, what=row.name)
    return f"{a}反映{row.name}"


def _phrased(row: CatalogueRow, a: str, b: str, village: str, received: datetime) -> tuple[str, str] | None:
    """Most cases in the words people use (phrasings.PHRASINGS), a few with a typo; None leaves
    the catalogue's own words (the formal title). Its own random stream, seeded by the case, so
    the rest of the demo year draws what it drew before."""
    rng = random.Random(f"{row.code}|{received.isoformat()}|{a}")
    choices = PHRASINGS.get(row.code)
    if not choices or rng.random() < 0.2:
        return None
    title, description = (text.format(a=a, b=b, village=village) for text in rng.choice(choices))
    if rng.random() < 0.1:
        for right, wrong in TYPOS.items():
            title, description = title.replace(right, wrong), description.replace(right, wrong)
    return title, description


def _draft(world: _World, kind: str, received: datetime, *, row: CatalogueRow | None = None, **fields) -> Draft:
    rng = world.rng
    row = row or rng.choice(world.rows[kind])
    village = rng.choice(world.villages)
    place = rng.choice(world.places.get(village.code) or [village])
    channel = fields.pop("channel", None) or rng.choices(*zip(*CHANNELS[kind].items(), strict=True))[0]
    first = _first_unit(world, kind, channel, village)
    people = world.persons.get(village.code) or []
    a = rng.choice(people) if people and rng.random() < 0.8 else (None, person_name(rng))
    b = rng.choice(people) if people and rng.random() < 0.6 else (None, person_name(rng))
    risk = max(row.risk, rng.choices(["blue", "yellow", "orange", "red"], [880, 100, 18, 2])[0], key=RISK_ORDER.get)
    received = received.replace(microsecond=0)
    phrased = None if "title" in fields else _phrased(row, a[1], b[1], village.name, received)
    case = Case(
        code="",
        public_token=secrets.token_urlsafe(16),
        kind=kind,
        title=fields.pop("title", None) or (phrased[0] if phrased else _title(row, a[1], b[1], village.name, rng)),
        description=fields.pop("description", None)
        or (phrased[1] if phrased else f"{row.group}·{row.name}：{a[1]}反映有关情况，请依职责核实处理。"),
        channel=channel,
        region=place,
        region_path=place.path,
        lat=(place.lat + rng.uniform(-0.002, 0.002)) if place.lat else None,
        lng=(place.lng + rng.uniform(-0.002, 0.002)) if place.lng else None,
        occurred_at=received - timedelta(hours=rng.randrange(1, 72)),
        received_at=received,
        category=row,
        policy=row.policy,
        risk=fields.pop("risk", risk),
        petition_type="claim" if kind == "petition" else "",
        group_size=1,
        first_unit=first,
        registered_by=_seat_user(world, first),
        accept_deadline=policy_deadline(row.intake_policy, received) if row.intake_policy else None,
        deadline=policy_deadline(row.policy, received),
        created_at=received,
        updated_at=received,
    )
    for name, value in fields.items():
        setattr(case, name, value)
    if case.risk == "red" and not case.joint_plan:
        case.joint_plan = "召开联席会议研判；派出所牵头稳控，司法所、村委会包案化解，每日报告进展。"
    parties = []
    if kind not in ("hazard", "incident") or rng.random() < 0.3:
        parties.append(_party(a, "applicant", rng))
    if kind == "dispute" or (kind == "petition" and rng.random() < 0.3):
        parties.append(_party(b, "respondent", rng))
    draft = Draft(case=case, parties=parties)
    world.drafts.append(draft)
    return draft


def _party(who: tuple[int | None, str], role: str, rng: random.Random) -> Party:
    phone = f"1990000{rng.randrange(10000):04d}" if rng.random() < 0.7 else ""
    party = Party(name=who[1], role=role, person_id=who[0])
    if phone:
        party.phone_cipher, party.phone_index, party.phone_masked = (
            sm4_encrypt(phone),
            blind_index(phone),
            mask_phone(phone),
        )
    return party


def _first_unit(world: _World, kind: str, channel: str, village: Region) -> Unit:
    if channel == "grid":
        return world.units.get(f"{village.code}-village") or world.units[f"{TOWN_CODE}-centre"]
    if kind == "petition" and world.rng.random() < 0.6:
        return world.units[f"{TOWN_CODE}-petition"]
    return world.units[f"{TOWN_CODE}-centre"]


def _seat_user(world: _World, unit: Unit):
    seat = world.clerk if unit.code.endswith("-centre") else world.actors.get(unit.pk)
    return seat.user if seat else None


def _suggest(world: _World, row: CatalogueRow, case: Case) -> tuple[Unit, list[Unit]]:
    key = (row.pk, case.region_path[:80])
    if key not in world.suggested:
        lead, supports = catalogue.suggest_units(row, region_path=case.region_path)
        world.suggested[key] = (lead or world.units[f"{TOWN_CODE}-judicial"], supports)
    return world.suggested[key]
