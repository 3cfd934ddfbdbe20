"""Rounds in the grid: hazard checks against the check lists (隐患排查), patrol logs with their
route, and the patrol team's duty roster (群防群治: the town's patrol force)."""

from collections.abc import Sequence
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from yimen.core.calendar import CLOCK_SKEW
from yimen.core.errors import Invalid
from yimen.core.idempotency import Once
from yimen.core.permissions import require_permission
from yimen.core.text import clean_text
from yimen.fieldwork.models import CheckList, CheckPlace, CheckRecord, PatrolDuty, PatrolLog
from yimen.fieldwork.services._base import OUTSIDE, in_area, submit_once
from yimen.fieldwork.services.reports import _create
from yimen.org.models import Membership
from yimen.org.services import audit_as
from yimen.people.models import PatrolMember, PatrolTeam

MAX_ROUTE_POINTS = 5000


def team_in_area(actor: Membership, team: PatrolTeam) -> bool:
    """A team patrols its region: a village team is the village's grid staff's, and the town's
    team is everyone's in the town (the jurisdiction and the team's region overlap)."""
    return team.region.is_within(actor.jurisdiction) or actor.jurisdiction.is_within(team.region)


def check_record(
    *,
    actor: Membership,
    idempotency_key: str,
    place: CheckPlace,
    checked_on: date,
    results: dict[str, str],
    note: str = "",
    report_problems: bool = True,
) -> Once:
    """排查: one check of a place against the list for its type (every item answered ok or
    problem), once per Idempotency-Key. Problems found are reported (a hazard report, and so a
    case for a worker) unless the checker says they were put right on the spot."""
    require_permission(actor, "fieldwork.use")
    fields = dict(place=place.pk, checked_on=checked_on, results=results, note=note, report_problems=report_problems)

    def make() -> CheckRecord:
        errors: dict[str, list[str]] = {}
        if not in_area(actor, place.region):
            errors["place"] = [f"该点位{OUTSIDE}"]
        items = CheckList.objects.filter(place_type=place.place_type).values_list("items", flat=True).first() or []
        if set(results) != set(items) or any(value not in ("ok", "problem") for value in results.values()):
            errors["results"] = ["请对清单上的每一项选择“正常”或“有问题”。"]
        if checked_on > timezone.localdate():
            errors["checked_on"] = ["日期不能晚于今天。"]
        remark = clean_text(note, "note", "说明", limit=500, errors=errors, required=False)
        if errors:
            raise Invalid("排查记录有误，请检查标出的字段。", errors=errors)
        problems = [item for item in items if results[item] == "problem"]
        report = None
        if problems and report_problems:
            report = _create(
                actor,
                kind="hazard",
                title=f"排查发现：{place.name}{'、'.join(problems)}"[:200],
                description=remark,
                category="",
                party_name="",
                region=place.region.code,
                location=None,
                photos=[],
            )
        record = CheckRecord.objects.create(
            place=place,
            checked_by=actor.user,
            checker_name=actor.user.name or actor.user.username,
            checked_on=checked_on,
            results=results,
            note=remark,
            report=report,
        )
        audit_as(actor, action="field_check", target=f"check_place:{place.pk}", detail={"problems": len(problems)})
        return record

    with transaction.atomic():
        return submit_once(actor=actor, key=idempotency_key, kind="check", fields=fields, make=make)


def patrol_log_record(
    *,
    actor: Membership,
    idempotency_key: str,
    team: PatrolTeam,
    started_at: datetime,
    ended_at: datetime,
    route: Sequence[Sequence[float]] = (),
    note: str = "",
) -> Once:
    """巡逻日志: a patrol of a team the actor works with, its start and end and the route points
    the phone recorded (each a valid latitude and longitude), once per Idempotency-Key."""
    require_permission(actor, "fieldwork.use")
    points = [list(point) for point in route]
    fields = dict(team=team.pk, started_at=started_at, ended_at=ended_at, route=points, note=note)

    def make() -> PatrolLog:
        errors: dict[str, list[str]] = {}
        if not team_in_area(actor, team):
            errors["team"] = [f"该巡防队{OUTSIDE}"]
        if ended_at < started_at or ended_at > timezone.now() + CLOCK_SKEW:
            errors["ended_at"] = ["结束时间须在开始之后，且不能晚于现在。"]
        if len(points) > MAX_ROUTE_POINTS:
            errors["route"] = [f"轨迹点最多 {MAX_ROUTE_POINTS} 个。"]
        elif any(len(p) != 2 or not (-90 <= p[0] <= 90 and -180 <= p[1] <= 180) for p in points):
            errors["route"] = ["轨迹点坐标无效（纬度 -90～90，经度 -180～180）。"]
        remark = clean_text(note, "note", "巡逻情况", limit=1000, errors=errors, required=False)
        if errors:
            raise Invalid("巡逻日志有误，请检查标出的字段。", errors=errors)
        log = PatrolLog.objects.create(
            team=team,
            recorded_by=actor.user,
            recorder_name=actor.user.name or actor.user.username,
            started_at=started_at,
            ended_at=ended_at,
            route=points,
            note=remark,
        )
        audit_as(actor, action="patrol_log", target=f"patrol_team:{team.pk}", detail={"points": len(points)})
        return log

    with transaction.atomic():
        return submit_once(actor=actor, key=idempotency_key, kind="patrol", fields=fields, make=make)


@transaction.atomic
def patrol_duty_set(
    *, actor: Membership, team: PatrolTeam, on: date, shift: str, members: Sequence[PatrolMember]
) -> PatrolDuty:
    """排班: who of a team is on duty for a shift of a day (grid chief or the centre's
    dispatcher); members must be active members of that team. Setting it again replaces it."""
    require_permission(actor, "fieldwork.manage")
    errors: dict[str, list[str]] = {}
    if not team_in_area(actor, team):
        errors["team"] = [f"该巡防队{OUTSIDE}"]
    elif team.retired_at is not None:
        errors["team"] = ["该巡防队已撤销，不能再排班。"]
    if shift not in PatrolDuty.Shift.values:
        errors["shift"] = ["班次须为白班或夜班。"]
    if not members or any(m.team_id != team.pk or not m.is_active for m in members):
        errors["members"] = ["请选择本队在岗队员。"]
    if errors:
        raise Invalid("排班有误，请检查标出的字段。", errors=errors)
    duty, _ = PatrolDuty.objects.get_or_create(team=team, on=on, shift=shift)
    duty.members.set(members)
    audit_as(actor, action="patrol_duty_set", target=f"patrol_team:{team.pk}", detail={"on": on.isoformat()})
    return duty
