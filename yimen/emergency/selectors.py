"""Reads for emergency command and the 快警站, scoped to the member (hidden → 404)."""

import operator
import re
from datetime import date, datetime, time, timedelta
from functools import reduce

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from yimen.core.errors import Invalid
from yimen.core.permissions import require_permission
from yimen.emergency.models import (
    CallListEntry,
    DutyShift,
    Incident,
    IncidentTask,
    LostItem,
    MissingPerson,
    Resource,
    ResourceAllocation,
    TaskProgress,
    TouristHelp,
)
from yimen.geo.models import Region

MATCH_WINDOW = timedelta(days=30)
# What a match shows (the API's item), read in the one query.
MATCH_FIELDS = ("id", "kind", "description", "place", "at", "state", "returned_to", "registered_at", "handed_to")
MATCH_FIELDS += ("handed_signed_by", "handed_at")


def incidents_visible(member) -> QuerySet[Incident]:
    require_permission(member, "incident.view")
    return Incident.objects.visible_to(member).select_related("region", "case")


def incident_get(member, incident_id: int) -> Incident:
    found = (
        incidents_visible(member).select_related("declared_by__user", "commander__user").filter(pk=incident_id).first()
    )
    if found is None:
        raise Http404
    return found


def incidents_board(member) -> QuerySet[Incident]:
    """The board's rows, active first, each with its open and overdue task counts (one query
    however many incidents: the counts are annotations, distinct because a non-command member's
    scope joins the incident's units)."""
    now = timezone.now()
    is_open = Q(tasks__state__in=IncidentTask.UNFINISHED)
    # Explicit order: Meta.ordering does not apply to a query with GROUP BY.
    return (
        incidents_visible(member)
        .annotate(
            open_tasks=Count("tasks", filter=is_open, distinct=True),
            overdue_tasks=Count("tasks", filter=is_open & Q(tasks__due_at__lt=now), distinct=True),
        )
        .order_by("state", "-declared_at", "-pk")
    )


def overdue_tasks(member) -> QuerySet[IncidentTask]:
    """Open tasks past their due time on the member's active incidents (they flash on the board)."""
    active = incidents_visible(member).filter(state=Incident.State.ACTIVE).values("pk")
    return IncidentTask.objects.filter(
        incident__in=active, state__in=IncidentTask.UNFINISHED, due_at__lt=timezone.now()
    ).select_related("incident", "unit")


def unit_tasks(member) -> QuerySet[IncidentTask]:
    """The member's unit's unfinished tasks on active incidents (what a member in the field opens
    on the phone), the most urgent first."""
    active = incidents_visible(member).filter(state=Incident.State.ACTIVE).values("pk")
    return (
        IncidentTask.objects.filter(incident__in=active, unit=member.unit, state__in=IncidentTask.UNFINISHED)
        .select_related("incident")
        .order_by("due_at", "pk")
    )


def task_get(incident: Incident, task_id: int) -> IncidentTask:
    found = incident.tasks.select_related("unit", "incident").filter(pk=task_id).first()
    if found is None:
        raise Http404
    return found


def _at_station(member, rows: QuerySet) -> QuerySet:
    """The station (a police unit) sees its own registers; the centre sees every station in its
    jurisdiction; everyone else holds no lostfound.view (403)."""
    require_permission(member, "lostfound.view")
    if member.unit.kind == "police":
        return rows.filter(unit=member.unit)
    return rows.filter(unit__region__path__startswith=member.jurisdiction.path)


def _station_items(member) -> QuerySet[LostItem]:
    return _at_station(member, LostItem.objects.all())


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
    # The database drops every row that shares no word and counts the shared words of the rest
    # (a word is shared when the description contains it; Latin words case aside), so Python only
    # ranks what is left.
    has = [Q(**{"description__icontains" if w.isascii() else "description__contains": w}) for w in mine]
    counted = sum(
        (Case(When(h, then=1), default=0, output_field=IntegerField()) for h in has), Value(0, IntegerField())
    )
    scored = []
    rows = pool.filter(reduce(operator.or_, has)).annotate(shared=counted).only(*MATCH_FIELDS)
    for candidate in rows:
        score = candidate.shared / len(mine) + (0.5 if candidate.place == item.place else 0)
        score -= abs((candidate.at - item.at).total_seconds()) / MATCH_WINDOW.total_seconds() * 0.2
        scored.append((candidate, round(score, 3)))
    scored.sort(key=lambda pair: -pair[1])
    return scored[:limit]


def lost_items_open(member) -> QuerySet[LostItem]:
    return _station_items(member).filter(state=LostItem.State.OPEN).select_related("unit")


def missing_visible(member) -> QuerySet[MissingPerson]:
    return _at_station(member, MissingPerson.objects.all())


def missing_open(member) -> QuerySet[MissingPerson]:
    return missing_visible(member).filter(state=MissingPerson.State.MISSING).order_by("reported_at", "pk")


def missing_get(member, person_id: int) -> MissingPerson:
    found = missing_visible(member).filter(pk=person_id).first()
    if found is None:
        raise Http404
    return found


def resources_free(member) -> QuerySet[Resource]:
    """Resources in the member's jurisdiction that serve no incident now."""
    busy = ResourceAllocation.objects.filter(released_at__isnull=True).values("resource")
    return (
        Resource.objects.filter(unit__region__path__startswith=member.jurisdiction.path)
        .exclude(pk__in=busy)
        .select_related("unit")
    )


def resources_register(member) -> list[tuple[Resource, ResourceAllocation | None]]:
    """Every resource of the jurisdiction with the allocation it serves now (None when free), in
    two queries however many there are."""
    require_permission(member, "incident.view")
    rows = list(Resource.objects.filter(unit__region__path__startswith=member.jurisdiction.path).select_related("unit"))
    serving = {
        a.resource_id: a
        for a in ResourceAllocation.objects.filter(resource__in=rows, released_at__isnull=True).select_related(
            "incident"
        )
    }
    return [(r, serving.get(r.pk)) for r in rows]


def resource_get(member, resource_id: int) -> Resource:
    require_permission(member, "incident.declare")
    found = Resource.objects.filter(unit__region__path__startswith=member.jurisdiction.path, pk=resource_id).first()
    if found is None:
        raise Http404
    return found


def incident_allocations(incident: Incident) -> list[ResourceAllocation]:
    return list(incident.allocations.select_related("resource__unit"))


def incident_timeline(
    incident: Incident, tasks: list[IncidentTask], allocations: list[ResourceAllocation]
) -> list[dict]:
    """One situation timeline: the declaration, every report, every task given, reported on and
    finished, every resource sent and released, in time order (tasks and allocations are passed
    in, already read for the page)."""
    rows = [{"at": incident.declared_at, "who": incident.declared_by.user.name, "text": "启动应急响应"}]
    rows += [{"at": r.at, "who": r.by.user.name, "text": r.text} for r in incident.reports.select_related("by__user")]
    progress = TaskProgress.objects.filter(task__incident=incident).select_related("by__user", "by__unit", "task")
    rows += [
        {"at": p.at, "who": f"{p.by.unit.name} {p.by.user.name}", "text": f"任务进展（{p.task.title}）：{p.note}"}
        for p in progress
    ]
    for a in allocations:
        rows.append({"at": a.allocated_at, "who": "应急指挥部", "text": f"调用资源：{a.resource.name}"})
        if a.released_at:
            rows.append({"at": a.released_at, "who": "应急指挥部", "text": f"释放资源：{a.resource.name}"})
    for t in tasks:
        rows.append({"at": t.created_at, "who": t.unit.name, "text": f"受领任务：{t.title}"})
        if t.accepted_at:
            rows.append({"at": t.accepted_at, "who": t.unit.name, "text": f"接收任务：{t.title}"})
        if t.done_at:
            outcome = f"：{t.note}" if t.note else ""
            rows.append({"at": t.done_at, "who": t.unit.name, "text": f"完成任务“{t.title}”{outcome}"})
    rows += [
        {"at": f.at, "who": f.by.user.name, "text": f"遗留事项立案：{f.case.code} {f.case.title}"}
        for f in incident.followups.select_related("case", "by__user")
    ]
    if incident.closed_at:
        rows.append({"at": incident.closed_at, "who": "应急指挥部", "text": f"终止响应：{incident.summary}"})
    return sorted(rows, key=lambda row: row["at"])


def station_day(member, day: date) -> dict:
    """The station's figures for one local day: items registered and returned, persons reported
    and found (快警站 台账; the dashboard reads the same numbers)."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = start + timedelta(days=1)
    items = _station_items(member)
    people = missing_visible(member)
    return {
        "day": day,
        "services": _at_station(member, TouristHelp.objects.filter(at__gte=start, at__lt=end)).count(),
        "items_registered": items.filter(at__gte=start, at__lt=end).count(),
        "items_returned": items.filter(returned_at__gte=start, returned_at__lt=end).count(),
        "persons_reported": people.filter(reported_at__gte=start, reported_at__lt=end).count(),
        "persons_found": people.filter(found_at__gte=start, found_at__lt=end).count(),
    }


def shift_at(at: datetime) -> tuple[date, str]:
    """The roster's (day, shift) that covers a moment: the night shift runs past midnight, so the
    small hours belong to the previous day's night."""
    local = timezone.localtime(at)
    if DutyShift.DAY_STARTS <= local.hour < DutyShift.NIGHT_STARTS:
        return local.date(), DutyShift.Shift.DAY
    if local.hour >= DutyShift.NIGHT_STARTS:
        return local.date(), DutyShift.Shift.NIGHT
    return local.date() - timedelta(days=1), DutyShift.Shift.NIGHT


def on_duty(region: Region, at: datetime) -> DutyShift | None:
    """The shift on duty at `at` for a place: the nearest roster up the region tree (a village's
    incident falls to the town centre's roster unless the village keeps one)."""
    day, shift = shift_at(at)
    codes = [*region.ancestor_codes, region.code]
    return (
        DutyShift.objects.filter(on=day, shift=shift, region__code__in=codes)
        .select_related("commander__unit", "commander__user")
        .order_by("-region__path")
        .first()
    )


# The years a roster may be read for (a date near the calendar's end would overflow the week).
ROSTER_YEARS = (2000, 2100)


def _shifts() -> QuerySet[DutyShift]:
    return DutyShift.objects.select_related("commander__user", "commander__unit").prefetch_related(
        "members__user", "members__unit"
    )


def duty_shift_get(pk: int) -> DutyShift:
    """One shift as the roster shows it (after the service set it for the caller)."""
    return _shifts().get(pk=pk)


def roster(member, start: date, days: int = 7) -> list[dict]:
    """The member's jurisdiction's roster for `days` days from `start`: each day's two shifts with
    their commander and members (None when nobody is set), in three queries."""
    require_permission(member, "incident.view")
    if not ROSTER_YEARS[0] <= start.year <= ROSTER_YEARS[1]:
        raise Invalid("日期超出范围。", errors={"from": [f"须在 {ROSTER_YEARS[0]}–{ROSTER_YEARS[1]} 年之间。"]})
    shifts = _shifts().filter(region=member.jurisdiction, on__gte=start, on__lt=start + timedelta(days=days))
    kept = {(s.on, s.shift): s for s in shifts}
    return [
        {
            "on": start + timedelta(days=n),
            "shifts": [
                (label, kept.get((start + timedelta(days=n), value))) for value, label in DutyShift.Shift.choices
            ],
        }
        for n in range(days)
    ]


def case_incidents(member, case) -> list[tuple[Incident, str]]:
    """The incidents the member may see that are linked to a case: declared from it, or the one
    that left it behind (one query)."""
    linked = incidents_visible(member).filter(Q(case=case) | Q(followups__case=case)).distinct()
    return [(i, "由本案件启动" if i.case_id == case.pk else "本案件为其遗留事项") for i in linked]


def incident_followups(incident: Incident) -> list:
    """The cases registered for the matters the incident left behind."""
    return list(incident.followups.select_related("case", "by__user"))


def call_list(member) -> QuerySet[CallListEntry]:
    """The station's call list (who hears of a missing person at once), removed entries last."""
    return _at_station(member, CallListEntry.objects.all()).select_related("removed_by__user", "added_by__user")


def call_list_entry_get(member, entry_id: int) -> CallListEntry:
    found = call_list(member).filter(pk=entry_id).first()
    if found is None:
        raise Http404
    return found


def lost_items_due(member, before: datetime) -> QuerySet[LostItem]:
    """Found items still unclaimed whose notice was registered before `before` (a year back:
    民法典 art. 318), oldest first: what the station must hand over."""
    return (
        _station_items(member)
        .filter(kind=LostItem.Kind.FOUND, state=LostItem.State.OPEN, registered_at__lte=before)
        .order_by("registered_at", "pk")
    )


def lost_items_handed_over(member) -> QuerySet[LostItem]:
    return (
        _station_items(member)
        .filter(state=LostItem.State.HANDED_OVER)
        .select_related("handed_by__user")
        .order_by("-handed_at", "-pk")
    )


SCREEN_ROWS = 6
LEVEL_SIGNS = {1: "Ⅰ级", 2: "Ⅱ级", 3: "Ⅲ级", 4: "Ⅳ级"}


def screen_now(member) -> dict:
    """What the hall's big screen shows before everything else (issue 17 part 9): the active
    incidents, gravest first, and the persons still missing, longest first. A missing person is
    shown by description and place, never by name: the hall screen is seen by visitors too."""
    now = timezone.now()
    body = {"incidents": [], "missing": []}
    if member.has_perm("incident.view"):
        active = incidents_visible(member).filter(state=Incident.State.ACTIVE).order_by("level", "declared_at")
        body["incidents"] = [
            {
                "code": i.code,
                "level": LEVEL_SIGNS.get(i.level, ""),
                "kind": i.get_kind_display(),
                "title": i.title,
                "region": i.region.name,
                "minutes": int((now - i.declared_at).total_seconds() // 60),
            }
            for i in active[:SCREEN_ROWS]
        ]
    if member.has_perm("lostfound.view"):
        body["missing"] = [
            {
                "description": p.description[:40],
                "place": p.place,
                "minutes": int((now - p.last_seen_at).total_seconds() // 60),
            }
            for p in missing_open(member)[:SCREEN_ROWS]
        ]
    return body
