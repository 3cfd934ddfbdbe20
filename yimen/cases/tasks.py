"""Periodic jobs of the case engine (huey; `manage.py run_huey` runs them)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yimen.cases import services


@db_periodic_task(crontab(minute="7"))
def cases_supervision_hourly() -> int:
    """Every hour: raise 催办 → 督办 → 通报 on late assignments and undispatched cases, with
    in-app notices to the responsible unit and its leaders (services.supervision_sweep)."""
    return services.supervision_sweep()


@db_periodic_task(crontab(minute="*/5"))
def cases_whistle_sweep() -> int:
    """Every five minutes: 催办 notices to summoned units still missing past their arrival time
    (吹哨报到; services.whistle_sweep). Whistle clocks run in minutes, not hours."""
    return services.whistle_sweep()
