"""The million synthetic cases of the demo town that the case and backup benchmarks share: written
once with COPY into the benchmark database and reused by later runs of the same size. Import
after Django is set up (bench/common.py)."""

import random
import secrets
import time
from datetime import timedelta

from django.utils import timezone
from pg import bulk_load, copy_rows

from yimen.cases.models import Assignment, Case
from yimen.geo.models import Region
from yimen.org.models import Unit

SYNTHETIC = "9"  # synthetic codes: "<town>-9<year>-…", apart from the real counter's
KINDS = ["dispute"] * 5 + ["appeal"] * 3 + ["hazard"] * 2 + ["petition", "incident", "legal_service"]
# (case state, lead assignment state) of a year-and-more of cases: most are done.
FATES = (
    [("archived", "replied")] * 10
    + [("closed", "replied")] * 4
    + [
        ("in_progress", "signed"),
        ("dispatched", "pending"),
        ("replied", "replied"),
        ("registered", None),
    ]
)


# Who leads (issue 14: a village committee takes a realistic share): the police station and the
# judicial office most, each department and other unit a little, the 17 village committees about
# a quarter together, 才湾村委会 (the town seat's village, the demo's busiest) the most of them.
LEAD_WEIGHTS = {"police": 20, "judicial": 12, "court": 5, "petition": 6, "grid_centre": 5, "department": 2, "other": 2}
VILLAGE_WEIGHT, BUSIEST_VILLAGE = 1.2, ("450324106200-village", 5)


def _lead_weights(units: list[tuple[int, str, str]]) -> list[float]:
    weights = []
    for _, code, kind in units:
        if code == BUSIEST_VILLAGE[0]:
            weights.append(BUSIEST_VILLAGE[1])
        else:
            weights.append(VILLAGE_WEIGHT if kind == "village" else LEAD_WEIGHTS.get(kind, 2))
    return weights


def synthetic_cases(count: int) -> None:
    """Make sure the database holds exactly `count` synthetic cases (regenerated when it does not)."""
    synthetic = Case.objects.filter(code__contains=f"-{SYNTHETIC}")
    if synthetic.count() != count:
        started = time.perf_counter()
        synthetic.delete()
        generate(count)
        print(f"generated {count:,} cases with COPY in {time.perf_counter() - started:.1f} s")


def generate(count: int) -> None:
    """`count` synthetic cases of the demo town with their lead (and some support) assignments,
    received over the last 400 days, written with COPY."""
    rng = random.Random(11)
    now = timezone.now()
    town = Region.objects.get(code="450324106")
    places = list(Region.objects.filter(level="microgrid", path__startswith=town.path).values_list("pk", "path"))
    found = Unit.objects.filter(code__startswith="450324106").exclude(kind="centre")
    units = list(found.values_list("pk", "code", "kind").order_by("pk"))
    weights = _lead_weights(units)
    # A village committee's cases lie in its own village.
    village_paths = dict(found.filter(kind="village").values_list("pk", "region__path"))
    in_village = {pk: [p for p in places if p[1].startswith(path)] for pk, path in village_paths.items()}
    unit_ids = [pk for pk, _, _ in units]
    centre = Unit.objects.get(code="450324106-centre").pk
    first_case = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    first_assignment = (Assignment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    cases, assignments = [], []
    started = time.perf_counter()
    for i in range(count):
        pk = first_case + i
        received = now - timedelta(minutes=rng.randint(0, 400 * 24 * 60))
        state, lead_state = rng.choice(FATES)
        lead = rng.choices(unit_ids, weights)[0] if lead_state else None
        region_id, path = rng.choice(in_village.get(lead) or places)
        deadline = received + timedelta(days=15)
        cases.append(
            {
                "id": pk,
                "code": f"450324106-{SYNTHETIC}{received.year}-{pk:08d}",
                "public_token": secrets.token_urlsafe(24),
                "kind": (kind := rng.choice(KINDS)),
                "petition_type": "claim" if kind == "petition" else "",
                "title": f"合成案件 {pk}",
                "channel": "visit",
                "region_id": region_id,
                "region_path": path,
                "received_at": received,
                "first_unit_id": centre,
                "lead_unit_id": lead,
                "state": state,
                "deadline": deadline,
                "created_at": received,
                "updated_at": received,
            }
        )
        if lead is None:
            continue
        shares = [(lead, "lead")] + (
            [(rng.choice([u for u in unit_ids if u != lead]), "support")] if i % 3 == 0 else []
        )
        for unit, role in shares:
            assignments.append(
                {
                    "id": first_assignment + len(assignments),
                    "case_id": pk,
                    "unit_id": unit,
                    "role": role,
                    "state": lead_state,
                    "dispatched_at": received + timedelta(hours=2),
                    "sign_deadline": received + timedelta(days=1),
                    "deadline": deadline,
                    "signed_at": received + timedelta(hours=5) if lead_state != "pending" else None,
                    "replied_at": received + timedelta(days=rng.randint(2, 14)) if lead_state == "replied" else None,
                }
            )
    print(f"  ({time.perf_counter() - started:.1f} s to make the rows)")
    with bulk_load(Case, Assignment):
        copy_rows(Case, cases)
        copy_rows(Assignment, assignments)
