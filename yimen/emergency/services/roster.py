"""值班表: the centre keeps who is on duty for each shift; an incident declared in a shift takes
its commander and team from it (突发事件应对法 art. 7 and the 24-hour duty the township's
emergency plan requires)."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from yimen.core import audit
from yimen.core.errors import Conflict, Invalid
from yimen.core.permissions import require_permission
from yimen.emergency import selectors
from yimen.emergency.models import DutyShift
from yimen.org.models import Membership


def shift_ends(on: date, shift: str) -> datetime:
    """When a shift hands over: the day shift at 20:00, the night shift at 08:00 the next day."""
    if shift == DutyShift.Shift.DAY:
        return timezone.make_aware(datetime.combine(on, time(DutyShift.NIGHT_STARTS)))
    return timezone.make_aware(datetime.combine(on + timedelta(days=1), time(DutyShift.DAY_STARTS)))


def duty_candidates(actor: Membership):
    """Who may stand a shift of the actor's roster: active members of the jurisdiction's units."""
    return Membership.objects.filter(is_active=True, unit__region__path__startswith=actor.jurisdiction.path)


@transaction.atomic
def duty_shift_set(
    *,
    actor: Membership,
    on: date,
    shift: str,
    commander: int,
    members: list[int],
    version: int | None = None,
) -> DutyShift:
    """Set (or replace) one shift of the actor's jurisdiction's roster: one commander and at least
    one member on duty, all active members of the jurisdiction's units. A past day is a record and
    stays as it was (a shift that has ended: 422); changing a shift someone else changed first → 409 (its version)."""
    require_permission(actor, "incident.declare")
    errors: dict[str, list[str]] = {}
    low, high = selectors.ROSTER_YEARS
    if shift not in DutyShift.Shift.values:
        errors["shift"] = [f"可选：{'、'.join(DutyShift.Shift.values)}。"]
    elif not low <= on.year <= high:
        errors["on"] = [f"须在 {low}–{high} 年之间。"]
    elif shift_ends(on, shift) <= timezone.now():
        errors["on"] = ["该班次已结束，值班记录不能再修改。"]
    seats = {m.pk: m for m in duty_candidates(actor).filter(pk__in={commander, *members}).select_related("unit")}
    if commander not in seats:
        errors["commander"] = ["值班领导须为本辖区单位的在岗人员。"]
    if not members:
        errors["members"] = ["请至少安排一名值班人员。"]
    elif any(pk not in seats for pk in members):
        errors["members"] = ["值班人员须为本辖区单位的在岗人员。"]
    if errors:
        raise Invalid("提交的内容有误，请检查标出的字段。", errors=errors)
    row, created = DutyShift.objects.select_for_update().get_or_create(
        region=actor.jurisdiction,
        on=on,
        shift=shift,
        defaults={"commander": seats[commander], "set_by": actor, "set_at": timezone.now()},
    )
    if not created:
        if version is not None and version != row.version:
            raise Conflict("该班次已被他人修改，请刷新后再试。", code="stale")
        row.commander, row.set_by, row.set_at, row.version = seats[commander], actor, timezone.now(), row.version + 1
        row.save(update_fields=["commander", "set_by", "set_at", "version"])
    row.members.set([seats[pk] for pk in members])
    audit.record(
        action="duty_shift_set",
        actor=actor.user,
        unit_code=actor.unit.code,
        unit_name=actor.unit.name,
        target=f"duty:{on.isoformat()}:{shift}",
        detail={"commander": commander, "members": sorted(members)},
    )
    return row
