"""Keeping the rollups current: every case step appends exactly one timeline event (DESIGN §6),
so a saved event is the one signal that a case's figures may have moved. The event marks its
case in the step's transaction and the batched drain refreshes it after the commit
(rollups/queue.py): a worker must see the committed case, and a rolled-back step changes nothing."""

from yimen.insight.rollups import queue


def timeline_event_saved(sender, instance, created: bool, **kwargs) -> None:
    if created:
        queue.mark(instance.case_id)
