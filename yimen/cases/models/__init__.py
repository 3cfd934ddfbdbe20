"""The case engine's models, one module per topic: the case itself with its parties, assignments
and timeline (case), the dispatch catalogue, deadline policies and risk rules as versioned data
(catalogue), issued documents (documents), supervision notices (notifications), 督办单 with their
answers (supervision), the risk tiers and upward reports (tiers), attachments (records) and
吹哨报到 (whistles). Every model is re-exported here: Django's app registry and callers
import from yimen.cases.models, never from a topic module. The choices stay re-exported too, as
they were when this was one module."""

from yimen.cases.choices import (
    CONFIDENTIAL_KINDS,
    CONFIDENTIAL_VIEW_ROLES,
    LEVEL_NAMES,
    RISK_ORDER,
    Channel,
    Kind,
    PetitionType,
    Risk,
    SupervisionLevel,
)
from yimen.cases.models.case import (
    ACTIVE_ASSIGNMENT_STATES,
    ACTIVE_STATES,
    Assignment,
    Case,
    CaseCounter,
    CaseQuerySet,
    Party,
    TimelineEvent,
    held_reach,
)
from yimen.cases.models.catalogue import CatalogueRow, DeadlinePolicy, DispatchCatalogue, RiskRule
from yimen.cases.models.documents import CaseDocument
from yimen.cases.models.notifications import Notification
from yimen.cases.models.records import Attachment, attachment_path
from yimen.cases.models.supervision import ReasonType, SupervisionOrder
from yimen.cases.models.tiers import HandlingTier, UpwardReport
from yimen.cases.models.whistles import Whistle, WhistleCall

__all__ = [
    "ACTIVE_ASSIGNMENT_STATES",
    "ACTIVE_STATES",
    "CONFIDENTIAL_KINDS",
    "CONFIDENTIAL_VIEW_ROLES",
    "LEVEL_NAMES",
    "RISK_ORDER",
    "Assignment",
    "Attachment",
    "Case",
    "CaseCounter",
    "CaseDocument",
    "CaseQuerySet",
    "CatalogueRow",
    "Channel",
    "DeadlinePolicy",
    "DispatchCatalogue",
    "HandlingTier",
    "Kind",
    "Notification",
    "Party",
    "PetitionType",
    "ReasonType",
    "Risk",
    "RiskRule",
    "SupervisionLevel",
    "SupervisionOrder",
    "TimelineEvent",
    "UpwardReport",
    "Whistle",
    "WhistleCall",
    "attachment_path",
    "held_reach",
]
