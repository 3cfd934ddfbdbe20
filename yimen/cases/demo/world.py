"""The demo's world: the town's units, places, people and the seats that act for them, the
volume and mix of the year's matters, and the drafts the simulation fills in."""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from yimen.cases import catalogue
from yimen.cases.models import (
    Assignment,
    Case,
    CatalogueRow,
    Party,
    TimelineEvent,
)
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
        Person.unscoped.filter(region__path__startswith=town.path)
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
