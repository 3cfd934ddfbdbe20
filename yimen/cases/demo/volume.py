"""The bulk of the demo year: how many matters of each kind, when each came in, the path (fate)
each would take, and recent cases stopped in every open state so every list has examples."""

import random
from datetime import datetime, timedelta
from datetime import time as dt_time

from yimen.cases.demo.draft import _draft
from yimen.cases.demo.simulate import _simulate
from yimen.cases.demo.world import FATES, KIND_SHARE, VOLUME, WINDOW_KINDS, _World
from yimen.core.calendar import SHANGHAI


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
