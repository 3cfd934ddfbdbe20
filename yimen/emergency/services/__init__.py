"""Every state change of emergency command and the 快警站, one function each (one transaction,
one audit entry)."""

from yimen.emergency.services.incidents import (
    incident_declare,
    incident_report,
    incident_stand_down,
    incident_task_accept,
    incident_task_create,
    incident_task_done,
    incident_task_progress,
)
from yimen.emergency.services.links import FOLLOWUP_KINDS, incident_case_create
from yimen.emergency.services.resources import (
    incident_resource_allocate,
    incident_resource_release,
    resource_register,
)
from yimen.emergency.services.roster import duty_candidates, duty_shift_set, shift_ends
from yimen.emergency.services.station import (
    call_list_add,
    call_list_remove,
    handover_due_before,
    lost_item_hand_over,
    lost_item_record,
    lost_item_return,
    missing_person_found,
    missing_person_report,
    missing_person_sighting,
    tourist_help_record,
)

__all__ = [
    "FOLLOWUP_KINDS",
    "call_list_add",
    "call_list_remove",
    "duty_candidates",
    "duty_shift_set",
    "handover_due_before",
    "incident_case_create",
    "incident_declare",
    "incident_report",
    "incident_resource_allocate",
    "incident_resource_release",
    "incident_stand_down",
    "incident_task_accept",
    "incident_task_create",
    "incident_task_done",
    "incident_task_progress",
    "lost_item_hand_over",
    "lost_item_record",
    "lost_item_return",
    "missing_person_found",
    "missing_person_report",
    "missing_person_sighting",
    "resource_register",
    "shift_ends",
    "tourist_help_record",
]
