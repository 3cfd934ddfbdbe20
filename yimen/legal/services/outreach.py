"""排送点餐 (才湾镇's seed): 排餐 is the menu of talks (OutreachTopic, kept as data); 点餐 — a
village committee or grid chief orders a talk for the village (`outreach_order_place`); 送餐 —
the judicial office or a village adviser records the talk given (`outreach_event_record`), an
ordered one closing its order, and afterwards its attendance and feedback
(`outreach_attendance_record`). Each step is one transaction with its audit entry."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from yimen.core.errors import Conflict, Invalid, NotFound
from yimen.core.permissions import require_permission
from yimen.core.text import clean_text
from yimen.geo.models import Region
from yimen.legal.models import OutreachEvent, OutreachOrder
from yimen.org.models import Membership
from yimen.org.services import audit_as


@transaction.atomic
def outreach_order_place(*, actor: Membership, village: str, topic: str, wanted_by: date) -> OutreachOrder:
    """点餐: a talk ordered for a village in the actor's jurisdiction, wanted by a date to come."""
    require_permission(actor, "outreach.order")
    errors: dict[str, list[str]] = {}
    topic = clean_text(topic, "topic", "主题", limit=100, errors=errors)
    place = Region.objects.filter(code=village, level=Region.Level.VILLAGE).first()
    if place is None or not (
        place.path.startswith(actor.jurisdiction.path) or actor.jurisdiction.path.startswith(place.path)
    ):
        errors["village"] = ["请选择本人辖区内的村（社区）。"]
    if wanted_by < timezone.localdate():
        errors["wanted_by"] = ["希望日期不能早于今天。"]
    if errors:
        raise Invalid("点单填写有误。", errors=errors)
    order = OutreachOrder.objects.create(village=place, topic=topic, wanted_by=wanted_by, ordered_by=actor)
    audit_as(actor, action="outreach_order", target=f"outreach_order:{order.pk}")
    return order


@transaction.atomic
def outreach_event_record(
    *, actor: Membership, topic: str, place: str, at: datetime, speakers: list[str], order: int | None = None
) -> OutreachEvent:
    """送餐: the talk given (or announced ahead); an ordered talk closes its order (delivered)."""
    require_permission(actor, "outreach.deliver")
    errors: dict[str, list[str]] = {}
    topic = clean_text(topic, "topic", "主题", limit=100, errors=errors)
    place = clean_text(place, "place", "地点", limit=100, errors=errors)
    names = [name.strip() for name in speakers if name and name.strip()]
    if not names:
        errors["speakers"] = ["请填写至少一名宣讲人。"]
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
        ordered.save(update_fields=["state"])
    event = OutreachEvent.objects.create(
        topic=topic, place=place, at=at, speakers=names, order=ordered, recorded_by=actor
    )
    audit_as(actor, action="outreach_event", target=f"outreach_event:{event.pk}")
    return event


@transaction.atomic
def outreach_attendance_record(*, actor: Membership, event: OutreachEvent, count: int, feedback: str) -> OutreachEvent:
    """The talk's attendance and the residents' feedback, once it has taken place."""
    require_permission(actor, "outreach.deliver")
    if event.at > timezone.now():
        raise Conflict("活动尚未举行，不能登记到场人数。", code="not_held")
    feedback = clean_text(feedback, "feedback", "群众反馈", limit=500, required=False)
    if not 0 <= count <= 100_000:
        raise Invalid("到场人数有误。", errors={"count": ["到场人数须在 0 到 100000 之间。"]})
    OutreachEvent.objects.filter(pk=event.pk).update(attendance=count, feedback=feedback)
    event.refresh_from_db()
    audit_as(actor, action="outreach_attendance", target=f"outreach_event:{event.pk}")
    return event
