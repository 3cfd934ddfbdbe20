"""Mediation verbs (DESIGN §5–7). Each is one transaction: it checks the role permission (403),
that the actor sits in the case's current lead unit (403), the case's state and version (409;
the version is taken, like every case step's, by one conditional UPDATE before anything is
written) and the mediation's own state (409), then the fields (422), and appends one timeline
event to the case.

Which case states allow what (a decision, see docs/notes-mediation.md): the team, consents,
sessions, extensions, the agreement and ending a mediation while the case is 办理中 at the lead
unit; court confirmation and the check on performance also after the reply and closing, until
the case is archived."""

from yimen.mediation.services.agreement import (
    ART_29,
    court_confirmation_accept,
    court_confirmation_apply,
    court_confirmation_decide,
    court_confirmation_extend,
    mediation_agreement_record,
    performance_record,
)
from yimen.mediation.services.copies import agreement_for_parties
from yimen.mediation.services.mediators import mediator_save
from yimen.mediation.services.records import (
    mediation_consent_record,
    mediation_end,
    mediation_extend,
    mediation_session_record,
    mediation_team_assemble,
)
from yimen.mediation.services.reminders import mediation_reminders

__all__ = [
    "ART_29",
    "agreement_for_parties",
    "court_confirmation_accept",
    "court_confirmation_apply",
    "court_confirmation_decide",
    "court_confirmation_extend",
    "mediation_agreement_record",
    "mediation_consent_record",
    "mediation_end",
    "mediation_extend",
    "mediation_reminders",
    "mediation_session_record",
    "mediation_team_assemble",
    "mediator_save",
    "performance_record",
]
