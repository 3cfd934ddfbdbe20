"""Raising early warnings: every active rule over its window, one transaction (nightly by the
task queue and after the demo is built)."""

from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone

from yimen.core import audit
from yimen.smart.models import EarlyWarning, WarningRule
from yimen.smart.rules import RULES, SEED


@dataclass
class Raised:
    raised: int = 0
    updated: int = 0
    held_back: int = 0  # dismissed subjects whose evidence has not grown


@transaction.atomic
def warnings_refresh(*, now=None) -> Raised:
    """Run each active WarningRule (issue 23 part 4): a new subject raises a warning; an open one
    takes the new evidence; a dismissed subject is raised again only when its evidence grows past
    the count it was dismissed at (the dismissal is that subject's threshold)."""
    now = now or timezone.now()
    report = Raised()
    if not WarningRule.objects.exists():  # a flushed (test) database lost the seed rows
        for code, name, threshold, window in SEED:
            WarningRule.objects.create(code=code, name=name, threshold=threshold, window_days=window)
    for rule in WarningRule.objects.filter(is_active=True, code__in=list(RULES)):
        for found in RULES[rule.code](rule, now):
            latest = found.cases[-1]
            open_ = EarlyWarning.objects.filter(rule=rule, subject=found.subject, state=EarlyWarning.State.OPEN).first()
            if open_ is not None:
                if open_.count != len(found.cases):
                    open_.count, open_.evidence = len(found.cases), found.evidence
                    open_.save(update_fields=["count", "evidence"])
                    open_.cases.set(found.cases)
                    report.updated += 1
                continue
            dismissed = (
                EarlyWarning.objects.filter(rule=rule, subject=found.subject, state=EarlyWarning.State.DISMISSED)
                .order_by("-dismissed_at")
                .first()
            )
            if dismissed is not None and len(found.cases) <= dismissed.count:
                report.held_back += 1
                continue
            warning = EarlyWarning.objects.create(
                rule=rule,
                subject=found.subject,
                label=found.label[:200],
                region=latest.region,
                region_path=latest.region_path,
                evidence=found.evidence[:300],
                count=len(found.cases),
                raised_at=now,
            )
            warning.cases.set(found.cases)
            report.raised += 1
    audit.record(action="warnings_refresh", target="smart", detail=asdict(report))
    return report
