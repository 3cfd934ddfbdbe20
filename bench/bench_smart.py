"""Smart intake at scale (issue 23), on PostgreSQL:

1. the nightly retrain of the category suggester over the closed cases (target ≤ 10 min with
   1,000,000 cases);
2. the suggestion at intake — top 3 with their reasons and two visible similar cases each — as
   the clerk's desk asks for it (target p95 ≤ 30 ms with 1,000,000 past cases);
3. the duplicate check at intake: same person (phone blind index), same place, same issue
   (target p95 ≤ 50 ms);
4. `evaluate_smart`'s figures on this corpus: top-1 / top-3, coverage at 50 %, duplicate recall
   and precision on the merges.

THE TEXTS ARE GENERATED (yimen/cases/demo/phrasings.py: a few phrasings per catalogue row, with
colloquial words and typos): the figures guard regressions of the suggester and are no claim
about its accuracy on a real installation, where `manage.py evaluate_smart` measures it.

    .venv/bin/python bench/bench_smart.py [--cases 1000000] [--samples 200]

Uses $DATABASE_URL when it names PostgreSQL, else the database yimen_bench_smart on the local
server. The synthetic cases are written once with COPY and reused by later runs of the same size.
"""

import argparse
import random
import secrets
import time
from datetime import timedelta

from pg import bulk_load, copy_rows, timed, use_database

use_database("yimen_bench_smart")

from common import demo_town, setup_django  # noqa: E402

setup_django()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from yimen.cases import catalogue  # noqa: E402
from yimen.cases.demo.phrasings import PHRASINGS  # noqa: E402
from yimen.cases.models import Case, Party  # noqa: E402
from yimen.core.crypto import blind_index  # noqa: E402
from yimen.geo.models import Region  # noqa: E402
from yimen.org.models import Membership, Unit  # noqa: E402
from yimen.smart import selectors  # noqa: E402
from yimen.smart.evaluation import evaluate  # noqa: E402
from yimen.smart.services import model_retrain  # noqa: E402

MARK = "-8"  # synthetic smart codes: "<town>-8<year>-…", apart from the real counter's and bench_cases'
PHONES = 20_000  # applicants: some come back (the same person), most once
CONFUSED = 0.08  # share filed under a neighbouring row: real categories are not clean either
MERGED = 0.02  # share of cases a clerk merged into an earlier one of the same place and words
NAMES = ["唐建国", "蒋秀英", "王明", "李桂花", "陈志强", "周红梅", "蒋文", "唐丽"]


def phrase(rng: random.Random, code: str, a: str, b: str) -> tuple[str, str]:
    """A title and a description of the row, often from two different phrasings, sometimes with
    no description but a stock phrase."""
    title = rng.choice(PHRASINGS[code])[0]
    description = rng.choice(PHRASINGS[code])[1] if rng.random() < 0.9 else "群众来访反映情况，请核实处理。"
    return title.format(a=a, b=b, village=""), description.format(a=a, b=b, village="")


def corpus(count: int) -> None:
    """Exactly `count` synthetic closed cases with phrased texts and a phone-indexed applicant."""
    synthetic = Case.objects.filter(code__startswith="450324106" + MARK)
    if synthetic.count() == count:
        return
    started = time.perf_counter()
    synthetic.update(merged_into=None)  # merged_into protects its target
    synthetic.delete()
    rng = random.Random(23)
    now = timezone.now()
    town = Region.objects.get(code="450324106")
    places = list(Region.objects.filter(level="microgrid", path__startswith=town.path).values_list("pk", "path"))
    rows = {row.code: row for row in catalogue.catalogue_rows() if row.code in PHRASINGS}
    codes = list(rows)
    siblings = {code: [c for c in codes if rows[c].group == rows[code].group and c != code] or [code] for code in codes}
    centre = Unit.objects.get(code="450324106-centre").pk
    phones = [blind_index(f"139{n:08d}") for n in range(PHONES)]
    first_case = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    first_party = (Party.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    cases, parties, recent = [], [], []
    for i in range(count):
        pk = first_case + i
        received = now - timedelta(minutes=rng.randint(0, 400 * 24 * 60))
        code = rng.choice(codes)
        a, b = rng.sample(NAMES, 2)
        region_id, path = rng.choice(places)
        title, description = phrase(rng, code, a, b)
        if rng.random() < CONFUSED:  # what one clerk files under a neighbouring row of the group
            code = rng.choice(siblings[code])
        merged_into = None
        if recent and rng.random() < MERGED:  # a repeat of a recent case: same place, same words
            earlier = rng.choice(recent[-50:])
            title, description, region_id, path = earlier["title"], earlier["description"], *earlier["place"]
            received = earlier["received_at"] + timedelta(days=rng.randint(1, 20))
            code, merged_into = earlier["code_row"], earlier["id"]
        row = {
            "id": pk,
            "code": f"450324106{MARK}{received.year}-{pk:08d}",
            "public_token": secrets.token_urlsafe(24),
            "kind": rows[code].kind,
            "petition_type": "claim" if rows[code].kind == "petition" else "",
            "title": title,
            "description": description,
            "channel": "visit",
            "region_id": region_id,
            "region_path": path,
            "received_at": received,
            "category_id": rows[code].pk,
            "first_unit_id": centre,
            "state": "merged" if merged_into else "closed",
            "merged_into_id": merged_into,
            "closed_at": None if merged_into else received + timedelta(days=7),
            "created_at": received,
            "updated_at": received,
        }
        cases.append(row)
        if not merged_into:
            recent.append({**row, "place": (region_id, path), "code_row": code})
        parties.append(
            {"id": first_party + i, "case_id": pk, "name": a, "role": "applicant", "phone_index": rng.choice(phones)}
        )
    with bulk_load(Case, Party):
        copy_rows(Case, cases)
        copy_rows(Party, parties)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Case._meta.db_table}, {Party._meta.db_table}")
    print(f"generated {count:,} cases with COPY in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    demo_town()
    corpus(args.cases)
    clerk = Membership.objects.select_related("unit", "jurisdiction", "user").get(user__username="clerk")
    print(
        f"cases: {Case.objects.count():,} in all (PostgreSQL); THE TEXTS ARE GENERATED — a regression guard, no claim"
    )

    started = time.perf_counter()
    model = model_retrain()
    took = time.perf_counter() - started
    print(
        f"nightly retrain on {model.cases:,} closed cases: {took:.1f} s (target ≤ 600 s at 1,000,000), "
        f"vocabulary {model.vocabulary:,}"
    )

    rng = random.Random(5)
    grids = list(Region.objects.filter(level="microgrid", code__startswith="450324106").values_list("code", flat=True))
    drafts = []
    for _ in range(args.samples):
        code = rng.choice(list(PHRASINGS))
        title, description = phrase(rng, code, "唐建国", "蒋文")
        drafts.append((title, description, rng.choice(grids), f"139{rng.randrange(PHONES):08d}"))
    selectors.suggest_categories(member=clerk, title="家暴", kind="dispute")  # load the model once
    timed(
        "suggestion at intake (top 3, reasons, 2 visible similar cases each)",
        30,
        drafts,
        lambda d: selectors.suggest_categories(member=clerk, title=d[0], description=d[1]),
    )
    timed(
        "duplicate check at intake (same person, place, issue)",
        50,
        drafts,
        lambda d: selectors.duplicates(member=clerk, title=d[0], description=d[1], region=d[2], phones=[d[3]]),
    )
    started = time.perf_counter()
    f = evaluate(test_days=90, threshold=0.5, dup_limit=2000)
    print(
        f"evaluate_smart (generated texts; {time.perf_counter() - started:.0f} s): trained on {f.trained:,}, "
        f"tested {f.tested:,}; top-1 {f.top1:.1%}, top-3 {f.top3:.1%}; coverage at ≥ 50 % {f.coverage:.1%} "
        f"(top-1 there {f.covered_top1:.1%}); duplicates over the newest 2,000 test cases: "
        f"{f.merges} merges, recall {f.dup_recall or 0:.1%}, precision {f.dup_precision or 0:.1%}"
    )


if __name__ == "__main__":
    main()
