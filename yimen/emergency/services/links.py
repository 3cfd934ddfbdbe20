"""Links between incidents and cases (issue 17 part 5): an incident may come from a case, and
registers cases for the matters it leaves behind. Cases never import this app: the case side
shows the link through its timeline and the panel this app registers."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from yimen.cases import services as cases
from yimen.cases import timeline
from yimen.core.errors import Invalid
from yimen.core.permissions import require_permission
from yimen.emergency.models import Incident, IncidentCase
from yimen.emergency.services.incidents import audit_incident
from yimen.org.models import Membership

# The kinds a matter left behind becomes: a dispute (compensation after a flood), an appeal
# (求助: a family left without a roof) or a hazard (a slope that may slide again).
FOLLOWUP_KINDS = ("dispute", "appeal", "hazard")


@transaction.atomic
def incident_case_create(
    *,
    actor: Membership,
    incident: Incident,
    kind: str,
    title: str,
    description: str = "",
    parties: Sequence[dict] = (),
) -> IncidentCase:
    """Register a case for a matter the incident leaves behind, through the cases app's own
    registration (case_register: one code, lawful deadlines, the actor's unit as first receiver,
    the incident's code as its source reference), during the response or after stand-down; both
    sides record the link (the case's timeline, the incident's audit and timeline)."""
    require_permission(actor, "incident.declare")
    if kind not in FOLLOWUP_KINDS:
        raise Invalid("类别有误。", errors={"kind": ["可选：矛盾纠纷、求助、隐患。"]})
    registered = cases.case_register(
        actor=actor,
        kind=kind,
        title=title,
        description=description,
        channel="referral",
        source_ref=incident.code,
        region=incident.region.code,
        parties=parties,
    ).case
    row = IncidentCase.objects.create(incident=incident, case=registered, by=actor, at=timezone.now())
    timeline.record(
        registered, "incident_followup", actor=actor, note=f"应急事件 {incident.code}（{incident.title}）遗留事项"
    )
    audit_incident(actor, "incident_case_create", incident, case=registered.code)
    return row
