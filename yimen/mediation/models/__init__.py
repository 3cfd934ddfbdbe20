"""Mediation's models, one module per topic: the roster and the mediation with its team, consent,
sessions and extensions (mediation); the agreement, court confirmation and reminders
(agreements). Every model is re-exported here: Django's app registry and callers import from
yimen.mediation.models, never from a topic module."""

from yimen.mediation.models.agreements import Agreement, CourtConfirmation, Reminder
from yimen.mediation.models.mediation import Consent, Extension, Mediation, Mediator, Session, TeamMember

__all__ = [
    "Agreement",
    "Consent",
    "CourtConfirmation",
    "Extension",
    "Mediation",
    "Mediator",
    "Reminder",
    "Session",
    "TeamMember",
]
