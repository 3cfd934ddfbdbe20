"""The resident registry's models, one module per topic: households, persons, tags, notes, joint
defence and patrols (registry); a resident's tag history (tags); Excel import batches (imports);
police contact and anti-fraud alerts (police).
Every model is re-exported here: Django's app registry and callers import from
yimen.people.models, never from a topic module."""

from yimen.people.models.imports import ImportJob, new_job_code
from yimen.people.models.police import AlertDelivery, FraudAlert, PoliceContact
from yimen.people.models.registry import (
    DefenceCall,
    DefenceGroup,
    Household,
    PatrolMember,
    PatrolTeam,
    Person,
    ResidentNote,
    Tag,
    sees_sensitive_tags,
)
from yimen.people.models.tags import TagChange

__all__ = [
    "AlertDelivery",
    "DefenceCall",
    "DefenceGroup",
    "FraudAlert",
    "Household",
    "ImportJob",
    "PatrolMember",
    "PatrolTeam",
    "Person",
    "PoliceContact",
    "ResidentNote",
    "Tag",
    "TagChange",
    "new_job_code",
    "sees_sensitive_tags",
]
