"""排送点餐 (才湾镇's seed): 排餐 is the menu of talks (OutreachTopic, kept as data); 点餐 — a
village committee or grid chief orders a talk for the village (`outreach_order_place`); 送餐 —
the judicial office or a village adviser records the talk given (`outreach_event_record`), an
ordered one closing its order, and afterwards its attendance and feedback
(`outreach_attendance_record`). Between the order and the talk the town schedules a speaker
and a date (`outreach_order_schedule`) within its promise. Each step is one transaction with
its audit entry."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yimen.core.errors import Conflict, Invalid, NotFound
from yimen.core.permissions import require_permission
from yimen.core.text import clean_text
from yimen.geo.models import Region
from yimen.legal.models import OutreachEvent, OutreachOrder
from yimen.legal.selectors import advisers_visible
from yimen.org.models import Membership
from yimen.org.services import audit_as

# 点餐's promise: the town names the speaker and the date within 7 natural days of the order.
# The seed ("根据群众申请，镇政府安排法律专家上门服务") sets no number; 7 days is the general
# deadline the centre already promises for ordinary requests (DESIGN §7, the 12345 standard)
# and the legal-aid decision's own 7 days, so one week is what the villages are told everywhere.
SCHEDULE_PROMISE_DAYS = 7


def village_in_reach(actor: Membership, code: str, errors: dict[str, list[str]]) -> Region | None:
    """The village of `code` when it lies in the actor's jurisdiction or holds it (a grid's
    village); otherwise a message on `village`."""
    place = Region.objects.filter(code=code, level=Region.Level.VILLAGE).first()
    if place is None or not (
        place.path.startswith(actor.jurisdiction.path) or actor.jurisdiction.path.startswith(place.path)
    ):
        errors["village"] = ["请选择本人辖区内的村（社区）。"]
        return None
    return place


@transaction.atomic
def outreach_order_place(*, actor: Membership, village: str, topic: str, wanted_by: date) -> OutreachOrder:
    """点餐: a talk ordered for a village in the actor's jurisdiction, wanted by a date to come."""
    require_permission(actor, "outreach.order")
    errors: dict[str, list[str]] = {}
    topic = clean_text(topic, "topic", "主题", limit=100, errors=errors)
    place = village_in_reach(actor, village, errors)
    if wanted_by < timezone.localdate():
        errors["wanted_by"] = ["希望日期不能早于今天。"]
    if errors:
        raise Invalid("点单填写有误。", errors=errors)
    now = timezone.now()
    order = OutreachOrder.objects.create(
        village=place,
        topic=topic,
        wanted_by=wanted_by,
        ordered_by=actor,
        ordered_at=now,
        schedule_due=now + timedelta(days=SCHEDULE_PROMISE_DAYS),
    )
    audit_as(actor, action="outreach_order", target=f"outreach_order:{order.pk}")
    return order


@transaction.atomic
def outreach_event_record(
    *,
    actor: Membership,
    topic: str,
    place: str,
    at: datetime,
    speakers: list[str],
    order: int | None = None,
    village: str | None = None,
) -> OutreachEvent:
    """送餐: the talk given (or announced ahead) in a village of the actor's area (an ordered
    talk: the order's village; none: a town-wide talk); it closes its order (delivered)."""
    require_permission(actor, "outreach.deliver")
    errors: dict[str, list[str]] = {}
    topic = clean_text(topic, "topic", "主题", limit=100, errors=errors)
    place = clean_text(place, "place", "地点", limit=100, errors=errors)
    names = [name.strip() for name in speakers if name and name.strip()]
    if not names:
        errors["speakers"] = ["请填写至少一名宣讲人。"]
    held_in = village_in_reach(actor, village, errors) if village else None
    if errors:
        raise Invalid("送法活动填写有误。", errors=errors)
    ordered = None
    if order is not None:
        ordered = OutreachOrder.objects.select_for_update().filter(pk=order).first()
        if ordered is None:
            raise NotFound("没有这张点单。", errors={"order": ["没有这张点单。"]})
        if ordered.state == OutreachOrder.State.DELIVERED:
            raise Conflict("这张点单已经送达。", code="delivered")
        ordered.state = OutreachOrder.State.DELIVERED
        ordered.version += 1
        ordered.save(update_fields=["state", "version"])
    event = OutreachEvent.objects.create(
        topic=topic,
        place=place,
        at=at,
        speakers=names,
        order=ordered,
        village=ordered.village if ordered else held_in,
        recorded_by=actor,
    )
    audit_as(actor, action="outreach_event", target=f"outreach_event:{event.pk}")
    return event


@transaction.atomic
def outreach_attendance_record(
    *, actor: Membership, event: OutreachEvent, count: int, feedback: str, rating: Decimal | None = None
) -> OutreachEvent:
    """The talk's attendance and the residents' feedback (their average rating 1–5, from the
    feedback slips), once it has taken place."""
    require_permission(actor, "outreach.deliver")
    if event.at > timezone.now():
        raise Conflict("活动尚未举行，不能登记到场人数。", code="not_held")
    feedback = clean_text(feedback, "feedback", "群众反馈", limit=500, required=False)
    if not 0 <= count <= 100_000:
        raise Invalid("到场人数有误。", errors={"count": ["到场人数须在 0 到 100000 之间。"]})
    if rating is not None and not Decimal(1) <= rating <= Decimal(5):
        raise Invalid("满意度评分有误。", errors={"rating": ["满意度评分须在 1 到 5 之间。"]})
    OutreachEvent.objects.filter(pk=event.pk).update(attendance=count, feedback=feedback, rating=rating)
    event.refresh_from_db()
    audit_as(actor, action="outreach_attendance", target=f"outreach_event:{event.pk}")
    return event


@transaction.atomic
def outreach_order_schedule(
    *,
    actor: Membership,
    order: OutreachOrder,
    at: datetime,
    adviser: int | None = None,
    expert: str = "",
    version: int | None = None,
) -> OutreachOrder:
    """点餐's scheduling (才湾镇's seed: "根据群众申请，镇政府安排法律专家上门服务"): the judicial
    office or the centre names one speaker — an adviser on the roster over the actor's area, or
    an outside expert by name — and a date to come. A late scheduling (after the promise of
    SCHEDULE_PROMISE_DAYS) is still made and flagged; a scheduled order may be rescheduled until
    its talk is given; a delivered one is closed (409), a stale version 409."""
    require_permission(actor, "outreach.schedule")
    errors: dict[str, list[str]] = {}
    expert = clean_text(expert, "expert", "法律专家", limit=100, required=False, errors=errors)
    speaker = None
    if (adviser is None) == (not expert):
        errors["adviser"] = ["请选择一名村法律顾问，或填写法律专家姓名（二者选一）。"]
    elif adviser is not None:
        speaker = advisers_visible(actor).filter(pk=adviser).first()
        if speaker is None:
            errors["adviser"] = ["请选择本辖区名册上在岗的村法律顾问。"]
    if at <= timezone.now():
        errors["at"] = ["宣讲时间须晚于现在。"]
    if errors:
        raise Invalid("安排填写有误。", errors=errors)
    if order.state == OutreachOrder.State.DELIVERED:
        raise Conflict("这张点单已经送达，不能再安排。", code="delivered")
    now = timezone.now()
    rows = OutreachOrder.objects.filter(pk=order.pk).exclude(state=OutreachOrder.State.DELIVERED)
    if version is not None:
        rows = rows.filter(version=version)
    first = order.scheduled_at is None
    updates = {"state": OutreachOrder.State.SCHEDULED, "adviser": speaker, "expert": expert, "planned_at": at}
    if first:  # the promise is kept or broken by the first scheduling; a reschedule keeps it
        late = order.schedule_due is not None and now > order.schedule_due
        updates |= {"scheduled_at": now, "scheduled_by": actor, "scheduled_late": late}
    if rows.update(version=F("version") + 1, **updates) != 1:
        raise Conflict("点单已被他人更新，请刷新后重试。", code="stale_version")
    order.refresh_from_db()
    audit_as(actor, action="outreach_schedule" if first else "outreach_reschedule", target=f"outreach_order:{order.pk}")
    return order
