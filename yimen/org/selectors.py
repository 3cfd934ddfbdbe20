"""Reads for units and memberships."""

from django.db.models import QuerySet

from yimen.core.models import User
from yimen.geo.models import Region
from yimen.org.models import Membership, Unit


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True, unit__is_active=True)
        .select_related("unit", "jurisdiction", "user")
        .order_by("id")
    )


def active_membership(user: User, member_id: int | None) -> Membership | None:
    """The seat the user acts in now: the one chosen in the session, else their first."""
    return choose_seat(list(memberships_of(user)), member_id)


def choose_seat(seats: list[Membership], member_id: int | None) -> Membership | None:
    """Of a user's active seats, the one chosen (by id), else their first."""
    chosen = [m for m in seats if m.id == member_id]
    return (chosen or seats or [None])[0]


def units_list(*, kind: str | None = None, region: Region | None = None) -> QuerySet[Unit]:
    units = Unit.objects.filter(is_active=True).select_related("region")
    if kind:
        units = units.filter(kind=kind)
    if region:
        units = units.filter(region__path__startswith=region.path)
    return units.order_by("code")


def unit_staff(unit: Unit) -> QuerySet[Membership]:
    return unit.memberships.filter(is_active=True).select_related("user", "jurisdiction").order_by("role", "user__name")
