"""Inboxes and boards: a unit's assignments by bucket with their counts, the centre's
worklist counts, and the member's notifications."""

from datetime import datetime

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from yimen.cases import sorting
from yimen.cases.deadlines import DUE_SOON
from yimen.cases.models import (
    Assignment,
    Case,
    Notification,
    held_reach,
)

INBOX_BUCKETS = {
    "pending": "待签收",
    "in_progress": "办理中",
    "due_soon": "即将超期",
    "overdue": "已超期",
    "done": "已办结",
}


def _bucket_filters(now: datetime) -> dict[str, Q]:
    working = Q(state=Assignment.State.SIGNED)
    return {
        "pending": Q(state=Assignment.State.PENDING),
        "in_progress": working,
        "due_soon": Q(state__in=(Assignment.State.PENDING, Assignment.State.SIGNED), deadline__gte=now)
        & Q(deadline__lt=now + DUE_SOON),
        "overdue": Q(state__in=(Assignment.State.PENDING, Assignment.State.SIGNED), deadline__lt=now),
        "done": Q(state=Assignment.State.REPLIED),
    }


def unit_assignments(member) -> QuerySet[Assignment]:
    """The member's unit's assignments on cases the member may see: an assignment makes its case
    visible to the unit within the member's reach (held_reach: their jurisdiction, confidential
    kinds for the acting seats), save the cases hidden from the member (Case.objects.hidden_from)
    — the same cases Case.objects.visible_to gives the member through the unit."""
    if not member.has_perm("case.view"):
        return Assignment.objects.none()
    # Correlated per assignment (three index probes), not "case_id NOT IN (every hidden case)",
    # which would scan the whole case table for a set that is almost always empty. The reach is
    # a condition on the joined case row, which the inbox reads anyway.
    hidden = Case.objects.hidden_from(member).filter(pk=OuterRef("case_id"))
    mine = Assignment.objects.filter(held_reach(member, prefix="case__"), unit_id=member.unit_id)
    return mine.exclude(Exists(hidden))


def unit_inbox(*, member, bucket: str, now: datetime | None = None, sort: str | None = None) -> QuerySet[Assignment]:
    """One bucket of the member's unit's assignments (待签收, 办理中, 即将超期, 已超期, 已办结),
    with the case joined: what is due first, red before blue at the same deadline (issue 21:
    a 24-hour domestic-violence case never sinks under routine matters), or the chosen column;
    已办结 newest reply first. Accusations against the unit never appear."""
    now = now or timezone.now()
    rows = unit_assignments(member).filter(_bucket_filters(now)[bucket]).select_related("case", "case__region", "unit")
    if sort is None and bucket == "done":
        return rows.order_by("-replied_at", "-id")
    return sorting.order_cases(rows, sort or sorting.DUE_FIRST, prefix="case__")


# A busy unit finishes thousands of assignments a year: the 已办结 tab counts up to this many
# and shows "999+" beyond, so the inbox costs the same in its tenth year as in its first.
DONE_COUNT_CAP = 999


def unit_inbox_counts(*, member, now: datetime | None = None) -> dict[str, int]:
    """The five bucket sizes: the four open buckets in one query over the unit's open
    assignments (the index on unit, state, deadline), and 已办结 up to DONE_COUNT_CAP + 1."""
    now = now or timezone.now()
    rows = unit_assignments(member)
    buckets = _bucket_filters(now)
    done = buckets.pop("done")
    open_rows = rows.filter(state__in=(Assignment.State.PENDING, Assignment.State.SIGNED))
    counts = open_rows.aggregate(**{name: Count("pk", filter=q) for name, q in buckets.items()})
    counts["done"] = rows.filter(done).order_by()[: DONE_COUNT_CAP + 1].count()
    return counts


CENTRE_BUCKETS = {
    "registered": "待受理",
    "accepted": "待派单",
    "disputed": "退单待处理",
    "replied": "待审核",
    "closed": "待回访",
}


def centre_worklist_counts(*, member) -> dict[str, int]:
    """The first receiver's and the dispatcher's queues, each counted up to DONE_COUNT_CAP + 1:
    a county's years of closed cases awaiting follow-up need no exact count on every view."""
    cases = Case.objects.visible_to(member).order_by()
    return {state: cases.filter(state=state)[: DONE_COUNT_CAP + 1].count() for state in CENTRE_BUCKETS}


def notifications_for(*, member, unread_only: bool = False) -> QuerySet[Notification]:
    """The member's own notices and their unit's, newest first, about cases they may see (a
    notice never tells an accused person of the accusation)."""
    notices = Notification.objects.filter(Q(member=member) | Q(unit_id=member.unit_id, member=None))
    notices = notices.filter(case__in=Case.objects.visible_to(member))
    if unread_only:
        notices = notices.filter(read_at=None)
    return notices.select_related("case").order_by("-created_at", "-id")
