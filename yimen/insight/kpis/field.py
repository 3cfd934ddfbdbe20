"""KPIs from the registry and the grid: police-contact coverage (警民联系) of households and the
activity of informants and grid workers (信息员、网格员)."""

from django.db.models import Count, Exists, OuterRef, Q

from yimen.cases.models import Case
from yimen.insight.rollups.facts import Scope
from yimen.org.models import Membership
from yimen.org.roles import Role
from yimen.people.models import Household, ResidentNote

REPORTING_ROLES = (Role.INFORMANT, Role.GRID_WORKER)


def contact_counts(scope: Scope) -> tuple[int, int]:
    """(households in police contact by the period's last day, households) of the subtree."""
    got = Household.objects.filter(region__path__startswith=scope.path).aggregate(
        total=Count("pk"), joined=Count("pk", filter=Q(police_contact_on__lte=scope.last))
    )
    return got["joined"], got["total"]


def informant_counts(scope: Scope) -> tuple[int, int]:
    """(active, on duty): informants and grid workers seated in the subtree, and those of them
    who reported a case received in the period or wrote a resident-file record dated in it."""
    start, end = scope.window()
    reported = Case.unscoped.filter(registered_by=OuterRef("user_id"), received_at__gte=start, received_at__lt=end)
    noted = ResidentNote.objects.filter(
        author=OuterRef("user_id"), happened_on__gte=scope.first, happened_on__lte=scope.last
    )
    seats = Membership.objects.filter(
        is_active=True, role__in=REPORTING_ROLES, jurisdiction__path__startswith=scope.path
    )
    active = seats.filter(Q(Exists(reported)) | Q(Exists(noted)))
    return active.values("user_id").distinct().count(), seats.values("user_id").distinct().count()
