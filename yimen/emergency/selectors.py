"""Reads for emergency command and the 快警站, scoped to the member (hidden → 404)."""

import re
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.http import Http404

from yimen.core.permissions import require_permission
from yimen.emergency.models import Incident, IncidentTask, LostItem, MissingPerson

MATCH_WINDOW = timedelta(days=30)


def incidents_visible(member) -> QuerySet[Incident]:
    require_permission(member, "incident.view")
    return Incident.objects.visible_to(member).select_related("region", "case")


def incident_get(member, incident_id: int) -> Incident:
    found = incidents_visible(member).filter(pk=incident_id).first()
    if found is None:
        raise Http404
    return found


def task_get(incident: Incident, task_id: int) -> IncidentTask:
    found = incident.tasks.select_related("unit", "incident").filter(pk=task_id).first()
    if found is None:
        raise Http404
    return found


def _station_items(member) -> QuerySet[LostItem]:
    require_permission(member, "lostfound.view")
    if member.unit.kind == "police":
        return LostItem.objects.filter(unit=member.unit)
    return LostItem.objects.filter(unit__region__path__startswith=member.jurisdiction.path)


def lost_item_get(member, item_id: int) -> LostItem:
    found = _station_items(member).filter(pk=item_id).first()
    if found is None:
        raise Http404
    return found


def words(text: str) -> set[str]:
    """Chinese has no spaces: match on character pairs (bigrams) and on runs of Latin or digits."""
    runs = re.findall(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+", text.lower())
    found: set[str] = set()
    for run in runs:
        if run.isascii():
            found.add(run)
        else:
            found.update(run[i : i + 2] for i in range(max(len(run) - 1, 1)))
    return found


def lost_item_matches(member, item: LostItem, limit: int = 10) -> list[tuple[LostItem, float]]:
    """Open items of the other kind within 30 days, ranked by shared words, then same place, then
    closeness in time."""
    other = LostItem.Kind.FOUND if item.kind == LostItem.Kind.LOST else LostItem.Kind.LOST
    pool = _station_items(member).filter(
        kind=other, state=LostItem.State.OPEN, at__gte=item.at - MATCH_WINDOW, at__lte=item.at + MATCH_WINDOW
    )
    mine = words(item.description)
    if not mine:
        return []
    # The database drops every row that shares no word before Python ranks what is left.
    shares = Q()
    for word in mine:
        shares |= Q(description__contains=word)
    scored = []
    for candidate in pool.filter(shares).only("id", "kind", "description", "place", "at", "state"):
        shared = len(mine & words(candidate.description))
        if not shared:
            continue
        score = shared / max(len(mine), 1) + (0.5 if candidate.place == item.place else 0)
        score -= abs((candidate.at - item.at).total_seconds()) / MATCH_WINDOW.total_seconds() * 0.2
        scored.append((candidate, round(score, 3)))
    scored.sort(key=lambda pair: -pair[1])
    return scored[:limit]


def missing_get(member, person_id: int) -> MissingPerson:
    require_permission(member, "lostfound.view")
    rows = MissingPerson.objects.filter(pk=person_id)
    if member.unit.kind == "police":
        rows = rows.filter(unit=member.unit)
    else:
        rows = rows.filter(unit__region__path__startswith=member.jurisdiction.path)
    found = rows.first()
    if found is None:
        raise Http404
    return found
