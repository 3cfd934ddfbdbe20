"""每月一题's monthly job (huey; `manage.py run_huey` runs it, imported by yimen/insight/tasks.py)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yimen.insight.topics import services
from yimen.insight.topics.selectors import month_parse


@db_periodic_task(crontab(day="1", hour="3", minute="41"))
def topics_build_monthly() -> int:
    """On the 1st (after the nightly rollups): last month's topics of every town."""
    return services.topics_build_all(month=month_parse(None, today=timezone.localdate()))
