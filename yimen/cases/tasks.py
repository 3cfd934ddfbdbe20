"""Periodic jobs of the case engine (huey; `manage.py run_huey` runs them)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yimen.cases import services


@db_periodic_task(crontab(minute="7"))
def cases_supervision_hourly() -> int:
    """Every hour: raise 催办 → 督办 → 通报 on late assignments and undispatched cases, with
    in-app notices to the responsible unit and its leaders (services.supervision_sweep)."""
    return services.supervision_sweep()
