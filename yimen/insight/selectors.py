"""Reads of the command centre, always within the member's jurisdiction: the KPI board, the
dashboard's charts and drill-down, and the overdue and risk boards. A region outside the
jurisdiction is 404, like one that does not exist."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from yimen.cases.models import ACTIVE_STATES, LEVEL_NAMES, Case, HandlingTier, Kind, Risk, SupervisionLevel
from yimen.core.figures import percent
from yimen.geo.models import Region
from yimen.insight import linked
from yimen.insight.kpis import compute
from yimen.insight.kpis.definitions import KPIS
from yimen.insight.kpis.period import Period, period_parse
from yimen.insight.models import AgendaItem, DisplayToken
from yimen.insight.rollups.facts import Scope
from yimen.org.models import Membership, Unit

KIND_LABELS = dict(Kind.choices)
TOP_UNITS = 10
BOARD_ROWS = 6  # rows per board section on the dashboard; the supervision board has the rest
BOARD_SCAN = 300  # late cases read to sort into 通报, 督办 and 催办
# Which level a region's map and drill-down show below it.
CHILD_LEVEL = {
    Region.Level.PROVINCE: Region.Level.CITY,
    Region.Level.CITY: Region.Level.COUNTY,
    Region.Level.COUNTY: Region.Level.TOWN,
    Region.Level.TOWN: Region.Level.GRID,
    Region.Level.VILLAGE: Region.Level.GRID,
    Region.Level.GRID: Region.Level.MICROGRID,
}


@dataclass
class Board:
    region: Region
    period: Period
    scope: Scope
    values: dict = field(default_factory=dict)


def kpi_board(*, member, region: str | None = None, since=None, until=None, kind=None, unit=None) -> Board:
    """The KPIs of a region in the member's jurisdiction for a period (404 outside; 422 for an
    impossible period)."""
    place = compute.kpi_region(member=member, code=region)
    period = period_parse(since, until)
    owner = None
    if unit:
        owner = Unit.objects.filter(code=unit).first()
        if owner is None:
            raise Http404
    scope = compute.scope_for(member=member, region=place, period=period, kind=kind, unit=owner)
    values = compute.kpis(member=member, scope=scope, kind=kind)
    return Board(region=place, period=period, scope=scope, values=values)


def kpi_cards(board: Board) -> list[dict]:
    """The KPI cards: label, value as shown, and the definition for the tooltip."""
    cards = []
    for kpi in KPIS:
        value = board.values[kpi.key]
        shown = percent(value) if kpi.is_rate or value is None else f"{value:,}"
        cards.append({"key": kpi.key, "label": kpi.label, "value": value, "shown": shown, "definition": kpi.definition})
    return cards


def _depth_prefix(path: str, depth: int) -> str:
    return "/".join(path.split("/")[: depth + 1]) + "/"


def child_regions(*, member, region: Region, level: str | None = None) -> list[Region]:
    """The regions one drill step below (or at `level` within the subtree), in code order."""
    level = level or CHILD_LEVEL.get(region.level)
    if level is None:
        return []
    return list(
        Region.objects.subtree(region).filter(level=level, path__startswith=member.jurisdiction.path).order_by("code")
    )


def received_by_region(board: Board, regions: list[Region]) -> dict[str, int]:
    """Received cases of the period per region (by code), from the rollups by path prefix."""
    levels = {r.level for r in regions}
    child = Region.Level.MICROGRID if Region.Level.MICROGRID in levels else next(iter(levels), None)
    by_path = compute.rollup_groups(compute.regrain(board.scope, child_level=child), "region_path")
    counts = dict.fromkeys((r.code for r in regions), 0)
    wanted = {r.path: r.code for r in regions}
    depths = {r.depth for r in regions}
    for path, n in by_path.items():
        for depth in depths:
            code = wanted.get(_depth_prefix(path, depth))
            if code:
                counts[code] += n
    return counts


def _case_list_url(region: Region, period: Period) -> str:
    query = {"tab": "all", "region": region.code, "received_since": period.since, "received_until": period.until}
    return f"{reverse('cases:list')}?{urlencode(query)}"


def drill_level(region: Region) -> str | None:
    """One drill step: town → village → grid → micro-grid (the map skips villages: it shades grids)."""
    return Region.Level.VILLAGE if region.level == Region.Level.TOWN else CHILD_LEVEL.get(region.level)


def drill_rows(*, member, board: Board) -> list[dict]:
    """The next level down with its received count and where a click goes: the dashboard of a
    village (from a town), or the case list of a grid. The cases registered at the region itself
    (a village's, placed in no grid) are a row of their own, so the rows add up to the region's
    figure (issue 21 item 9)."""
    level = drill_level(board.region)
    children = child_regions(member=member, region=board.region, level=level) if level else []
    counts = received_by_region(board, children)
    rows = _child_rows(board, children, counts)
    if children:
        direct = received_by_region(board, [board.region])[board.region.code] - sum(counts.values())
        if direct:
            name = f"{board.region.name}本级（未落到下一级区域）"
            rows.append({"code": board.region.code, "name": name, "received": direct, "url": None, "cases_url": None})
    return rows


def _child_rows(board: Board, children: list[Region], counts: dict[str, int]) -> list[dict]:
    rows = []
    for child in children:
        deeper = child.level in (Region.Level.COUNTY, Region.Level.TOWN, Region.Level.VILLAGE)
        dashboard = f"{reverse('insight:dashboard')}?{urlencode({'region': child.code})}"
        rows.append(
            {
                "code": child.code,
                "name": child.name,
                "received": counts[child.code],
                "url": dashboard if deeper else _case_list_url(child, board.period),
                "cases_url": _case_list_url(child, board.period),
            }
        )
    return rows


def breakdowns(board: Board) -> dict:
    by_kind = compute.rollup_groups(board.scope, "kind")
    by_unit = compute.rollup_groups(compute.regrain(board.scope, by_unit=True), "unit")
    top = sorted(((n, pk) for pk, n in by_unit.items() if n), reverse=True)[:TOP_UNITS]
    names = dict(Unit.objects.filter(pk__in=[pk for _, pk in top]).values_list("pk", "name"))
    return {
        "kinds": [{"name": KIND_LABELS.get(k, k), "value": n} for k, n in sorted(by_kind.items()) if n],
        "units": [{"name": names.get(pk, "—"), "value": n} for n, pk in top],
    }


def dashboard_data(*, member, board: Board) -> dict:
    """Everything the dashboard's charts draw, as JSON."""
    return {
        "region": {"code": board.region.code, "name": board.region.name, "level": board.region.level},
        "period": {"since": board.period.since.isoformat(), "until": board.period.until.isoformat()},
        "kpis": kpi_cards(board),
        "trend": compute.rollup_trend(board.scope),
        **breakdowns(board),
        "drill": drill_rows(member=member, board=board),
        "empty": not board.values["counts"]["received"] and not board.values["overdue"],
    }


# ---------------------------------------------------------------------------------------------
# Boards


@dataclass
class Boards:
    levels: list[tuple[SupervisionLevel, list[dict], int]]  # 通报, 督办, 催办: first rows, total
    risky: list[dict]
    overdue_total: int
    risky_total: int
    partial: bool = False  # more late cases than BOARD_SCAN: the per-level counts are of the longest late


# Ten working days (通报) never span more than this many natural days: the longest run of days
# off in the calendar is a holiday week joined to weekends. A case late longer is 通报 without
# counting its working days one by one (which, for a case a year late, is a year of days).
CENSURE_SURELY_AFTER = timedelta(days=30)


def _level(case: Case, now) -> SupervisionLevel:
    due = case.accept_deadline if case.state == Case.State.REGISTERED else case.deadline
    if due is not None and now - due > CENSURE_SURELY_AFTER and case.state in Case.ACTIVE:
        return SupervisionLevel.CENSURE
    return SupervisionLevel(case.overdue_level)


def _first_due(cases, limit: int, *, late_at=None) -> list[Case]:
    """The `limit` open cases due first (only those late at `late_at`, if given): one query per
    open state, each walking the (state, deadline) index in order and stopping early, merged
    here — one query over every open state would sort them all (tens of thousands at county
    scale). A registered case is due by its acceptance notice."""
    found = []
    for state in ACTIVE_STATES:
        due = "accept_deadline" if state == Case.State.REGISTERED else "deadline"
        rows = cases.filter(state=state).select_related("region", "lead_unit", "first_unit")
        if late_at is not None:
            rows = rows.filter(**{f"{due}__lt": late_at})
        found += rows.order_by(due, "id")[:limit]
    latest = timezone.now() + timedelta(days=36500)

    def due_at(case: Case):
        return (case.accept_deadline if case.state == Case.State.REGISTERED else case.deadline) or latest

    return sorted(found, key=lambda case: (due_at(case), case.pk))[:limit]


def boards(*, member, region: Region, now=None, overdue_total: int | None = None) -> Boards:
    """The overdue board by level (通报 › 督办 › 催办, among the BOARD_SCAN cases late longest)
    and the risk board (open red and orange cases with their joint plans, red first, soonest
    due first), within the region. Rows are shaped like the supervision board's
    (cases/_board_row.html): {case, level}. Bounded reads, not the whole supervision board: at
    county scale that is tens of thousands of open cases (the supervision board, /cases/
    supervision/, also lists cases supervised before they are late). `overdue_total` may come
    from the KPIs (the same count)."""
    now = now or timezone.now()
    visible = Case.objects.visible_to(member).filter(region_path__startswith=region.path)
    late = _first_due(visible, BOARD_SCAN, late_at=now)
    rows = [{"case": case, "level": _level(case, now), "actions": ()} for case in late]
    order = (SupervisionLevel.CENSURE, SupervisionLevel.SUPERVISE, SupervisionLevel.URGE)
    sections = {level: [row for row in rows if row["level"] == level] for level in order}
    risky = [case for risk in (Risk.RED, Risk.ORANGE) for case in _first_due(visible.filter(risk=risk), BOARD_ROWS)]
    total = visible.overdue(now).count() if overdue_total is None else overdue_total
    return Boards(
        levels=[(level, found[:BOARD_ROWS], len(found)) for level, found in sections.items()],
        risky=[{"case": case, "level": _level(case, now), "actions": ()} for case in risky[:BOARD_ROWS]],
        overdue_total=total,
        risky_total=visible.active().filter(risk__in=(Risk.RED, Risk.ORANGE)).count(),
        partial=total > BOARD_SCAN,
    )


def board_json(found: Boards) -> dict:
    def line(row: dict) -> dict:
        case = row["case"]
        return {
            "code": case.code,
            "title": case.title,
            "region": case.region.name,
            "risk": case.risk,
            "unit": case.lead_unit.name if case.lead_unit else case.first_unit.name,
            "deadline": timezone.localtime(case.deadline).strftime("%m-%d %H:%M") if case.deadline else "",
            "level": LEVEL_NAMES[row["level"]],
            "plan": case.joint_plan,
        }

    return {
        "levels": [
            {"level": int(level), "label": level.label, "rows": [line(r) for r in rows], "total": total}
            for level, rows, total in found.levels
        ],
        "risky": [line(r) for r in found.risky],
        "overdue_total": found.overdue_total,
        "risky_total": found.risky_total,
    }


# ---------------------------------------------------------------------------------------------
# The map


HAZARD_POINTS = 500


def map_layers(*, member, board: Board) -> dict:
    """The map: the areas one level down shaded by the period's received cases, the open hazard
    reports with a location, and the camera points where the fieldwork app keeps them."""
    level = CHILD_LEVEL.get(board.region.level, Region.Level.MICROGRID)
    density = received_by_region(board, child_regions(member=member, region=board.region, level=level))
    hazards = (
        Case.objects.visible_to(member)
        .active()
        .filter(kind=Kind.HAZARD, region_path__startswith=board.region.path, lat__isnull=False, lng__isnull=False)
        .order_by()  # any HAZARD_POINTS of them: an order would walk the whole received index
        .values("code", "title", "lat", "lng", "risk")[:HAZARD_POINTS]
    )
    return {
        "level": level,
        "density": density,
        "max": max(density.values(), default=0),
        "hazards": list(hazards),
        "cameras": linked.camera_points(board.region.path),
    }


def display_grant(token_id: int | None) -> DisplayToken | None:
    """The live display grant a hall screen's session holds, with the seat it shows."""
    if token_id is None:
        return None
    return (
        DisplayToken.objects.live()
        .filter(pk=token_id)
        .select_related("member__unit__region", "member__jurisdiction", "member__user")
        .first()
    )


def display_tokens_of_unit(member: Membership) -> QuerySet[DisplayToken]:
    """The display grants issued in the member's unit, newest first (live and ended)."""
    return DisplayToken.objects.filter(member__unit=member.unit_id).select_related("member__user").order_by("-id")


def awaiting_meeting(*, member) -> QuerySet[Case]:
    """待上会: the open cases the member sees whose risk tier asks for a joint-meeting slot (red,
    洞井) and that are on no meeting's agenda yet, longest waiting first."""
    risks = HandlingTier.objects.filter(meeting_slot_required=True).values("risk")
    slotted = AgendaItem.objects.filter(case=OuterRef("pk"))
    return (
        Case.objects.visible_to(member)
        .active()
        .filter(risk__in=risks)
        .exclude(Exists(slotted))
        .select_related("region")
        .order_by("received_at", "id")
    )


def next_agenda(*, member) -> QuerySet[AgendaItem]:
    """下次联席会议议程: the slots not yet taken by a recorded meeting, on cases the member sees."""
    visible = Case.objects.visible_to(member)
    return AgendaItem.objects.filter(meeting=None, case__in=visible).select_related("case").order_by("added_at", "id")
