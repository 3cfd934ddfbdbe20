"""The rollup refresh leaves the request (issue 22): a step marks its case in its own transaction
(one small insert, no waiting: PendingRefresh), and after the commit at most one drain a
BATCH_SECONDS is queued per process. The drain recomputes the slices of every marked case at
once, so a burst of 100 steps on a day's cases in one village costs one refresh of that slice,
not 100, and the request pays neither the refresh nor a task-queue write per step.

Why a queued drain always sees a mark: a process skips queuing only while its last drain's start
time is still ahead, and that drain, started later than this commit, reads the marks then. The
nightly rebuild (tasks.rollup_rebuild_nightly) stays the net under writes that bypass the steps."""

import threading
import time

from django.db import transaction

from yimen.insight.models import PendingRefresh
from yimen.insight.rollups import facts, store

BATCH_SECONDS = 1.0  # the rollups lag a step by this much (and the consumer's one-second tick)
DRAIN_LIMIT = 5000  # marks taken by one drain; a longer backlog queues the next drain at once

_lock = threading.Lock()
_queued_until = 0.0  # time.time() before which this process's last queued drain cannot start


def mark(case_id: int) -> None:
    """Mark the case for a refresh, inside the caller's transaction; queue a drain after commit."""
    PendingRefresh.objects.create(case_id=case_id)
    transaction.on_commit(_queue_drain)


def _queue_drain(delay: float = BATCH_SECONDS) -> None:
    global _queued_until
    from yimen.insight import tasks

    now = time.time()
    with _lock:
        if now < _queued_until:
            return
        # Recorded before huey reads its clock: the drain's true start is never earlier than this.
        _queued_until = now + delay
    tasks.rollup_drain.schedule(delay=delay)


def drain() -> int:
    """Refresh the rollup slices of the marked cases (up to DRAIN_LIMIT marks) and clear exactly
    the marks read: one committed while this ran is left for the next drain. Returns the number
    of (day, region) slices refreshed."""
    marks = list(PendingRefresh.objects.order_by("pk").values_list("pk", "case_id")[:DRAIN_LIMIT])
    if not marks:
        return 0
    refreshed = store.refresh_slices(facts.case_days({case_id for _, case_id in marks}))
    PendingRefresh.objects.filter(pk__in=[pk for pk, _ in marks]).delete()
    if len(marks) == DRAIN_LIMIT:
        _queue_drain(delay=0)
    return refreshed


def flush() -> int:
    """Refresh every marked case now, in this process (tests, commands, the demo). Returns the
    number of slices refreshed."""
    refreshed = 0
    while PendingRefresh.objects.exists():
        refreshed += drain()
    return refreshed
