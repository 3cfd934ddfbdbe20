"""Honest measurement on the installation's own history (issue 23 part 5): train on the past,
test on the last months. Top-1 / top-3 accuracy and coverage at a confidence threshold of the
category suggester; recall and precision of the duplicate check on the merges clerks made."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from yimen.cases import catalogue
from yimen.cases.models import Case
from yimen.smart import classifier
from yimen.smart.selectors import SAME_ISSUE_DAYS, issue_place, issue_shares, recent_at


@dataclass
class Figures:
    cutoff: datetime
    trained: int
    tested: int
    top1: float | None
    top3: float | None
    threshold: float
    coverage: float | None  # share of test cases whose top suggestion reaches the threshold
    covered_top1: float | None  # top-1 accuracy on those
    merges: int
    dup_recall: float | None
    dup_precision: float | None
    flagged: int


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def evaluate(
    *, test_days: int = 90, threshold: float = 0.5, now: datetime | None = None, dup_limit: int | None = None
) -> Figures:
    """Train on the closed cases received before the cutoff (`test_days` ago), score those after;
    the duplicate check over the test period's cases (its newest `dup_limit` when given)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=test_days)
    weights, trained, _ = classifier.train(classifier.training_cases(until=cutoff))
    model = classifier.Compiled(weights, list(catalogue.catalogue_rows()))
    tested = hit1 = hit3 = covered = covered_hit = 0
    for title, description, code, _ in classifier.training_cases(since=cutoff):
        tested += 1
        found = model.score(f"{title} {description}")
        codes = [s.row.code for s in found]
        hit1 += bool(codes) and codes[0] == code
        hit3 += code in codes
        if found and found[0].score >= threshold:
            covered += 1
            covered_hit += codes[0] == code
    recall, precision, merges, flagged = duplicate_figures(since=cutoff, limit=dup_limit)
    return Figures(
        cutoff=cutoff,
        trained=trained,
        tested=tested,
        top1=share(hit1, tested),
        top3=share(hit3, tested),
        threshold=threshold,
        coverage=share(covered, tested),
        covered_top1=share(covered_hit, covered),
        merges=merges,
        dup_recall=recall,
        dup_precision=precision,
        flagged=flagged,
    )


def duplicate_figures(*, since: datetime, limit: int | None = None) -> tuple[float | None, float | None, int, int]:
    """For each case received since `since`, the same-issue check as it would have run at its
    intake (over every earlier case of its village in the window); a flag is right when the
    clerks merged one of the two into the other."""
    merges = found = flagged = right = 0
    tested = Case.unscoped.filter(received_at__gte=since).select_related("region").order_by("-received_at")
    for case in tested[:limit].only("pk", "title", "description", "region", "received_at", "merged_into_id", "state"):
        earlier = recent_at(
            issue_place(case.region),
            since=case.received_at - timedelta(days=SAME_ISSUE_DAYS),
            until=case.received_at,
            exclude=case.pk,
        )
        ids = set(issue_shares(f"{case.title} {case.description}", earlier))
        flagged += len(ids)
        right += case.merged_into_id in ids
        if case.merged_into_id:
            merges += 1
            found += case.merged_into_id in ids
    return share(found, merges), share(right, flagged), merges, flagged
