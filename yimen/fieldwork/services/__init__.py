"""Field verbs (网格工作). Each is one transaction that checks the role permission (403), the
actor's area (their jurisdiction: a grid worker's grid, a chief's village), the fields (422) and
for offline writes the Idempotency-Key (one record per user and key; another body → 409), and
writes an audit entry; reports become cases through the case engine's case_register."""

from yimen.fieldwork.services.alerts import alert_acknowledge, defence_alert_raise
from yimen.fieldwork.services.cameras import (
    camera_cite,
    camera_create,
    camera_log_record,
    camera_retire,
    camera_uncite,
    camera_update,
)
from yimen.fieldwork.services.reports import report_register, report_submit
from yimen.fieldwork.services.rounds import check_record, patrol_duty_set, patrol_log_record, team_in_area
from yimen.fieldwork.services.teams import patrol_team_create, patrol_team_retire, patrol_team_update
from yimen.fieldwork.services.visits import visit_record

__all__ = [
    "alert_acknowledge",
    "camera_cite",
    "camera_create",
    "camera_log_record",
    "camera_retire",
    "camera_uncite",
    "camera_update",
    "check_record",
    "defence_alert_raise",
    "patrol_duty_set",
    "patrol_log_record",
    "patrol_team_create",
    "patrol_team_retire",
    "patrol_team_update",
    "report_register",
    "report_submit",
    "team_in_area",
    "visit_record",
]
