"""每月一题 (issue 20 part 1): clustering quality on the labelled set built from the demo's
stories (yimen/insight/topics/labelled.py says how it is labelled), and the time of one monthly
clustering of 100,000 cases (target ≤ 60 s on this machine).

    .venv/bin/python bench/bench_topics.py [--cases 100000]

The timed run tokenises (rjieba) and clusters 100,000 case texts written the way the demo writes
them (every catalogue row, random residents and villages) in memory; reading them from the
database (one indexed range scan of id, title, description, category, path) is not included.
Nothing is asserted: the figures are printed beside their targets."""

import argparse
import time

from common import setup_django

setup_django()

from yimen.insight.topics.cluster import Doc, Settings, cluster, quality  # noqa: E402
from yimen.insight.topics.labelled import labelled_set  # noqa: E402
from yimen.insight.topics.text import terms  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--cases", type=int, default=100_000)
args = parser.parse_args()

docs, truth = labelled_set()
print(
    f"labelled set: {len(docs)} cases, {len(set(truth.values()))} true topics (catalogue rows + hand-labelled stories)"
)
for name, settings in (
    ("text + village (category withheld)", Settings()),
    ("text only", Settings(place_weight=0.0)),
):
    q = quality(truth, cluster(docs, settings))
    print(
        f"  {name:36s} purity {q['purity']:.3f}  inverse purity {q['inverse_purity']:.3f}  "
        f"F1 {q['f1']:.3f}  NMI {q['nmi']:.3f}  coverage {q['coverage']:.3f}"
    )

# The scale run: the labelled generator's texts, repeated with fresh names and villages.
rows = len(set(truth.values()))
big, big_truth = labelled_set(per_row=args.cases // rows + 1, seed=7)
texts = big[: args.cases]
category = {label: n for n, label in enumerate(sorted(set(big_truth.values())))}  # the row a clerk chose
raw = [" ".join(d.terms) for d in texts]  # re-tokenised below, so the timing includes rjieba
start = time.perf_counter()
prepared = [
    Doc(key=d.key, terms=terms(text), category=category[big_truth[d.key]], place=d.place)
    for d, text in zip(texts, raw, strict=True)
]
tokenised = time.perf_counter() - start
found = cluster(prepared)
total = time.perf_counter() - start
print(
    f"monthly clustering of {len(prepared):,} cases: {total:.1f} s (target ≤ 60 s; tokenising {tokenised:.1f} s), "
    f"{len(found)} topics"
)
