"""Background jobs of the command centre (huey; `manage.py run_huey` runs them)."""

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yimen.insight.rollups import queue, store

NIGHTLY_DAYS = 7  # the nightly rebuild's window: late edits and bulk repairs of the last week


@db_task()
def rollup_drain() -> int:
    """A second after a burst of steps: refresh the marked cases' rollup slices in one batch."""
    return queue.drain()


@db_periodic_task(crontab(hour="2", minute="17"))
def rollup_rebuild_nightly() -> int:
    """Every night: rebuild the last week's rollups in full from the case tables."""
    today = timezone.localdate()
    return store.rebuild(today - timedelta(days=NIGHTLY_DAYS), today)


# 每月一题's monthly job lives with its package; importing it here registers it with huey.
from yimen.insight.topics.tasks import topics_build_monthly  # noqa: E402, F401
