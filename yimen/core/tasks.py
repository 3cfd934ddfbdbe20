"""Background and periodic jobs owned by core (huey; `manage.py run_huey` runs them)."""

from collections.abc import Callable
from datetime import UTC, datetime

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from yimen.core import backup, services


def beijing_time(schedule: Callable[[datetime], bool]) -> Callable[[datetime], bool]:
    """Read a crontab in Beijing time. huey hands schedules a naive UTC timestamp (its default
    utc=True), so a bare crontab(hour="2") would fire at 10:00 in the township."""

    def validate(timestamp: datetime) -> bool:
        if HUEY.utc:
            local = timestamp.replace(tzinfo=UTC).astimezone(timezone.get_default_timezone())
            timestamp = local.replace(tzinfo=None)
        return schedule(timestamp)

    return validate


@db_periodic_task(beijing_time(crontab(minute="30", hour="2")))
def audit_chain_nightly() -> None:
    """Every night at 02:30, when the offices are empty: the same chain check as
    `manage.py verify_audit`, its result recorded for the auditor (等保2.0: audit records are
    protected and the protection is checked)."""
    services.audit_chain_check(trigger="nightly")


@db_periodic_task(beijing_time(crontab(minute="0", hour="3")))
def backup_nightly() -> None:
    """Every night at 03:00, after the chain check: a backup, its verified restore into a scratch
    database, and the older backups pruned (README "Backups")."""
    backup.backup_nightly()
