"""吹哨报到 (issue 14 part 5; API.md "吹哨报到"): the 政法委员 or the dispatcher summons units to a
place on an active case with an arrival clock; each summoned unit reports arrival once; the
summoner's side rates each arrival and releases the whistle ("事不完人不撤": it stays open until
then). Late and missing arrivals feed 催办 through the supervision notices.

None of these steps takes the case version: they are recorded beside the case, not on it (the
contract sends no version), so several units reporting arrival at once never refuse each other
and a handler's reply form drawn before a whistle is not made stale by it. Each step guards
its own row with a conditional UPDATE instead: a unit's second arrival, a second rating or a
second release finds the row already changed (409)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from yimen.cases import timeline
from yimen.cases.models import Case, SupervisionLevel, Whistle, WhistleCall
from yimen.cases.rules import require_summoned, require_whistler
from yimen.cases.services.supervision import _notify
from yimen.core.errors import Conflict, Invalid
from yimen.core.text import clean_text
from yimen.geo.models import Region
from yimen.org.models import Membership, Unit

MINUTES = (5, 1440)
ABOVE_TOWN = (Region.Level.PROVINCE, Region.Level.CITY, Region.Level.COUNTY)


def _require_active(case: Case, action: str) -> None:
    state = Case.unscoped.filter(pk=case.pk).values_list("state", flat=True).get()
    if state not in Case.ACTIVE:
        label = Case.State(state).label
        raise Conflict(f"案件当前状态为“{label}”，不能{timeline.label(action)}。", code="wrong_state")


def summonable_units(case: Case):
    """The active units a whistle on this case may summon: those whose area holds the case —
    the town's units and the case's own village committee — never a county's or another
    village's."""
    covering = [case.region_path[: i + 1] for i, ch in enumerate(case.region_path) if ch == "/"]
    return (
        Unit.objects.filter(is_active=True, region__path__in=covering)
        .exclude(region__level__in=ABOVE_TOWN)
        .select_related("region")
        .order_by("kind", "code")
    )


def _blow_fields(case: Case, units, place, reason, minutes) -> tuple[list[Unit], str, str, int]:
    errors: dict[str, list[str]] = {}
    place = clean_text(place, "place", "报到地点", limit=200, errors=errors)
    reason = clean_text(reason, "reason", "吹哨事由", limit=2000, errors=errors)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not MINUTES[0] <= minutes <= MINUTES[1]:
        errors["arrive_within_minutes"] = [f"报到时限须为 {MINUTES[0]} 到 {MINUTES[1]} 分钟。"]
    codes = list(dict.fromkeys(code for code in units or [] if code))
    found = {unit.code: unit for unit in summonable_units(case).filter(code__in=codes)}
    if not codes:
        errors["units"] = ["请至少选择一个报到单位。"]
    elif missing := [code for code in codes if code not in found]:
        errors["units"] = [f"不能召集这些单位（不存在、已停用或不在本案所在区域）：{'、'.join(missing)}。"]
    if errors:
        raise Invalid("吹哨信息有误。", errors=errors)
    return [found[code] for code in codes], place, reason, minutes


@transaction.atomic
def whistle_blow(
    *, case: Case, actor: Membership, units: list[str], place: str, reason: str, arrive_within_minutes: int
) -> Whistle:
    """吹哨: the 政法委员 or the dispatcher responsible for the case (its jurisdiction) summons ≥1
    active units of the case's area or the town to a place within 5–1440 minutes (issue 14 part 5;
    吹哨报到 as the seeds run it). Only on an active case."""
    require_whistler(actor, case, "whistle")
    _require_active(case, "whistle")
    chosen, place, reason, minutes = _blow_fields(case, units, place, reason, arrive_within_minutes)
    now = timezone.now()
    whistle = Whistle.objects.create(
        case=case,
        summoned_by=actor,
        summoned_by_user=actor.user,
        summoned_by_unit=actor.unit,
        summoned_at=now,
        place=place,
        reason=reason,
        arrive_within_minutes=minutes,
    )
    due = now + timedelta(minutes=minutes)
    WhistleCall.objects.bulk_create(WhistleCall(whistle=whistle, unit=unit, due_at=due) for unit in chosen)
    timeline.record(
        case,
        "whistle",
        actor=actor,
        note=f"{place}：{reason}",
        data={"whistle": whistle.pk, "units": [u.code for u in chosen], "due_at": timeline.iso(due)},
        at=now,
    )
    return whistle


def _location(location: dict | None) -> tuple[float | None, float | None]:
    if not location:
        return None, None
    lat, lng = location.get("lat"), location.get("lng")
    good = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lng))
    if not good or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise Invalid("位置有误。", errors={"location": ["位置须含纬度（-90 到 90）和经度（-180 到 180）。"]})
    return float(lat), float(lng)


@transaction.atomic
def whistle_arrive(*, whistle: Whistle, actor: Membership, location: dict | None = None) -> WhistleCall:
    """报到: a member of a summoned unit reports the unit's arrival, once per unit (a second →
    409), with the time and optionally where (GPS). Arriving after the due time is late and
    feeds 催办 (a notice to the unit and its leaders) unless the sweep already sent it."""
    case = whistle.case
    call = require_summoned(actor, whistle)
    _require_active(case, "arrive")
    lat, lng = _location(location)
    now = timezone.now()
    moved = WhistleCall.objects.filter(pk=call.pk, arrived_at=None).update(
        arrived_at=now, arrived_by=actor.user, lat=lat, lng=lng
    )
    if moved != 1:
        raise Conflict(f"{actor.unit.name}已报到过，每个单位只能报到一次。", code="already_arrived")
    call.refresh_from_db()
    late = call.arrived_at > call.due_at
    timeline.record(
        case,
        "arrive",
        actor=actor,
        note=f"{actor.unit.name}到达{whistle.place}" + ("（迟到）" if late else ""),
        data={"whistle": whistle.pk, "unit": actor.unit.code, "late": late, "location": location or None},
        at=now,
    )
    if late:
        _notify_late(call, now=now)
    return call


def _notify_late(call: WhistleCall, *, now: datetime) -> bool:
    """One 催办 notice per late call: to the summoned unit and the leaders over the case."""
    if not WhistleCall.objects.filter(pk=call.pk, late_notified_at=None).update(late_notified_at=now):
        return False
    whistle, unit = call.whistle, call.unit
    due = timezone.localtime(call.due_at).strftime("%H:%M")
    how = "迟到" if call.arrived_at else "未按时报到"
    text = f"催办（吹哨报到）：{unit.name}{how}，应于 {due} 前到达{whistle.place}（{whistle.case.code}）。"
    _notify(whistle.case, unit, SupervisionLevel.URGE, text)
    return True


def whistle_sweep(*, now: datetime | None = None) -> int:
    """催办 on summoned units still missing past their due time on an open whistle: one notice
    each (tasks.cases_whistle_sweep, every five minutes). Returns the notices sent."""
    now = now or timezone.now()
    missing = WhistleCall.objects.filter(
        late_notified_at=None, arrived_at=None, due_at__lt=now, whistle__released_at=None
    ).select_related("whistle__case", "unit")
    sent = 0
    for call in missing.order_by("pk").iterator(chunk_size=500):
        with transaction.atomic():
            sent += _notify_late(call, now=now)
    return sent


def _call_of(whistle: Whistle, unit: str) -> WhistleCall:
    call = whistle.calls.filter(unit__code=unit).select_related("unit").first()
    if call is None:
        raise Invalid("评价的单位有误。", errors={"unit": ["该单位不在本次吹哨的报到单位中。"]})
    return call


def _rated(call: WhistleCall) -> Conflict:
    return Conflict(f"{call.unit.name}的报到已评价过。", code="already_rated")


@transaction.atomic
def whistle_rate(*, whistle: Whistle, actor: Membership, unit: str, rating: int) -> WhistleCall:
    """报到评价: the summoner's side (the same seat, or a 政法委员 or dispatcher responsible for the
    case) rates a summoned unit 1–5, once, only after it arrived (before → 409)."""
    require_whistler(actor, whistle.case, "rate_arrival", whistle=whistle)
    call = _call_of(whistle, unit)
    if call.arrived_at is None:
        raise Conflict(f"{call.unit.name}尚未报到，报到后才能评价。", code="not_arrived")
    if call.rating is not None:
        raise _rated(call)
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise Invalid("评价有误。", errors={"rating": ["评价须为 1 到 5。"]})
    now = timezone.now()
    if not WhistleCall.objects.filter(pk=call.pk, rating=None).update(rating=rating, rated_at=now):
        raise _rated(call)  # rated by someone else since it was read
    timeline.record(
        whistle.case,
        "rate_arrival",
        actor=actor,
        note=f"{call.unit.name}：{rating} 分",
        data={"whistle": whistle.pk, "unit": call.unit.code, "rating": rating},
        at=now,
    )
    call.refresh_from_db()
    return call


@transaction.atomic
def whistle_release(*, whistle: Whistle, actor: Membership, reason: str) -> Whistle:
    """撤哨: "事不完人不撤" — only the summoner's side releases a whistle, with a reason (422
    without), once (a released one → 409). Allowed whatever the case's state: a closed case's
    whistle must still be released by someone who says why."""
    require_whistler(actor, whistle.case, "release_whistle", whistle=whistle)
    if Whistle.objects.filter(pk=whistle.pk).exclude(released_at=None).exists():
        raise Conflict("该次吹哨已撤哨。", code="already_released")
    reason = clean_text(reason, "reason", "撤哨理由", limit=2000)
    now = timezone.now()
    if not Whistle.objects.filter(pk=whistle.pk, released_at=None).update(
        released_at=now, released_by=actor.user, release_note=reason
    ):
        raise Conflict("该次吹哨已撤哨。", code="already_released")
    timeline.record(whistle.case, "release_whistle", actor=actor, note=reason, data={"whistle": whistle.pk}, at=now)
    whistle.refresh_from_db()
    return whistle
