"""The legal app's verbs: legal aid (aid.py) and 排送点餐 (outreach.py)."""

from yimen.legal.services.aid import (
    ASSIGN_POLICY,
    DECIDE_POLICY,
    OPEN_STATES,
    due,
    legal_aid_assign,
    legal_aid_close,
    legal_aid_decide,
    legal_aid_file_open,
    legal_aid_intake_check,
    legal_aid_means_check,
    legal_aid_provide_first,
)
from yimen.legal.services.outreach import (
    SCHEDULE_PROMISE_DAYS,
    outreach_attendance_record,
    outreach_event_record,
    outreach_order_place,
    outreach_order_schedule,
)
from yimen.legal.services.training import training_session_record

__all__ = [
    "ASSIGN_POLICY",
    "DECIDE_POLICY",
    "OPEN_STATES",
    "SCHEDULE_PROMISE_DAYS",
    "due",
    "legal_aid_assign",
    "legal_aid_close",
    "legal_aid_decide",
    "legal_aid_file_open",
    "legal_aid_intake_check",
    "legal_aid_means_check",
    "legal_aid_provide_first",
    "outreach_attendance_record",
    "outreach_event_record",
    "outreach_order_place",
    "outreach_order_schedule",
    "training_session_record",
]
