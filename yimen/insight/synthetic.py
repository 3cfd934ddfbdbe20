"""Synthetic cases for benchmarks (`manage.py generate_cases`): N cases spread over the leaves of
a region and over the past years, each with its lead assignment, a one-event timeline (register)
and the rollups. Written with COPY on PostgreSQL (bulk_create elsewhere), indexes rebuilt once.

Bulk data on purpose, not through the services: a million steps through the services would
take hours. The rows are shaped as the services leave them (states, moments, deadlines), so the
KPIs read them as they read real cases. Synthetic cases carry the code prefix SYN; a later run
with the same count reuses them, a larger count adds the difference, a smaller one trims."""

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from yimen.cases.models import Assignment, Case, CatalogueRow, TimelineEvent
from yimen.core.calendar import SHANGHAI
from yimen.geo.models import Region
from yimen.insight.bulk import bulk_load, column_defaults, copy_tuples, write_rows
from yimen.insight.models import DailyRollup
from yimen.insight.rollups import store
from yimen.org.models import Unit

PREFIX = "SYN"
BATCH = 50_000
HANDLERS = ("police", "court", "judicial", "petition", "village", "department", "grid_centre")
KIND_SHARE = {
    "dispute": 40,
    "appeal": 25,
    "hazard": 15,
    "petition": 8,
    "incident": 5,
    "legal_service": 5,
    "legal_aid": 2,
}
CHANNELS = ("visit", "phone", "letter", "online", "grid", "hotline")


@dataclass
class Report:
    cases: int
    added: int
    removed: int
    seconds: float
    rollup_rows: int


def _world(region: Region) -> dict:
    leaves = list(Region.objects.subtree(region).filter(level=Region.Level.MICROGRID).values_list("pk", "path"))
    leaves = leaves or list(Region.objects.subtree(region).filter(level=Region.Level.GRID).values_list("pk", "path"))
    units = list(Unit.objects.filter(region__path__startswith=region.path, is_active=True).values_list("pk", "kind"))
    if not units:  # a county above the demo town: its units sit below
        units = list(Unit.objects.filter(is_active=True).values_list("pk", "kind"))
    rows = {}
    for pk, kind in CatalogueRow.objects.values_list("pk", "kind"):
        rows.setdefault(kind, []).append(pk)
    return {
        "leaves": leaves or [(region.pk, region.path)],
        "first": [pk for pk, kind in units if kind == "centre"] or [units[0][0]],
        "handlers": [pk for pk, kind in units if kind in HANDLERS] or [units[0][0]],
        "categories": rows,
    }


def _case_rows(rng: random.Random, world: dict, first_id: int, count: int, now: datetime, days: int):
    """Yields (case tuple, assignment tuple or None, event tuple) — each case's story."""
    kinds = list(KIND_SHARE)
    weights = list(KIND_SHARE.values())
    for n in range(first_id, first_id + count):
        kind = rng.choices(kinds, weights)[0]
        region_id, path = rng.choice(world["leaves"])
        category = rng.choice(world["categories"].get(kind) or [None])
        # The lead unit follows the category (the catalogue's routing), with some spread.
        handlers = world["handlers"]
        lead = handlers[(category or n) % len(handlers)] if rng.random() < 0.85 else rng.choice(handlers)
        age = rng.random() * days
        received = now - timedelta(days=age, minutes=rng.randrange(600))
        active = rng.random() < (0.4 if age < 45 else 0.002)  # a few long-running cases stay open
        fate = rng.random()
        accepted = received + timedelta(hours=1) if fate > 0.04 else None
        deadline = received + timedelta(days=15)
        dispatched = accepted + timedelta(hours=2) if accepted and fate > 0.12 else None
        closed = rating = followed = public = public_at = None
        if accepted and not active:
            closed = received + timedelta(days=rng.uniform(0.5, 19))
            if rng.random() < 0.6:
                followed, rating = closed + timedelta(days=2), rng.choices((1, 2, 3, 4, 5), (3, 4, 10, 30, 53))[0]
            if rng.random() < 0.15:
                public_at, public = closed + timedelta(days=3), rng.choice((3, 4, 5, 5))
        state = (
            "declined"
            if not accepted
            else "in_progress"
            if active and dispatched
            else "accepted"
            if active
            else "followed_up"
            if followed
            else "closed"
        )
        risk = rng.choices(("blue", "yellow", "orange", "red"), (80, 15, 4, 1))[0]
        case = (
            n,
            f"{PREFIX}{n:012d}",
            f"syn-{n}",
            kind,
            f"合成案件{n}",
            rng.choice(CHANNELS),
            region_id,
            path,
            received,
            category,
            risk,
            "claim" if kind == "petition" else "",
            lead if dispatched else None,
            world["first"][n % len(world["first"])],
            state,
            accepted,
            dispatched,
            closed,
            followed,
            rating,
            public,
            public_at,
            deadline,
            received + timedelta(days=15),
        )
        assignment = None
        if dispatched:
            signed = dispatched + timedelta(hours=rng.uniform(0.5, 30))
            assignment = (
                n,
                n,
                lead,
                "lead",
                "replied" if closed else "signed",
                dispatched,
                dispatched + timedelta(days=1),
                signed,
                deadline,
            )
        yield case, assignment, (n, n, received, "register", "registered", "系统")


CASE_COLUMNS = [
    "id",
    "code",
    "public_token",
    "kind",
    "title",
    "channel",
    "region_id",
    "region_path",
    "received_at",
    "category_id",
    "risk",
    "petition_type",
    "lead_unit_id",
    "first_unit_id",
    "state",
    "accepted_at",
    "dispatched_at",
    "closed_at",
    "followed_up_at",
    "rating",
    "public_rating",
    "public_rated_at",
    "deadline",
    "accept_deadline",
]
ASSIGNMENT_COLUMNS = [
    "id",
    "case_id",
    "unit_id",
    "role",
    "state",
    "dispatched_at",
    "sign_deadline",
    "signed_at",
    "deadline",
]
EVENT_COLUMNS = ["id", "case_id", "at", "action", "to_state", "actor_name"]


def _full(model, columns: list[str]) -> tuple[list[str], tuple]:
    """All the table's columns: the given ones first, then the rest with their defaults."""
    defaults = column_defaults(model)
    rest = [column for column in defaults if column not in columns]
    return columns + rest, tuple(defaults[column] for column in rest)


def _write(model, columns: list[str], rows) -> None:
    if connection.vendor == "postgresql":
        names, tail = _full(model, columns)
        copy_tuples(model, names, (row + tail for row in rows))
    else:
        write_rows(model, (dict(zip(columns, row, strict=True)) for row in rows))


def _trim(keep: int) -> int:
    """Remove the synthetic cases beyond the first `keep` (the newest ids) with three set-wise
    DELETEs: their assignments, their events, then the cases (nothing else points at them; a
    row that does stops the delete at the foreign key)."""
    synthetic = Case.unscoped.filter(code__startswith=PREFIX).order_by("id")
    cut = synthetic.values_list("id", flat=True)[keep : keep + 1].first()
    if cut is None:
        return 0
    extra = synthetic.filter(id__gte=cut)
    with transaction.atomic():
        Assignment.objects.filter(case__in=extra.values("id"))._raw_delete(Assignment.objects.db)
        TimelineEvent.objects.filter(case__in=extra.values("id"))._raw_delete(TimelineEvent.objects.db)
        return extra._raw_delete(Case.unscoped.db)


def generate(*, region: Region, count: int, seed: int = 1, days: int = 1095, log=print) -> Report:
    """Make the synthetic cases of `region` number `count`, then rebuild the rollups of the span."""
    started = time.perf_counter()
    have = Case.unscoped.filter(code__startswith=PREFIX).count()
    removed = _trim(count) if have > count else 0
    adding = max(0, count - have)
    now = timezone.now()
    if adding:
        world = _world(region)
        top = max(
            Case.unscoped.order_by("-id").values_list("id", flat=True).first() or 0,
            Assignment.objects.order_by("-id").values_list("id", flat=True).first() or 0,
            TimelineEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0,
        )
        rng = random.Random(seed * 1_000_003 + have)
        tables = (Case, Assignment, TimelineEvent)
        context = bulk_load(*tables, quiet=True) if connection.vendor == "postgresql" else transaction.atomic()
        with context:
            first = top + 1
            for start in range(first, first + adding, BATCH):
                size = min(BATCH, first + adding - start)
                stories = list(_case_rows(rng, world, start, size, now, days))
                _write(Case, CASE_COLUMNS, (s[0] for s in stories))
                _write(Assignment, ASSIGNMENT_COLUMNS, (s[1] for s in stories if s[1]))
                _write(TimelineEvent, EVENT_COLUMNS, (s[2] for s in stories))
                log(f"  {start - first + size:,} / {adding:,} cases written ({time.perf_counter() - started:.0f} s)")
    written = time.perf_counter() - started
    rows = DailyRollup.objects.count()
    if adding or removed or not rows:
        today = timezone.localdate()
        rows = store.rebuild((now - timedelta(days=days + 2)).astimezone(SHANGHAI).date(), today + timedelta(days=30))
        log(f"  rollups: {rows:,} daily rows ({time.perf_counter() - started - written:.0f} s)")
    return Report(cases=count, added=adding, removed=removed, seconds=time.perf_counter() - started, rollup_rows=rows)
