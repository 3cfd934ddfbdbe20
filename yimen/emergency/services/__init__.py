"""Every state change of emergency command and the 快警站, one function each (one transaction,
one audit entry)."""

from yimen.emergency.services.incidents import (
    incident_declare,
    incident_report,
    incident_stand_down,
    incident_task_create,
    incident_task_done,
)
from yimen.emergency.services.station import (
    call_list_add,
    lost_item_record,
    lost_item_return,
    missing_person_found,
    missing_person_report,
)

__all__ = [
    "call_list_add",
    "incident_declare",
    "incident_report",
    "incident_stand_down",
    "incident_task_create",
    "incident_task_done",
    "lost_item_record",
    "lost_item_return",
    "missing_person_found",
    "missing_person_report",
]
