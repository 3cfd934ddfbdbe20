"""The case lists: a member's visible cases filtered and sorted, a person's cases, the capped
count of a list, and the intake desk's similar cases; always scoped by Case.objects.visible_to
(DESIGN §8)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from yimen.cases import sorting
from yimen.cases.models import (
    Case,
    Party,
)
from yimen.cases.search import search
from yimen.core.calendar import day_end, day_start
from yimen.geo.models import Region


@dataclass
class CaseFilters:
    """The list filters of GET /cases (API.md) and the case list page."""

    state: str | None = None
    kind: str | None = None
    region: str | None = None  # a region code: its whole subtree
    risk: str | None = None
    overdue: bool | None = None
    q: str = ""
    received_since: date | None = None  # inclusive, a day in Beijing time
    received_until: date | None = None  # inclusive
    lead_unit: str | None = None
    sort: str = sorting.NEWEST  # a key of cases.sorting


# What a list row reads: the page's columns and GET /cases's item, with is_overdue's inputs
# (state, accept_deadline, deadline). A whole row also carried the description and, through the
# joined region, its boundary polygon, which cost more to read than the rest of the row (issue 22
# part 3). SEARCHED_FIELDS are what search.match_places reads besides, when the box was used.
ROW_FIELDS = (
    "code",
    "title",
    "kind",
    "state",
    "risk",
    "accept_deadline",
    "deadline",
    "updated_at",
    "region__code",
    "region__name",
    "lead_unit__code",
    "lead_unit__name",
)
SEARCHED_FIELDS = ("source_ref", "description")


def case_list(*, member, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The member's visible cases, filtered, in the filters' order (newest received first unless
    another column is chosen); one query for a page of rows (region and lead unit joined)."""
    filters = filters or CaseFilters()
    cases = Case.objects.visible_to(member).select_related("region", "lead_unit")
    if filters.state:
        cases = cases.filter(state=filters.state)
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.risk:
        cases = cases.filter(risk=filters.risk)
    if filters.region:
        place = Region.objects.filter(code=filters.region).only("path").first()
        if place is None:  # no such region: nothing lies in it
            return Case.objects.none()
        cases = cases.filter(region_path__startswith=place.path)
    if filters.lead_unit:
        cases = cases.filter(lead_unit__code=filters.lead_unit)
    if filters.overdue is not None:
        overdue = Case.unscoped.overdue().filter(pk=OuterRef("pk"))
        cases = cases.filter(Exists(overdue)) if filters.overdue else cases.exclude(Exists(overdue))
    if filters.received_since:
        cases = cases.filter(received_at__gte=day_start(filters.received_since))
    if filters.received_until:
        cases = cases.filter(received_at__lt=day_end(filters.received_until))
    q = (filters.q or "").strip()
    if q:
        cases = cases.filter(search(q))
    if filters.sort == sorting.NEWEST:  # the default, straight down the received index
        return cases.order_by("-received_at", "-id")
    return sorting.order_cases(cases, filters.sort)


def person_cases(*, member, person) -> QuerySet[Case]:
    """The cases of a registry person that the member may see (API.md GET /persons/{id}/cases):
    a party linked to the person, or one whose ID number or phone has the person's blind index
    (a caller registered before the person was, or without picking them). Newest first, one
    query for the rows (region and lead unit joined); the party indexes serve each arm."""
    same = Q(person_id=person.pk)
    if person.id_number_index:
        same |= Q(id_number_index=person.id_number_index)
    if person.phone_index:
        same |= Q(phone_index=person.phone_index)
    theirs = Party.objects.filter(same, case=OuterRef("pk"))
    cases = Case.objects.visible_to(member).filter(Exists(theirs)).select_related("region", "lead_unit")
    return cases.order_by("-received_at", "-id")


# A list is counted up to this many rows (issue 22): an exact count of a county's million visible
# cases cost more than the page itself on every view, and nobody pages past the 400th page — the
# filters narrow a list. Beyond it a list says "more than" (the page) or count_exact: false (API).
LIST_COUNT_CAP = 10_000


def count_capped(cases: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """(count, exact): the rows of `cases` counted up to `cap` (LIST_COUNT_CAP), unordered (the
    count needs no sort); beyond it (cap, False). The cost grows with the cap, not the table."""
    cap = LIST_COUNT_CAP if cap is None else cap
    found = cases.order_by()[: cap + 1].count()
    return (found, True) if found <= cap else (cap, False)


def case_page(
    *, member, filters: CaseFilters | None = None, page: int = 1, page_size: int = 50
) -> tuple[int, bool, list[Case]]:
    """(count, whether the count is exact, rows of that page): the count is capped
    (count_capped), so the first page costs the same at ten thousand cases as at ten million; the
    rows hold ROW_FIELDS alone (GET /cases's item)."""
    cases = case_list(member=member, filters=filters).only(*ROW_FIELDS)
    start = (page - 1) * page_size
    count, exact = count_capped(cases)
    return count, exact, list(cases[start : start + page_size])


def similar_cases(*, member, person_ids=(), region: str | None = None, exclude: str | None = None, days: int = 180):
    """Hints for the intake desk: recent visible cases of the same registry persons or the same
    place (the region's subtree), newest first."""
    since = timezone.now() - timedelta(days=days)
    match = Q()
    if person_ids:
        match |= Exists(Party.objects.filter(case=OuterRef("pk"), person_id__in=list(person_ids)))
    if region:
        place = Region.objects.filter(code=region).only("path").first()
        if place is not None:
            match |= Q(region_path__startswith=place.path)
    if not match:
        return Case.objects.none()
    cases = Case.objects.visible_to(member).filter(match, received_at__gte=since)
    if exclude:
        cases = cases.exclude(code=exclude)
    return cases.select_related("region").order_by("-received_at", "-id")[:10]
