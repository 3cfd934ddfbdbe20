"""A court confirmation waiting on the court (issue 14 part 10): the latest written agreement of
the year still within its 30 days, mediated by a unit other than the court, is applied for
through the service as its mediating unit's handler would, so the demo's `court` account finds
the 受理 / 延长 / 裁定 buttons on that case and the mediating unit finds none."""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from yimen.mediation.models import Agreement
from yimen.mediation.services import court_confirmation_apply
from yimen.mediation.services._base import AFTERWARDS
from yimen.org.models import Membership, Unit
from yimen.org.roles import Role

MEDIATING_SEATS = (Role.HANDLER, Role.MEDIATOR)


def _awaiting_the_court() -> str:
    seats = Membership.objects.filter(unit_id=OuterRef("mediation__case__lead_unit_id"), role__in=MEDIATING_SEATS)
    agreement = (
        Agreement.objects.filter(oral=False, confirmation=None, mediation__case__state__in=AFTERWARDS)
        .filter(Exists(seats), confirm_by__gte=timezone.now())
        .exclude(mediation__case__lead_unit__kind=Unit.Kind.COURT)
        .select_related("mediation__case")
        .order_by("-signed_at")
        .first()
    )
    if agreement is None:
        return ""
    case = agreement.mediation.case
    handler = Membership.objects.filter(unit_id=case.lead_unit_id, role__in=MEDIATING_SEATS).first()
    court_confirmation_apply(case=case, actor=handler, version=case.version, applied_on=timezone.localdate())
    return case.code
