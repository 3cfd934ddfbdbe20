"""A year of cases for the demo town 才湾镇 (DESIGN §9): every kind in every state, a realistic
volume for 30,000 residents, and the seed stories (the uncle–nephew boundary fight settled by
joint mediation, the divorce and domestic-violence consultation at the judicial office, the
group petition over land compensation, hazard reports from grid workers).

Each case is simulated step by step with the workflow's own rules (TRANSITIONS, the catalogue's
deadline policies over the holiday calendar) and written in bulk with the timeline rows the
services would have written; a simulated step that would lie in the future is not taken, so
recent cases are still open. The last few walk-ins of the day go through the services
themselves. Deterministic for a seed (except the unguessable public tokens)."""

import time
from collections import Counter

from django.db import transaction

from yimen.cases import services
from yimen.cases.demo.doors import _doors_today
from yimen.cases.demo.draft import TITLES, _draft
from yimen.cases.demo.returning import _returning_visitor
from yimen.cases.demo.simulate import REPLIES, _simulate
from yimen.cases.demo.stories import _stories
from yimen.cases.demo.supervision import build_demo_supervision
from yimen.cases.demo.volume import _cover_every_state, _fate, _kind_counts, _received
from yimen.cases.demo.world import (
    CHANNELS,
    FATES,
    KIND_SHARE,
    PACE,
    TOWN_CODE,
    VOLUME,
    WINDOW_KINDS,
    DemoCases,
    Draft,
    _world,
)
from yimen.cases.demo.writing import _save, _walk_ins_today
from yimen.cases.models import Case
from yimen.geo.models import Region

__all__ = [
    "CHANNELS",
    "FATES",
    "KIND_SHARE",
    "PACE",
    "REPLIES",
    "TITLES",
    "TOWN_CODE",
    "VOLUME",
    "WINDOW_KINDS",
    "DemoCases",
    "Draft",
    "build_demo_cases",
]


def build_demo_cases(*, seed: int = 450324106) -> DemoCases:
    """Build the demo year of cases once; a town that already has cases is left alone."""
    started = time.monotonic()
    town = Region.objects.get(code=TOWN_CODE)
    existing = Case.unscoped.filter(region_path__startswith=town.path)
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
    walk_ins = _walk_ins_today(world) + _returning_visitor(world) + _doors_today()
    build_demo_supervision(world)
    services.supervision_sweep()
    states = Counter(Case.unscoped.filter(region_path__startswith=town.path).values_list("state", flat=True))
    return DemoCases(sum(states.values()), events + walk_ins, dict(states), time.monotonic() - started)
