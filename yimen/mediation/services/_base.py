"""The shared guard of every mediation step: who may act (the lead unit's handler or mediator,
API.md), in which case states and at which case version, on which mediation row (created by
the first step), and the one timeline event each step appends to the case."""

from datetime import date, datetime

from django.utils import timezone

from yimen.cases import timeline
from yimen.cases.models import Assignment, Case, Party
from yimen.cases.services import case_version_take
from yimen.core.calendar import CLOCK_SKEW
from yimen.core.errors import Conflict, Invalid, NotAllowed
from yimen.core.permissions import require_permission
from yimen.geo.models import Region
from yimen.mediation import policies
from yimen.mediation.models import Mediation
from yimen.org.models import Membership, Unit

# Mediation is work done while the case is at the lead unit (办理中). What follows an agreement
# — court confirmation and the check on performance — goes on after the unit has replied and
# the centre has closed the case, until it is archived.
RECORDING = frozenset({Case.State.IN_PROGRESS})
AFTERWARDS = frozenset({Case.State.IN_PROGRESS, Case.State.REPLIED, Case.State.CLOSED, Case.State.FOLLOWED_UP})
# The parties whose consent mediation needs: not representatives or accused persons.
MEDIATING_ROLES = (Party.Role.APPLICANT, Party.Role.RESPONDENT, Party.Role.THIRD_PARTY)


def guard(actor: Membership, case: Case, action: str, states: frozenset, version: int) -> Case:
    """403 unless the actor may record mediation and sits in the case's current lead unit; 409
    unless the case is in one of `states` at `version` (API.md: a stale version → 409). Takes
    the case version like every case step (cases.services.case_version_take): of two steps sent
    with the same version exactly one goes on, on SQLite as on PostgreSQL, and the loser writes
    nothing. That also serialises the mediation's own rows (the first step creating it, the
    agreement, the court's steps), so none of them is read "for update"."""
    require_permission(actor, "mediation.record")
    lead_unit = Case.unscoped.filter(pk=case.pk).values_list("lead_unit_id", flat=True).get()
    if lead_unit is None or lead_unit != actor.unit_id:
        raise NotAllowed(f"只有主办单位的承办人或调解员可以{timeline.label(action)}。", code="not_lead")
    return case_version_take(case, action, version=version, states=states)


def committee_of(unit: Unit) -> str:
    """The people's mediation committee a unit mediates under: the village's own committee, or
    the town's (人民调解法 art. 8: villages' and towns' committees)."""
    return f"{unit.region.name}人民调解委员会"


def level_of(unit: Unit) -> str:
    level = unit.region.level
    if level == Region.Level.VILLAGE:
        return Mediation.Level.VILLAGE
    return Mediation.Level.TOWN if level == Region.Level.TOWN else Mediation.Level.COUNTY


def open_mediation(case: Case, actor: Membership) -> Mediation:
    """The case's mediation (the step holds the case: see `guard`); the first step starts it,
    the one-month norm counting from when the lead unit signed for the case (人民调解工作若干规定
    art. 36)."""
    mediation = Mediation.objects.filter(case=case).first()
    if mediation is not None:
        return mediation
    signed = (
        Assignment.objects.filter(case=case, role=Assignment.Role.LEAD, unit_id=actor.unit_id)
        .exclude(signed_at=None)
        .values_list("signed_at", flat=True)
        .first()
    )
    started = signed or timezone.now()
    unit = Unit.objects.select_related("region").get(pk=actor.unit_id)
    return Mediation.objects.create(
        case=case,
        unit=unit,
        committee=committee_of(unit),
        level=level_of(unit),
        started_at=started,
        due=policies.due(policies.MONTH, started),
    )


def still_open(mediation: Mediation, action: str) -> None:
    if mediation.is_final:
        raise Conflict(
            f"调解已结束（{mediation.get_result_display()}），不能{timeline.label(action)}。", code="mediation_ended"
        )


def mediating_parties(case: Case) -> list[Party]:
    return list(case.parties.filter(role__in=MEDIATING_ROLES).order_by("id"))


def not_future(value: datetime | date, field: str, label: str) -> None:
    now = timezone.now()
    if isinstance(value, datetime):
        if value > now + CLOCK_SKEW:
            raise Invalid(f"{label}不能晚于现在。", errors={field: [f"{label}不能晚于现在。"]})
    elif value > timezone.localdate(now):
        raise Invalid(f"{label}不能晚于今天。", errors={field: [f"{label}不能晚于今天。"]})


def aware(value: datetime) -> datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)
