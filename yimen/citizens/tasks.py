"""Periodic jobs of the citizens' doors (huey; `manage.py run_huey` runs them)."""

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from huey.contrib.djhuey import HUEY, db_periodic_task

from yimen.citizens.services.hotline import hotline_exchange
from yimen.core.tasks import beijing_time


def every(minutes: int) -> Callable[[datetime], bool]:
    """A huey schedule firing every `minutes` minutes from midnight (minutes divides 1440:
    5, 15, 60, 1440 …); read in Beijing time through core.tasks.beijing_time."""
    minutes = max(1, minutes)

    def validate(timestamp: datetime) -> bool:
        return (timestamp.hour * 60 + timestamp.minute) % minutes == 0

    return beijing_time(validate)


@db_periodic_task(every(settings.YIMEN_HOTLINE_INTERVAL_MINUTES))
@HUEY.lock_task("citizens-hotline-exchange")
def hotline_exchange_scheduled() -> dict[str, int] | None:
    """Every YIMEN_HOTLINE_INTERVAL_MINUTES: the 12345 file-drop exchange (services.hotline_
    exchange: tickets in, replies out), one run at a time."""
    return hotline_exchange()
