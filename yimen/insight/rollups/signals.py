"""Keeping the rollups current: every case step appends exactly one timeline event (DESIGN §6),
so a saved event is the one signal that a case's figures may have moved. The refresh is queued
after the commit: a worker must see the committed case, and a rolled-back step changes nothing."""

from functools import partial

from django.db import transaction


def timeline_event_saved(sender, instance, created: bool, **kwargs) -> None:
    if created:
        from yimen.insight import tasks

        transaction.on_commit(partial(tasks.rollup_refresh_cases, [instance.case_id]))
