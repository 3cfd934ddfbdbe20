"""Smart intake's queued and nightly jobs (huey; `manage.py run_huey` runs them)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yimen.smart.services import model_retrain, suggestion_record
from yimen.smart.services_warnings import warnings_refresh


@db_periodic_task(crontab(hour="2", minute="17"))
def retrain_nightly() -> int:
    """Retrain the category suggester on the day's closed cases too (issue 23 part 1)."""
    return model_retrain().cases


@db_periodic_task(crontab(hour="2", minute="47"))
def warnings_nightly() -> int:
    """Raise the early warnings of the day (issue 23 part 4)."""
    return warnings_refresh().raised


@db_task()
def suggestion_log(case_id: int, member_id: int) -> None:
    """The suggestion record of a registration, after it committed (issue 23 part 1)."""
    suggestion_record(case_id=case_id, member_id=member_id)
