"""Background jobs of the registry (huey; `manage.py run_huey` runs them): large imports,
erasing workbooks nobody applied, and sending anti-fraud alerts."""

from contextlib import suppress
from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yimen.core.errors import Conflict
from yimen.core.tasks import beijing_time
from yimen.people import imports
from yimen.people.models import ImportJob

UNAPPLIED_DAYS = 3


def _run(job_id: int, state: str, step) -> None:
    job = ImportJob.objects.select_related("member__user", "member__unit", "member__jurisdiction").get(pk=job_id)
    if job.state != state:
        return  # already done, failed or discarded: a retried delivery changes nothing
    try:
        step(job=job)
    except Exception:
        with suppress(Conflict):  # unless it got past its last step
            imports.import_fail(job=job, reason="处理时发生内部错误，请联系系统管理员。")
        raise


@db_task()
def import_check_task(job_id: int) -> None:
    """The dry run of a large upload, with progress the import page polls."""
    _run(job_id, ImportJob.State.CHECKING, imports.import_check)


@db_task()
def import_apply_task(job_id: int) -> None:
    """Applying a large checked upload, batch by batch, with progress."""
    _run(job_id, ImportJob.State.APPLYING, imports.import_run)


@db_periodic_task(beijing_time(crontab(minute="15", hour="3")))
def import_jobs_expire() -> None:
    """Nightly: checked uploads left unapplied for UNAPPLIED_DAYS days are discarded, so no
    workbook of ID numbers and phones lingers (个人信息保护法 art. 19: kept no longer than needed)."""
    cutoff = timezone.now() - timedelta(days=UNAPPLIED_DAYS)
    for job in ImportJob.objects.filter(state=ImportJob.State.CHECKED, created_at__lt=cutoff):
        imports.import_discard(actor=None, job=job)


@db_task()
def fraud_alert_dispatch_task(alert_id: int) -> None:
    """反诈预警: send a committed alert's deliveries through the notifier (people.police)."""
    from yimen.people import police  # police queues this task: imported here, not at the top

    police.fraud_alert_dispatch(alert_id=alert_id)
