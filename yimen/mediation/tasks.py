"""Periodic jobs of mediation (huey; `manage.py run_huey` runs them)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yimen.core.tasks import beijing_time
from yimen.mediation import services


@db_periodic_task(beijing_time(crontab(minute="15", hour="8")))
def mediation_reminders_daily() -> int:
    """Every morning at 08:15, as the offices open: remind the lead units of mediation deadlines
    that are near or passed (services.mediation_reminders)."""
    return services.mediation_reminders()
