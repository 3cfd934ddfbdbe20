"""Case deadlines from their policies (DESIGN §7) and the overdue level derived from them.

Every deadline is computed by yimen.core.deadlines over the holiday calendar: statutory ones from
`Case.received_at`, an assignment's from its dispatch. The overdue level follows municipal
practice (催办 → 督办 → 通报): late at all → 催办; SUPERVISE_AFTER working days late → 督办;
CENSURE_AFTER working days late → 通报."""

from datetime import datetime, timedelta
from typing import Protocol

from django.utils import timezone

from yimen.core.deadlines import (
    deadline_hours,
    deadline_natural_days,
    deadline_working_days,
    deadline_working_hours,
    working_days_between,
)

SUPERVISE_AFTER = 3  # working days late
CENSURE_AFTER = 10  # working days late
DUE_SOON = timedelta(days=2)  # 即将超期: the deadline falls within this window


class Policy(Protocol):
    unit: str
    amount: int


COMPUTE = {
    "natural_days": deadline_natural_days,
    "working_days": deadline_working_days,
    "working_hours": deadline_working_hours,
    "hours": deadline_hours,
}


def policy_deadline(policy: Policy, start: datetime) -> datetime:
    """The deadline `policy` sets for a period starting at `start` (an aware datetime)."""
    return COMPUTE[policy.unit](start, policy.amount)


def extended(deadline: datetime, days: int) -> datetime:
    """An extension of `days` natural days (信访工作条例 art. 34: "延长期限不得超过30日"),
    counted from the old deadline's day with the holiday rule."""
    return deadline_natural_days(deadline, days)


def derived_level(due: datetime | None, now: datetime | None = None) -> int:
    """0 on time, 1 催办 (late), 2 督办 (SUPERVISE_AFTER working days late), 3 通报."""
    now = now or timezone.now()
    if due is None or due >= now:
        return 0
    late = working_days_between(due, now)
    if late >= CENSURE_AFTER:
        return 3
    if late >= SUPERVISE_AFTER:
        return 2
    return 1
