"""Reads for grid work, always scoped to the member's area: a grid worker sees their grid's
households, reports, places and alerts and nothing of another grid (404, never "not yours")."""

import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yimen.cases.models import Case
from yimen.fieldwork.models import (
    AlertCall,
    Camera,
    CameraCitation,
    CameraLog,
    CheckList,
    CheckPlace,
    DefenceAlert,
    PatrolLog,
    Report,
    Visit,
)
from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.people import selectors as people
from yimen.people.models import Household, PatrolTeam

# A household not visited for this long shows among today's tasks (走访全覆盖: each household at
# least once a quarter is the usual grid-work norm).
VISIT_EVERY_DAYS = 90
TASK_LIMIT = 20
UNVISITED_LIMIT = 5  # the longest-waiting few; the roster lists the rest


def areas(*, member: Membership) -> QuerySet[Region]:
    """The member's own area and the grids and micro-grids under it, in order."""
    levels = [Region.Level.VILLAGE, Region.Level.GRID, Region.Level.MICROGRID, Region.Level.SPECIAL]
    return Region.objects.subtree(member.jurisdiction).filter(level__in=levels).order_by("path")


def area_get(*, member: Membership, code: str) -> Region:
    return get_object_or_404(areas(member=member), code=code)


def households(*, member: Membership, region: Region | None = None) -> QuerySet[Household]:
    return people.roster(member=member, region=region or member.jurisdiction).select_related("defence_group")


SEARCH_LIMIT = 50
DIGITS = re.compile(r"([0-9]+)")
# "3-12", "3 12", "3组12" typed for 3组12号: the address as the registry writes it.
GROUP_NUMBER = re.compile(r"^([0-9]+)\s*[组\-－—\s]\s*([0-9]+)\s*号?$")


def natural_key(text: str) -> tuple:
    """A sort key in which runs of digits compare as numbers: 1组2号 before 1组10号, 2组1号 after
    both. Computed here rather than in SQL: SQLite has no natural collation, and a stored key
    would need a column in the registry for one ordering."""
    parts = DIGITS.split(text)  # odd places hold the digit runs
    return tuple((0, int(part), "") if i % 2 else (1, 0, part) for i, part in enumerate(parts) if part)


def household_search(*, member: Membership, region: Region | None = None, q: str = "") -> QuerySet[Household]:
    """The member's households, narrowed by what a grid worker knows of one: the head's name, part
    of the address, the 户号, or group and number ("3组12号", "3-12")."""
    rows = households(member=member, region=region)
    q = " ".join((q or "").split())[:SEARCH_LIMIT]
    if not q:
        return rows
    rule = Q(address__icontains=q) | Q(head__name__icontains=q) | Q(number__icontains=q)
    found = GROUP_NUMBER.match(q)
    if found:
        rule |= Q(address__contains=f"{found[1]}组{found[2]}号")
    return rows.filter(rule)


def household_page(
    *, member: Membership, region: Region | None = None, q: str = "", page: object = 1, per_page: int = 50
) -> Page:
    """One page of the roster in natural order (micro-grid, then address with numbers as numbers):
    the keys of every match in one light query, then the page's households in a second."""
    rows = household_search(member=member, region=region, q=q)
    keys = sorted(rows.values_list("pk", "region__code", "address"), key=lambda r: (r[1], natural_key(r[2]), r[0]))
    found = Paginator([pk for pk, _, _ in keys], per_page).get_page(page)
    by_pk = {h.pk: h for h in rows.filter(pk__in=found.object_list)} if found.object_list else {}
    found.object_list = [by_pk[pk] for pk in found.object_list]
    return found


def household_get(*, member: Membership, household_id: int) -> Household:
    return people.household_get_visible(member=member, household_id=household_id)


def reports_visible(*, member: Membership) -> QuerySet[Report]:
    """Reports in the member's area, and their own wherever they are."""
    rule = Q(region__path__startswith=member.jurisdiction.path) | Q(reporter=member.user_id)
    return Report.objects.filter(rule).select_related("region", "case", "case__region").prefetch_related("photos")


def report_get(*, member: Membership, report_id: int) -> Report:
    return get_object_or_404(reports_visible(member=member), pk=report_id)


def my_reports(*, member: Membership) -> QuerySet[Report]:
    return reports_visible(member=member).filter(reporter=member.user_id)


def case_reports(*, member: Membership, case: Case) -> list[Report]:
    """The grid reports behind a case (for the case page's panel)."""
    return list(Report.objects.filter(case=case).prefetch_related("photos").order_by("created_at"))


def grid_cases(*, member: Membership) -> QuerySet[Case]:
    """Cases reported from the member's area through the grid channel (the demo's hazard reports
    among them), newest first, for a history beyond the app's own reports."""
    path = member.jurisdiction.path
    return Case.objects.visible_to(member).filter(channel="grid", region_path__startswith=path).order_by("-received_at")


def checks_due(*, member: Membership, today: date | None = None) -> list[CheckPlace]:
    """The member's places whose last check is older than their list's cycle (or never checked)."""
    today = today or timezone.localdate()
    cycles = dict(CheckList.objects.values_list("place_type", "every_days"))
    places = (
        CheckPlace.objects.filter(region__path__startswith=member.jurisdiction.path)
        .select_related("region")
        .annotate(last=Max("records__checked_on"))
        .order_by("last", "name")
    )
    return [p for p in places if p.last is None or p.last + timedelta(days=cycles.get(p.place_type, 30)) <= today]


def checklist_for(place: CheckPlace) -> CheckList | None:
    return CheckList.objects.filter(place_type=place.place_type).first()


def place_get(*, member: Membership, place_id: int) -> CheckPlace:
    places = CheckPlace.objects.filter(region__path__startswith=member.jurisdiction.path).select_related("region")
    return get_object_or_404(places, pk=place_id)


@dataclass
class Tasks:
    follow_ups: list[Visit] = field(default_factory=list)
    unvisited: list[Household] = field(default_factory=list)
    to_verify: list[Report] = field(default_factory=list)
    open_reports: list[Report] = field(default_factory=list)
    checks: list[CheckPlace] = field(default_factory=list)

    @property
    def count(self) -> int:
        return (
            len(self.follow_ups) + len(self.unvisited) + len(self.to_verify) + len(self.open_reports) + len(self.checks)
        )


def tasks(*, member: Membership, today: date | None = None) -> Tasks:
    """今日任务: follow-ups due, households not visited for a quarter, informants' reports to
    verify (for those who register), my reports still being handled, and checks due."""
    today = today or timezone.localdate()
    path = member.jurisdiction.path
    follow_ups = (
        Visit.objects.filter(household__region__path__startswith=path, follow_up_done=False, follow_up_due__lte=today)
        .exclude(follow_up="")
        .select_related("household")
        .order_by("follow_up_due")
    )
    since = today - timedelta(days=VISIT_EVERY_DAYS)
    recent = Visit.objects.filter(household=OuterRef("pk"), note__happened_on__gte=since)
    unvisited = households(member=member).exclude(Exists(recent))
    to_verify = Report.objects.none()
    if member.has_perm("case.register"):
        to_verify = reports_visible(member=member).filter(state=Report.State.PENDING, region__path__startswith=path)
    open_reports = my_reports(member=member).filter(Q(state=Report.State.PENDING) | Q(case__state__in=Case.ACTIVE))
    return Tasks(
        follow_ups=list(follow_ups[:TASK_LIMIT]),
        unvisited=list(unvisited.order_by("id")[:UNVISITED_LIMIT]),
        to_verify=list(to_verify[:TASK_LIMIT]),
        open_reports=list(open_reports[:TASK_LIMIT]),
        checks=checks_due(member=member, today=today)[:TASK_LIMIT],
    )


def teams(*, member: Membership, retired: bool | None = False) -> QuerySet[PatrolTeam]:
    """Patrol teams working in the member's area: those inside it and those whose area holds it;
    active ones by default (retired=True: only the retired; None: both)."""
    jurisdiction = member.jurisdiction
    rule = Q(region__path__startswith=jurisdiction.path) | Q(region__code__in=jurisdiction.ancestor_codes)
    rows = PatrolTeam.objects.filter(rule)
    if retired is not None:
        rows = rows.filter(retired_at__isnull=not retired)
    return rows.select_related("region").order_by("region__code", "name")


def team_get(*, member: Membership, team_id: int) -> PatrolTeam:
    """A team of the member's area, retired or not (404 outside it)."""
    return get_object_or_404(teams(member=member, retired=None), pk=team_id)


def patrol_logs(*, member: Membership) -> QuerySet[PatrolLog]:
    return PatrolLog.objects.filter(team__in=teams(member=member)).select_related("team").order_by("-started_at")


def cameras(*, member: Membership, region: Region | None = None, retired: bool = False) -> QuerySet[Camera]:
    """Camera points in a region of the member's view (their jurisdiction by default); retired
    points only when asked for."""
    area = region or member.jurisdiction
    rows = Camera.objects.filter(region_path__startswith=area.path, retired_at__isnull=not retired)
    return rows.select_related("region", "unit").prefetch_related("covers")


def camera_get(*, member: Membership, camera_id: int) -> Camera:
    """A camera of the member's area, retired or not (404 outside it)."""
    rows = Camera.objects.filter(region_path__startswith=member.jurisdiction.path)
    return get_object_or_404(rows.select_related("region", "unit").prefetch_related("covers"), pk=camera_id)


def camera_log(*, camera: Camera) -> QuerySet[CameraLog]:
    return camera.log.order_by("-at", "-id")


# "Nearby" for a case citing cameras: the same grid, or a point within this distance of the
# case's place (a village street is about this long; footage further off rarely shows the scene).
NEAR_METRES = 500
NEAR_LIMIT = 30
METRES_PER_DEGREE = 111_320


def metres_between(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine): exact enough at a township's scale."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def _grid_of(region: Region) -> Region:
    return region.parent if region.level == Region.Level.MICROGRID and region.parent_id else region


def cameras_near(*, member: Membership, case: Case) -> list[Camera]:
    """Working cameras of the member's view near a case: in (or covering) the case's grid, or
    within NEAR_METRES of its place; nearest first when the case has a place."""
    grid = _grid_of(case.region)
    rule = Q(region_path__startswith=grid.path) | Q(covers=grid)
    if case.lat is not None and case.lng is not None:
        # A box in SQL, the circle in Python: no spatial index needed for 120 points or 12,000.
        dlat = NEAR_METRES / METRES_PER_DEGREE
        dlng = dlat / max(math.cos(math.radians(case.lat)), 0.01)
        rule |= Q(lat__range=(case.lat - dlat, case.lat + dlat), lng__range=(case.lng - dlng, case.lng + dlng))
    found = {c.pk: c for c in cameras(member=member).filter(rule)}
    rows = list(found.values())
    if case.lat is not None and case.lng is not None:
        for camera in rows:
            camera.metres = round(metres_between(case.lat, case.lng, camera.lat, camera.lng))
        in_grid = {c.pk for c in rows if c.region_path.startswith(grid.path)}
        rows = [c for c in rows if c.pk in in_grid or c.metres <= NEAR_METRES or grid in c.covers.all()]
        rows.sort(key=lambda c: (c.metres, c.code))
    else:
        rows.sort(key=lambda c: c.code)
    return rows[:NEAR_LIMIT]


def case_citations(*, case: Case) -> QuerySet[CameraCitation]:
    """The cameras a case cites, in citing order (retired ones too: the trail stays)."""
    return (
        CameraCitation.objects.filter(case=case)
        .select_related("camera", "camera__region", "camera__unit")
        .prefetch_related("camera__covers")
        .order_by("cited_at")
    )


def alerts(*, member: Membership) -> QuerySet[DefenceAlert]:
    path = member.jurisdiction.path
    return (
        DefenceAlert.objects.filter(household__region__path__startswith=path)
        .select_related("group", "household")
        .prefetch_related("calls__person")
    )


def alert_call_get(*, member: Membership, alert_id: int, position: int) -> AlertCall:
    calls = AlertCall.objects.filter(alert__household__region__path__startswith=member.jurisdiction.path)
    return get_object_or_404(
        calls.select_related("alert", "alert__household__region"), alert_id=alert_id, position=position
    )
