"""The command centre's verbs: joint meetings and their actions, exports, the half-month report."""

from yimen.insight.services.exports import cases_export, kpis_export
from yimen.insight.services.meetings import (
    meeting_action_add,
    meeting_action_answer,
    meeting_action_update,
    meeting_agenda_add,
    meeting_create,
    meeting_minutes_record,
    meeting_schedule,
)
from yimen.insight.services.reports import half_month_report

__all__ = [
    "cases_export",
    "half_month_report",
    "kpis_export",
    "meeting_action_add",
    "meeting_action_answer",
    "meeting_action_update",
    "meeting_agenda_add",
    "meeting_create",
    "meeting_minutes_record",
    "meeting_schedule",
]
