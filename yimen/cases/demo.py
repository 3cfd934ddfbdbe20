"""A year of cases for the demo town 才湾镇 (DESIGN §9): every kind in every state, a realistic
volume for 30,000 residents, and the seed stories (the uncle–nephew boundary fight settled by
joint mediation, the divorce and domestic-violence consultation at the judicial office, the
group petition over land compensation, hazard reports from grid workers).

Each case is simulated step by step with the workflow's own rules (TRANSITIONS, the catalogue's
deadline policies over the holiday calendar) and written in bulk with the timeline rows the
services would have written; a simulated step that would lie in the future is not taken, so
recent cases are still open. The last few walk-ins of the day go through the services
themselves. Deterministic for a seed (except the unguessable public tokens)."""

import random
import secrets
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as dt_time

from django.db import transaction
from django.utils import timezone

from yimen.cases import catalogue, services
from yimen.cases.deadlines import extended, policy_deadline
from yimen.cases.models import (
    RISK_ORDER,
    Assignment,
    Case,
    CaseCounter,
    CatalogueRow,
    Party,
    TimelineEvent,
)
from yimen.core.calendar import SHANGHAI
from yimen.core.crypto import blind_index, mask_phone, sm4_encrypt
from yimen.demo.names import person_name
from yimen.geo.models import Region
from yimen.org.models import Membership, Unit

TOWN_CODE = "450324106"
VOLUME = 2200  # ~7 matters per 100 residents a year: a busy but plausible town centre
KIND_SHARE = {
    "dispute": 0.38,
    "appeal": 0.25,
    "hazard": 0.15,
    "petition": 0.06,
    "incident": 0.06,
    "legal_service": 0.08,
    "legal_aid": 0.02,
}
CHANNELS = {
    "dispute": {"visit": 5, "phone": 2, "grid": 3, "hotline": 1, "referral": 1},
    "appeal": {"phone": 3, "hotline": 4, "online": 2, "visit": 2, "grid": 2},
    "hazard": {"grid": 8, "phone": 2, "hotline": 1},
    "petition": {"visit": 5, "letter": 3, "online": 1, "referral": 1},
    "incident": {"phone": 4, "hotline": 3, "grid": 2},
    "legal_service": {"visit": 6, "phone": 2, "online": 1},
    "legal_aid": {"visit": 4, "referral": 1},
}
# fate -> weight; a fate is the path a case would take if time let it run to the end
FATES = {
    "normal": 70,
    "window": 9,
    "declined": 3,
    "referred": 3,
    "merged": 2,
    "disputed": 4,
    "reopened": 3,
    "late": 4,
    "unsatisfied": 2,
}
WINDOW_KINDS = {"legal_service", "appeal"}
PACE = {"incident": 0.08, "hazard": 0.4}  # emergencies move in minutes, hazards within the day


class _Stop(Exception):
    """The next step would lie in the future."""


@dataclass
class Draft:
    case: Case
    parties: list[Party]
    assignments: list[Assignment] = field(default_factory=list)
    events: list[TimelineEvent] = field(default_factory=list)
    accused: list[Unit] = field(default_factory=list)


@dataclass
class DemoCases:
    cases: int
    events: int
    states: dict[str, int]
    seconds: float
    skipped: bool = False


@dataclass
class _World:
    rng: random.Random
    now: datetime
    town: Region
    units: dict[str, Unit]  # code -> unit
    villages: list[Region]
    places: dict[str, list[Region]]  # village code -> micro-grids
    persons: dict[str, list[tuple[int, str]]]  # village code -> (person id, name)
    actors: dict[int, Membership | None]  # unit id -> the seat that acts for it
    dispatcher: Membership | None
    clerk: Membership | None
    supervisor: Membership | None
    gridworkers: dict[int, Membership]  # village unit id -> a grid worker's seat
    rows: dict[str, list[CatalogueRow]]
    suggested: dict = field(default_factory=dict)
    drafts: list[Draft] = field(default_factory=list)


def build_demo_cases(*, seed: int = 450324106) -> DemoCases:
    """Build the demo year of cases once; a town that already has cases is left alone."""
    started = time.monotonic()
    town = Region.objects.get(code=TOWN_CODE)
    existing = Case.objects.filter(region_path__startswith=town.path)
    if existing.exists():
        states = Counter(existing.values_list("state", flat=True))
        return DemoCases(existing.count(), 0, dict(states), time.monotonic() - started, skipped=True)
    with transaction.atomic():
        world = _world(town, seed)
        _stories(world)
        for kind, count in _kind_counts(world.rng).items():
            for _ in range(count):
                _simulate(world, _draft(world, kind, _received(world)), _fate(world.rng, kind))
        _cover_every_state(world)
        events = _save(world)
    walk_ins = _walk_ins_today(world)
    services.supervision_sweep()
    states = Counter(Case.objects.filter(region_path__startswith=town.path).values_list("state", flat=True))
    return DemoCases(sum(states.values()), events + walk_ins, dict(states), time.monotonic() - started)


# --------------------------------------------------------------------------------------------
# The world: units, places, people, actors


def _world(town: Region, seed: int) -> _World:
    from yimen.people.models import Person

    units = {u.code: u for u in Unit.objects.filter(is_active=True).select_related("region")}
    villages = list(town.children.filter(level=Region.Level.VILLAGE).order_by("code"))
    places: dict[str, list[Region]] = defaultdict(list)
    for region in Region.objects.filter(path__startswith=town.path, level=Region.Level.MICROGRID).order_by("code"):
        places[region.code[:12]].append(region)
    persons: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, name, code in (
        Person.objects.filter(region__path__startswith=town.path)
        .values_list("pk", "name", "region__code")
        .order_by("pk")[:20000]
    ):
        persons[code[:12]].append((pk, name))
    seats = Membership.objects.filter(is_active=True, user__is_active=True).select_related("user", "unit")
    actors: dict[int, Membership | None] = {}
    gridworkers: dict[int, Membership] = {}
    by_name = {}
    for seat in seats.order_by("id"):
        by_name[seat.user.username] = seat
        if seat.role in ("handler", "mediator", "gridchief", "clerk") and seat.unit_id not in actors:
            actors[seat.unit_id] = seat
        if seat.role == "gridworker":
            gridworkers.setdefault(seat.unit_id, seat)
    rows: dict[str, list[CatalogueRow]] = defaultdict(list)
    for row in catalogue.catalogue_rows().select_related("policy", "intake_policy", "sign_policy", "return_policy"):
        rows[row.kind].append(row)
    return _World(
        rng=random.Random(seed),
        now=timezone.now(),
        town=town,
        units=units,
        villages=villages,
        places=places,
        persons=persons,
        actors=actors,
        dispatcher=by_name.get("dispatcher"),
        clerk=by_name.get("clerk"),
        supervisor=by_name.get("supervisor"),
        gridworkers=gridworkers,
        rows=rows,
    )


def _kind_counts(rng: random.Random) -> dict[str, int]:
    return {kind: round(VOLUME * share * rng.uniform(0.9, 1.1)) for kind, share in KIND_SHARE.items()}


def _received(world: _World) -> datetime:
    """When a matter came in: within the year, a little busier lately, mostly in office hours."""
    rng = world.rng
    day = (world.now - timedelta(days=int(min(rng.expovariate(1 / 150), 364)))).astimezone(SHANGHAI).date()
    hour = rng.choice([8, 9, 9, 10, 10, 10, 11, 14, 15, 15, 16, 16, 17, 19, 21])
    moment = datetime.combine(day, dt_time(hour, rng.randrange(60)), tzinfo=SHANGHAI)
    return moment if moment < world.now else moment - timedelta(days=1)


def _fate(rng: random.Random, kind: str) -> str:
    weights = dict(FATES)
    if kind in WINDOW_KINDS:
        weights["window"] *= 4
    if kind in ("hazard", "incident"):
        weights["window"] = 0
        weights["merged"] *= 3  # several informants report the same fallen rock
    return rng.choices(list(weights), list(weights.values()))[0]


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
    case = Case(
        code="",
        public_token=secrets.token_urlsafe(16),
        kind=kind,
        title=fields.pop("title", None) or _title(row, a[1], b[1], village.name, rng),
        description=fields.pop("description", None)
        or f"{row.group}·{row.name}：{a[1]}反映有关情况，请依职责核实处理。",
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


class _Run:
    """Walks one draft through the workflow, as the services would, until `now` or `stop_at`."""

    def __init__(self, world: _World, draft: Draft, stop_at: str | None):
        self.world, self.draft, self.case, self.rng = world, draft, draft.case, world.rng
        self.at, self.state, self.stop_at = draft.case.received_at, "", stop_at
        self.pace = PACE.get(draft.case.kind, 1.0)

    def step(self, action, delay: timedelta, to: str | None, seat: Membership | None, *, unit=None, note="", data=None):
        if self.stop_at and self.state == self.stop_at:
            raise _Stop
        at = self.at + delay
        if at > self.world.now:
            raise _Stop
        target = to or self.state
        unit = unit or (seat.unit if seat else None)
        self.draft.events.append(
            TimelineEvent(
                at=at,
                actor=seat.user if seat else None,
                actor_name=(seat.user.name or seat.user.username)
                if seat
                else (f"{unit.name}承办人" if unit else "系统"),
                unit=unit,
                action=action,
                from_state=self.state,
                to_state=target,
                note=note,
                data=data or {},
            )
        )
        if action != "register":
            self.case.version += 1
        self.at, self.state, self.case.state, self.case.updated_at = at, target, target, at
        return at

    def hours(self, low: float, high: float) -> timedelta:
        return timedelta(hours=self.rng.uniform(low, high) * self.pace)

    def actor(self, unit: Unit) -> Membership | None:
        return self.world.actors.get(unit.pk)


def _simulate(world: _World, draft: Draft, fate: str, stop_at: str | None = None) -> None:
    run = _Run(world, draft, stop_at)
    case, rng = draft.case, world.rng
    centre = world.dispatcher
    first = case.first_unit
    registrar = world.clerk if first.code.endswith("-centre") else world.actors.get(first.pk)
    if case.channel == "grid":
        registrar = world.gridworkers.get(first.pk, registrar)
    try:
        run.step(
            "register",
            timedelta(minutes=rng.randrange(3, 40)),
            "registered",
            registrar,
            unit=first,
            data={"channel": case.channel, "risk": case.risk, "category": case.category.code},
        )
        if fate == "declined":
            run.step(
                "decline",
                run.hours(1, 30),
                "declined",
                centre,
                note="不属于本中心受理范围，已告知当事人向有关部门反映。",
            )
            _finish(run, archive=True)
            return
        if fate == "referred":
            to = rng.choice(["110", "全州县人民法院", "全州县劳动人事争议仲裁委员会", "全州县市场监督管理局"])
            case.referred_to = to
            run.step(
                "refer",
                run.hours(0.5, 8),
                "referred",
                centre,
                note="属于法定途径处理事项，已引导转办。",
                data={"to": to},
            )
            _finish(run, archive=True)
            return
        if fate == "merged":
            earlier = [
                d.case
                for d in world.drafts[-60:-1]
                if d.case.kind == case.kind and d.case.region_path[:60] == case.region_path[:60]
            ]
            if earlier:
                case.merged_into = earlier[-1]
                run.step(
                    "merge",
                    run.hours(0.5, 6),
                    "merged",
                    centre,
                    note="同一事项重复反映，并入原件办理。",
                    data={"into": "(demo)"},
                )
                return
        case.accepted_at = run.step("accept", run.hours(0.2, 5), "accepted", registrar or centre, unit=first)
        if fate == "window":
            case.closed_at = run.step(
                "close",
                run.hours(0.1, 2),
                "closed",
                registrar or centre,
                unit=first,
                note="窗口当场解答，当事人表示清楚。",
            )
            _follow_up(run, rating=rng.choice([4, 5, 5]))
            _finish(run, archive=True)
            return
        lead, supports = _suggest(world, case.category, case)
        if fate == "disputed":
            wrong = (
                world.units[f"{TOWN_CODE}-police"] if lead.kind != "police" else world.units[f"{TOWN_CODE}-judicial"]
            )
            _dispatch(run, wrong, [])
            run.step(
                "dispute",
                run.hours(1, 20),
                "disputed",
                run.actor(wrong),
                unit=wrong,
                note="该事项不属于本单位职责，请改派。",
                data={"unit": wrong.code},
            )
            draft.assignments[-1].state, draft.assignments[-1].disputed_at = "disputed", run.at
            draft.assignments[-1].dispute_reason = "该事项不属于本单位职责，请改派。"
            _dispatch(run, lead, supports, action="redispatch")
        else:
            _dispatch(run, lead, supports)
        _handle(run, lead, late=fate == "late")
        if fate == "reopened":
            run.step(
                "review",
                run.hours(4, 40),
                "in_progress",
                centre,
                note="答复未附调解协议，请补充后重报。",
                data={"approved": False},
            )
            _lead(draft).state = "signed"
            _reply(run, lead)
        case.closed_at = run.step("review", run.hours(2, 40), "closed", centre, data={"approved": True})
        if fate == "unsatisfied":
            run.step(
                "follow_up",
                run.hours(24, 120),
                "in_progress",
                world.clerk,
                note="群众认为未解决实际问题。",
                data={"rating": 2, "cause": "subjective", "reopened": True},
            )
            case.closed_at = None
            _lead(draft).state = "signed"
            _reply(run, lead)
            case.closed_at = run.step("review", run.hours(2, 40), "closed", centre, data={"approved": True})
        _follow_up(run, rating=rng.choices([5, 4, 3, 2], [60, 28, 9, 3])[0])
        _finish(run, archive=True)
    except _Stop:
        pass


def _lead(draft: Draft) -> Assignment:
    return next(a for a in reversed(draft.assignments) if a.role == "lead")


def _dispatch(run: _Run, lead: Unit, supports: list[Unit], action: str = "dispatch") -> None:
    case, row = run.case, run.case.category
    at = run.step(
        action,
        run.hours(0.3, 6),
        "dispatched",
        run.world.dispatcher,
        data={"lead_unit": lead.code, "support_units": [u.code for u in supports]},
    )
    case.dispatched_at, case.lead_unit = at, lead
    for earlier in run.draft.assignments:  # redispatch: the returned dispatch is withdrawn
        earlier.state = "withdrawn" if earlier.state in Assignment.ACTIVE else earlier.state
    deadline = policy_deadline(row.policy, at)
    if case.deadline and at < case.deadline < deadline:
        deadline = case.deadline
    for unit, role in [(lead, "lead"), *((u, "support") for u in supports)]:
        run.draft.assignments.append(
            Assignment(
                unit=unit,
                role=role,
                policy=row.policy,
                dispatched_at=at,
                dispatched_by=run.world.dispatcher.user if run.world.dispatcher else None,
                sign_deadline=policy_deadline(row.sign_policy, at),
                dispute_deadline=policy_deadline(row.return_policy, at),
                deadline=deadline,
            )
        )


def _handle(run: _Run, lead: Unit, *, late: bool) -> None:
    draft = run.draft
    assignment = _lead(draft)
    span = max(assignment.sign_deadline - run.at, timedelta(minutes=20))
    assignment.signed_at = run.step(
        "sign",
        span * run.rng.uniform(0.05, 0.8),
        "in_progress",
        run.actor(lead),
        unit=lead,
        data={"unit": lead.code, "role": "lead"},
    )
    assignment.state = "signed"
    for support in [a for a in draft.assignments if a.role == "support" and a.state == "pending"]:
        support.signed_at = run.step(
            "sign",
            run.hours(0.1, 4),
            None,
            run.actor(support.unit),
            unit=support.unit,
            data={"unit": support.unit.code, "role": "support"},
        )
        support.state = "signed"
        support.replied_at = run.step(
            "reply",
            run.hours(2, 48),
            None,
            run.actor(support.unit),
            unit=support.unit,
            note="已配合主办单位开展工作。",
            data={"role": "support"},
        )
        support.state, support.reply = "replied", "已配合主办单位开展工作。"
    _reply(run, lead, late=late)


REPLIES = [
    "已会同村委会现场核实处理，问题已解决，当事人表示认可。",
    "经调解双方达成一致意见，已签订人民调解协议书。",
    "已督促责任方整改到位，将持续跟踪。",
    "已依法答复当事人，并告知其法定救济途径。",
]


def _reply(run: _Run, lead: Unit, *, late: bool = False) -> None:
    """The lead's reply, inside its deadline — or, for late work, days after it (the case stays
    in progress and overdue until then)."""
    assignment = _lead(run.draft)
    left = max(assignment.deadline - run.at, timedelta(hours=1)) if assignment.deadline else timedelta(days=3)
    delay = left + timedelta(days=run.rng.uniform(1, 12)) if late else left * run.rng.uniform(0.1, 0.9)
    text = run.rng.choice(REPLIES)
    at = run.step(
        "reply", delay, "replied", run.actor(lead), unit=lead, note=text, data={"unit": lead.code, "role": "lead"}
    )
    assignment.state, assignment.replied_at, assignment.reply = "replied", at, text
    run.case.replied_at = at


def _follow_up(run: _Run, *, rating: int) -> None:
    run.case.followed_up_at = run.step(
        "follow_up",
        run.hours(24, 144),
        "followed_up",
        run.world.clerk,
        note="电话回访",
        data={"rating": rating, "cause": None},
    )
    run.case.rating = rating
    if run.rng.random() < 0.15:
        run.case.public_rating, run.case.public_rated_at = rating, run.step("rate", run.hours(1, 72), None, None)


def _finish(run: _Run, *, archive: bool) -> None:
    if archive:
        run.case.archived_at = run.step("archive", run.hours(24 * 5, 24 * 30), "archived", run.world.dispatcher)


def _cover_every_state(world: _World) -> None:
    """Recent cases of each kind stopped in each open state, so every list has examples."""
    stops = ["registered", "accepted", "dispatched", "in_progress", "replied", "closed"]
    for kind in KIND_SHARE:
        for stop in stops:
            _stopped_at(world, kind, "normal", stop)
    for _ in range(4):
        _stopped_at(world, "dispute", "disputed", "disputed")


def _stopped_at(world: _World, kind: str, fate: str, stop: str) -> None:
    for days in (2, 6, 15, 40, 90):
        draft = _draft(world, kind, world.now - timedelta(days=world.rng.uniform(days / 2, days)))
        _simulate(world, draft, fate, stop_at=stop)
        if draft.case.state == stop:
            return
        world.drafts.remove(draft)


# --------------------------------------------------------------------------------------------
# The seed stories


def _story_seats(world: _World, *suffixes: str) -> list[Unit]:
    return [world.units[f"{TOWN_CODE}-{s}"] for s in suffixes]


def _stories(world: _World) -> None:
    rows = {r.code: r for rs in world.rows.values() for r in rs}
    now, rng = world.now, world.rng
    caiwan = next(v for v in world.villages if v.code == "450324106200")
    home = (world.places.get(caiwan.code) or [caiwan])[0]

    # 1. The uncle–nephew boundary fight, settled by joint mediation (三调联动).
    uncle = _draft(
        world,
        "dispute",
        now - timedelta(days=150),
        row=rows["dispute.land.boundary"],
        channel="visit",
        title="唐德明与侄子唐志强田土边界纠纷（叔侄互殴）",
        description="唐德明与其侄唐志强因责任田与自留山交界处界桩移位发生争执，双方扭打，唐德明轻微受伤。"
        "双方均表示不再往来，矛盾有激化风险。",
        risk="orange",
        region=home,
        region_path=home.path,
    )
    uncle.parties = [_party((None, "唐德明"), "applicant", rng), _party((None, "唐志强"), "respondent", rng)]
    run = _Run(world, uncle, None)
    first = uncle.case.first_unit
    judicial, police, mediation = _story_seats(world, "judicial", "police", "mediation")
    village = world.units.get(f"{caiwan.code}-village")
    run.step(
        "register",
        timedelta(minutes=12),
        "registered",
        world.clerk,
        unit=first,
        data={"channel": "visit", "risk": "orange", "risk_rules": ["持械斗殴"]},
    )
    uncle.case.accepted_at = run.step("accept", timedelta(minutes=20), "accepted", world.clerk)
    _dispatch(run, judicial, [u for u in (police, village, mediation) if u])
    _handle_story(
        run,
        judicial,
        "经司法所牵头，派出所、村委会、人民调解委员会联合调解（三调联动），请族中长辈参与，"
        "双方重新确认界址、共同埋设界桩，唐志强赔偿医药费 800 元并赔礼道歉，签订人民调解协议书。",
    )
    uncle.case.closed_at = run.step("review", timedelta(days=1), "closed", world.dispatcher, data={"approved": True})
    _follow_up(run, rating=5)
    _finish(run, archive=True)

    # 2. The divorce and domestic-violence consultation at the judicial office.
    consult = _draft(
        world,
        "legal_service",
        now - timedelta(days=40),
        row=rows["legal_service.family"],
        channel="visit",
        title="蒋秀兰咨询离婚及家庭暴力问题",
        description="当事人称丈夫酗酒后多次殴打，想离婚，询问财产分割、孩子抚养及如何申请人身安全保护令。",
        risk="orange",
    )
    consult.parties = [_party((None, "蒋秀兰"), "applicant", rng)]
    run = _Run(world, consult, None)
    women = world.units.get(f"{TOWN_CODE}-women")
    run.step(
        "register",
        timedelta(minutes=8),
        "registered",
        world.clerk,
        unit=consult.case.first_unit,
        data={"channel": "visit", "risk": "orange", "risk_rules": ["家庭暴力"]},
    )
    consult.case.accepted_at = run.step("accept", timedelta(minutes=5), "accepted", world.clerk)
    _dispatch(run, judicial, [women] if women else [])
    _handle_story(
        run,
        judicial,
        "司法所所长在调解室单独接待，解答了离婚程序、夫妻共同财产分割和子女抚养问题；"
        "告知可向法庭申请人身安全保护令（72 小时内作出，情况紧急 24 小时内），协助准备就医记录、"
        "报警回执等证据，并转介法律援助。妇联同步开展心理疏导。",
    )
    consult.case.closed_at = run.step("review", timedelta(hours=6), "closed", world.dispatcher, data={"approved": True})
    _follow_up(run, rating=5)
    aid = _draft(
        world,
        "legal_aid",
        now - timedelta(days=33),
        row=rows["legal_aid.violence"],
        channel="referral",
        title="蒋秀兰申请法律援助（家暴受害人离婚诉讼）",
        description="家庭暴力受害人，免予经济困难审查（法律援助法第三十二条）。",
    )
    aid.parties = [_party((None, "蒋秀兰"), "applicant", rng)]
    _simulate(world, aid, "normal")

    # 3. The group petition over land compensation (集体访, 5 representatives).
    group = _draft(
        world,
        "petition",
        now - timedelta(days=50),
        row=rows["petition.land"],
        channel="visit",
        title="小塘村23户村民集体反映征地补偿款未足额到位",
        group_size=23,
        risk="red",
        description="县道改扩建征用小塘村集体土地，村民反映青苗及地上附着物补偿款未足额发放，推选5名代表来访，"
        "并称如不解决将集体赴县上访。",
        joint_plan="召开综治中心联席会议：信访办牵头，自然资源所核对补偿台账，村委会公开分配方案，"
        "派出所做好现场秩序维护，包案领导每周约谈代表，30日内书面答复。",
    )
    group.parties = [_party((None, person_name(rng)), "representative", rng) for _ in range(5)]
    run = _Run(world, group, None)
    petition, land = _story_seats(world, "petition", "land")
    small = world.units.get("450324106201-village")
    run.step(
        "register",
        timedelta(minutes=30),
        "registered",
        world.actors.get(petition.pk),
        unit=group.case.first_unit,
        data={
            "channel": "visit",
            "risk": "red",
            "risk_rules": ["群体聚集", "多人涉及（5 人以上，信访工作条例第二十条）"],
        },
    )
    group.case.accepted_at = run.step("accept", timedelta(hours=3), "accepted", world.dispatcher)
    _dispatch(run, petition, [u for u in (land, small, police) if u])
    lead = _lead(group)
    lead.signed_at = run.step(
        "sign",
        timedelta(hours=2),
        "in_progress",
        world.actors.get(petition.pk),
        data={"unit": petition.code, "role": "lead"},
    )
    lead.state = "signed"
    run.step(
        "supervise", timedelta(days=20), None, world.supervisor, note="重点信访事项，纳入督办。", data={"level": 2}
    )
    group.case.supervision_level = 2
    run.step(
        "extend",
        timedelta(days=8),
        None,
        world.actors.get(petition.pk),
        note="需县自然资源局复核补偿标准，延期30日。",
        data={"days": 30},
    )
    group.case.extension_days = 30
    group.case.deadline = extended(group.case.deadline, 30)
    lead.deadline = extended(lead.deadline, 30)

    # 4. Hazard reports from grid workers.
    for days, code, title, stop in (
        (9, "hazard.geology.landslide", "网格员上报：才湾村后山连日降雨出现裂缝，三户民房有滑坡风险", None),
        (3, "hazard.water.pond", "网格员上报：才湾村村口山塘无护栏无警示牌，暑期儿童常在塘边玩耍", "in_progress"),
        (1, "hazard.fire.wiring", "网格员上报：才湾村老街商铺私拉电线为电动车充电", "dispatched"),
    ):
        draft = _draft(
            world,
            "hazard",
            now - timedelta(days=days),
            row=rows[code],
            channel="grid",
            title=title,
            region=home,
            region_path=home.path,
        )
        draft.case.first_unit = village or draft.case.first_unit
        _simulate(world, draft, "normal", stop_at=stop)


def _handle_story(run: _Run, lead: Unit, reply: str) -> None:
    assignment = _lead(run.draft)
    assignment.signed_at = run.step(
        "sign", timedelta(hours=1), "in_progress", run.actor(lead), unit=lead, data={"unit": lead.code, "role": "lead"}
    )
    assignment.state = "signed"
    for support in [a for a in run.draft.assignments if a.role == "support"]:
        support.signed_at = run.step(
            "sign",
            timedelta(hours=2),
            None,
            run.actor(support.unit),
            unit=support.unit,
            data={"unit": support.unit.code, "role": "support"},
        )
        support.state = "signed"
    at = run.step(
        "reply",
        timedelta(days=6),
        "replied",
        run.actor(lead),
        unit=lead,
        note=reply,
        data={"unit": lead.code, "role": "lead"},
    )
    assignment.state, assignment.replied_at, assignment.reply = "replied", at, reply
    run.case.replied_at = at


# --------------------------------------------------------------------------------------------
# Writing


def _save(world: _World) -> int:
    drafts = sorted(world.drafts, key=lambda d: d.case.received_at)
    numbers: Counter = Counter()
    for draft in drafts:
        case = draft.case
        key = (case.region.code[:9], case.received_at.astimezone(SHANGHAI).year)
        numbers[key] += 1
        case.code = f"{key[0]}-{key[1]}-{numbers[key]:06d}"
    merged = [(d, d.case.merged_into) for d in drafts if d.case.merged_into is not None]
    for draft, _ in merged:
        draft.case.merged_into = None
    Case.objects.bulk_create([d.case for d in drafts], batch_size=500)
    for draft, target in merged:
        draft.case.merged_into = target
        draft.events[-1].data = {"into": target.code}
    Case.objects.bulk_update([d.case for d, _ in merged], ["merged_into"], batch_size=500)
    for prefix_year, last in numbers.items():
        counter, _ = CaseCounter.objects.get_or_create(prefix=prefix_year[0], year=prefix_year[1])
        if counter.last < last:
            counter.last = last
            counter.save(update_fields=["last"])
    parties, assignments, events = [], [], []
    for draft in drafts:
        for party in draft.parties:
            party.case = draft.case
            parties.append(party)
        for assignment in draft.assignments:
            assignment.case = draft.case
            assignments.append(assignment)
        for event in draft.events:
            event.case = draft.case
            events.append(event)
    Party.objects.bulk_create(parties, batch_size=1000)
    _one_active(assignments)
    Assignment.objects.bulk_create(assignments, batch_size=1000)
    TimelineEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)


def _one_active(assignments: list[Assignment]) -> None:
    """The constraint's invariant (one active lead, one active row per unit) for simulated rows."""
    seen: set = set()
    for assignment in reversed(assignments):
        key = (id(assignment.case), assignment.unit_id)
        lead = (id(assignment.case), "lead")
        if assignment.state in Assignment.ACTIVE:
            if key in seen or (assignment.role == "lead" and lead in seen):
                assignment.state = "withdrawn"
                continue
            seen.add(key)
            if assignment.role == "lead":
                seen.add(lead)


def _walk_ins_today(world: _World) -> int:
    """This morning's walk-ins and reports go through the services themselves."""
    clerk = world.clerk
    if clerk is None:
        return 0
    gridworker = (
        Membership.objects.filter(user__username="gridworker", is_active=True)
        .select_related("unit", "jurisdiction", "user")
        .first()
    )
    count = 0
    registered = services.case_register(
        actor=clerk,
        kind="dispute",
        channel="visit",
        region="450324106200",
        title="唐桂英反映邻居养狗夜间吠叫扰民",
        description="邻居家养的两条狗夜间吠叫，多次沟通无果。",
        category="dispute.neighbour.noise",
        parties=[
            {"name": "唐桂英", "role": "applicant", "phone": "19900009001"},
            {"name": "李春生", "role": "respondent"},
        ],
    ).case
    services.case_accept(case=registered, actor=clerk, version=registered.version)
    count += 2
    services.case_register(
        actor=clerk,
        kind="legal_service",
        channel="phone",
        region="450324106200",
        title="蒋明华电话咨询工伤认定程序",
        parties=[{"name": "蒋明华", "role": "applicant", "phone": "19900009002"}],
    )
    count += 1
    if gridworker is not None:
        services.case_register(
            actor=gridworker,
            kind="hazard",
            channel="grid",
            region=gridworker.jurisdiction.code,
            category="hazard.road.damage",
            title="网格员上报：村道涵洞塌陷，过往车辆有侧翻风险",
            location={"lat": gridworker.jurisdiction.lat, "lng": gridworker.jurisdiction.lng}
            if gridworker.jurisdiction.lat
            else None,
        )
        count += 1
    return count
