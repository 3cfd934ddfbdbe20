"""吹哨报到: a case's whistles, and the open ones summoning a member's unit."""

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
)
from django.shortcuts import get_object_or_404

from yimen.cases.models import (
    Case,
    Whistle,
    WhistleCall,
)


def _calls() -> Prefetch:
    return Prefetch("calls", queryset=WhistleCall.objects.select_related("unit").order_by("id"))


def case_whistles(*, case: Case) -> list[Whistle]:
    """The case's whistles, open ones first, newest first within each (two queries whatever
    their number)."""
    rows = case.whistles.select_related("summoned_by_user", "summoned_by_unit").prefetch_related(_calls())
    return list(rows.order_by(F("released_at").desc(nulls_first=True), "-summoned_at", "-id"))


def whistle_get(*, case: Case, whistle_id: int) -> Whistle:
    """One whistle of this (already visible) case, else 404."""
    rows = Whistle.objects.select_related("case", "case__region").prefetch_related(_calls())
    return get_object_or_404(rows, case=case, pk=whistle_id)


def whistles_open_for(*, member) -> list[Whistle]:
    """The open whistles summoning the member's unit, on cases the member may see, soonest due
    first (the home page and the phone app)."""
    if not member.has_perm("case.view"):
        return []
    calls = WhistleCall.objects.filter(unit_id=member.unit_id, whistle__released_at=None)
    rows = (
        Whistle.objects.filter(Exists(calls.filter(whistle=OuterRef("pk"))), case__in=Case.objects.visible_to(member))
        .select_related("case", "case__region", "summoned_by_unit")
        .prefetch_related(_calls())
        .order_by("summoned_at", "id")
    )
    return [_with_mine(whistle, member.unit_id) for whistle in rows]


def whistles_open_in(*, member) -> list[Whistle]:
    """The open whistles on the cases in the member's jurisdiction, for the summoner's side
    (政法委员, dispatcher: `case.whistle`): "事不完人不撤" — each stays on their day until
    released. Oldest first: the longest open comes first."""
    if not member.has_perm("case.whistle"):
        return []
    rows = (
        Whistle.objects.filter(released_at=None, case__in=Case.objects.visible_to(member))
        .select_related("case", "case__region", "summoned_by_unit")
        .prefetch_related(_calls())
        .order_by("summoned_at", "id")
    )
    return list(rows)


def _with_mine(whistle: Whistle, unit_id: int) -> Whistle:
    whistle.mine = next(call for call in whistle.calls.all() if call.unit_id == unit_id)
    return whistle
