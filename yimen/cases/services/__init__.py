"""Case verbs (DESIGN §6). One function per step, in one transaction. Each checks, in order, the
actor's role permission (403), the actor's unit's relation to the case (403), the case's state
(409) and version (409), then the fields (422); a conditional UPDATE on (version, state) moves
the case, so of two concurrent steps on one case only one succeeds; and each success appends
exactly one timeline event. Pages and the API call these same functions.

The verbs live in: _base (the shared check and UPDATE, and `case_version_take`, the same
compare-and-set for the steps other apps record beside a case; every event goes through
cases.timeline.record), intake (登记), workflow (the
centre's steps, dispatch), handling (the unit's steps, review, follow-up, risk), supervision
(催办/督办/通报 and 督办单, the sweep, notices, public rating, attachments), reporting (the red
case's report to the county), whistles (吹哨报到), contacts (reaching a party) and
catalogue_admin (the catalogue, deadline policies, risk rules). Callers import them from here."""

from yimen.cases.services._base import CaseConflict, case_touch, case_version_take
from yimen.cases.services.catalogue_admin import (
    ROW_FIELDS,
    ROW_POLICIES,
    catalogue_revise,
    deadline_policy_create,
    handling_tier_update,
    risk_rule_create,
)
from yimen.cases.services.contacts import case_parties_id_numbers, case_party_reveal
from yimen.cases.services.documents import case_document_issue
from yimen.cases.services.handling import (
    FOLLOW_UP_CAUSES,
    REOPEN_AT_OR_BELOW,
    case_dispute,
    case_extend,
    case_follow_up,
    case_note,
    case_raise_risk,
    case_reply,
    case_review,
    case_sign,
)
from yimen.cases.services.intake import EARLIEST, NEEDS_PARTY, Registered, case_register
from yimen.cases.services.registry import case_party_register
from yimen.cases.services.reporting import case_report_upward
from yimen.cases.services.supervision import (
    MAX_ATTACHMENT_BYTES,
    case_attach,
    case_censure,
    case_rate_public,
    case_supervise,
    case_urge,
    notification_read,
    supervision_order_answer,
    supervision_sweep,
)
from yimen.cases.services.whistles import (
    summonable_units,
    whistle_arrive,
    whistle_blow,
    whistle_rate,
    whistle_release,
    whistle_sweep,
)
from yimen.cases.services.workflow import (
    case_accept,
    case_archive,
    case_close,
    case_decline,
    case_dispatch,
    case_merge,
    case_redispatch,
    case_refer,
    case_release,
    case_take,
)

ACTION_SERVICES = {
    "accept": case_accept,
    "decline": case_decline,
    "dispatch": case_dispatch,
    "sign": case_sign,
    "dispute": case_dispute,
    "redispatch": case_redispatch,
    "reply": case_reply,
    "review": case_review,
    "extend": case_extend,
    "close": case_close,
    "follow_up": case_follow_up,
    "archive": case_archive,
    "merge": case_merge,
    "refer": case_refer,
    "urge": case_urge,
    "supervise": case_supervise,
    "censure": case_censure,
    "raise_risk": case_raise_risk,
    "take": case_take,
    "note": case_note,
    "release": case_release,
}

__all__ = [
    "ACTION_SERVICES",
    "EARLIEST",
    "FOLLOW_UP_CAUSES",
    "MAX_ATTACHMENT_BYTES",
    "NEEDS_PARTY",
    "REOPEN_AT_OR_BELOW",
    "ROW_FIELDS",
    "ROW_POLICIES",
    "CaseConflict",
    "Registered",
    "case_accept",
    "case_archive",
    "case_attach",
    "case_censure",
    "case_close",
    "case_decline",
    "case_dispatch",
    "case_dispute",
    "case_document_issue",
    "case_extend",
    "case_follow_up",
    "case_merge",
    "case_note",
    "case_parties_id_numbers",
    "case_party_register",
    "case_party_reveal",
    "case_raise_risk",
    "case_rate_public",
    "case_redispatch",
    "case_refer",
    "case_register",
    "case_release",
    "case_reply",
    "case_report_upward",
    "case_review",
    "case_sign",
    "case_supervise",
    "case_take",
    "case_touch",
    "case_urge",
    "case_version_take",
    "catalogue_revise",
    "deadline_policy_create",
    "handling_tier_update",
    "notification_read",
    "risk_rule_create",
    "summonable_units",
    "supervision_order_answer",
    "supervision_sweep",
    "whistle_arrive",
    "whistle_blow",
    "whistle_rate",
    "whistle_release",
    "whistle_sweep",
]
