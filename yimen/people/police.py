"""隆回微警 (issue 15 parts 5 and 6): police officers record their contacts with residents
("乡不漏村、村不漏组、组不漏户、户不漏人"), and send anti-fraud alerts (反诈预警) to the residents
they reach, through the pluggable notifier (YIMEN_NOTIFIER), with the reach kept per recipient.

Every change is audited (个人信息保护法 art. 51); no phone number is stored with an alert or
shown in its report: the notifier gets it decrypted from the registry at the moment of sending."""

from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from yimen.core import audit
from yimen.core.crypto import sm4_decrypt
from yimen.core.errors import Conflict, Invalid, NotFound
from yimen.core.permissions import require_permission
from yimen.core.text import clean_text
from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.org.services import audit_as
from yimen.people import rules, tasks
from yimen.people.models import AlertDelivery, FraudAlert, Household, Person, PoliceContact, Tag

ALERT_LEVELS = (Region.Level.TOWN, Region.Level.VILLAGE, Region.Level.GRID, Region.Level.MICROGRID)
SEND_BATCH = 500  # deliveries sent per transaction: a stopped run resumes where it stopped
EARLIEST = date(2000, 1, 1)


def _actor_names(actor: Membership) -> dict[str, str]:
    return {"name": actor.user.name or actor.user.username, "unit": actor.unit.name}


@transaction.atomic
def police_contact_record(
    *, actor: Membership, person: Person, channel: str, contacted_on: date | None, verified: bool = False
) -> PoliceContact:
    """警民联系: a police officer records a contact with a resident of their jurisdiction (微信好友,
    电话 or 走访, the day, whether the identity was verified) — 隆回微警 "户不漏人". The person's
    latest contact day moves forward (never back), and a household not yet in police contact
    joins on that day. Only police members (police.contact); a resident who moved out, died or
    was merged is refused."""
    require_permission(actor, "police.contact")
    current = Person.unscoped.select_for_update().select_related("region").get(pk=person.pk)
    if not rules.in_scope(actor, current.region):
        raise Conflict(rules.OUTSIDE, code="outside_jurisdiction")
    errors: dict[str, list[str]] = {}
    if channel not in PoliceContact.Channel.values:
        errors["channel"] = ["请选择联系方式：微信好友、电话或走访。"]
    if contacted_on is None:
        errors["contacted_on"] = ["请填写联系日期。"]
    elif contacted_on > timezone.localdate():
        errors["contacted_on"] = ["联系日期不能晚于今天。"]
    elif contacted_on < EARLIEST:
        errors["contacted_on"] = ["联系日期不能早于 2000 年。"]
    if current.status in Person.LEFT:
        errors["person"] = [f"该人员已{current.get_status_display()}，无须再登记警民联系。"]
    if errors:
        raise Invalid("警民联系记录有误，请检查标出的字段。", errors=errors)
    names = _actor_names(actor)
    contact = PoliceContact.objects.create(
        person=current,
        officer=actor,
        officer_name=names["name"],
        unit_name=names["unit"],
        channel=channel,
        contacted_on=contacted_on,
        verified=bool(verified),
    )
    # Not a correction of the record: the person's version (the edit form's guard) stays.
    Person.unscoped.filter(pk=current.pk).filter(
        Q(police_contact_on__isnull=True) | Q(police_contact_on__lt=contacted_on)
    ).update(police_contact_on=contacted_on)
    if current.household_id:
        Household.objects.filter(pk=current.household_id, police_contact_on__isnull=True).update(
            police_contact_on=contacted_on
        )
    detail = {"channel": channel, "contacted_on": contacted_on.isoformat(), "verified": bool(verified)}
    audit_as(actor, action="police_contact_add", target=f"person:{current.pk}", detail=detail)
    return contact


def alert_recipients(*, region: Region, tag: Tag | None):
    """Who an alert reaches: active residents of the region (and of the tag group) whom the
    police have contacted and who have a phone for the notifier."""
    persons = (
        Person.unscoped.filter(region__path__startswith=region.path, police_contact_on__isnull=False)
        .exclude(status__in=Person.LEFT)
        .exclude(phone_cipher="")
    )
    return persons.filter(tags=tag) if tag is not None else persons


def _villages(region: Region) -> list[Region]:
    """The villages the region's recipients live in (the reach is counted per village): those
    of its subtree, or the one it lies in."""
    villages = list(Region.objects.filter(path__startswith=region.path, level=Region.Level.VILLAGE))
    return villages or list(Region.objects.filter(code__in=region.ancestor_codes, level=Region.Level.VILLAGE))


def _queue_deliveries(alert: FraudAlert, recipients, villages: list[Region]) -> int:
    """One delivery row per recipient, written by the database itself (INSERT … SELECT, one
    statement per village): 100,000 recipients never pass through Python. The SELECT is the
    recipients' queryset compiled by Django, so its scope is the ORM's; returns the rows written."""
    table = AlertDelivery._meta.db_table
    columns = "alert_id, person_id, village_id, receipt, failed, acknowledged_by"
    written = 0
    with connection.cursor() as cursor:
        for village in villages:
            rows = recipients.filter(region__path__startswith=village.path).order_by().values(recipient=F("pk"))
            select, params = rows.query.sql_with_params()
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT %s, U.recipient, %s, '', '', '' FROM ({select}) U",  # noqa: S608
                [alert.pk, village.pk, *params],
            )
            written += cursor.rowcount
    return written


@transaction.atomic
def fraud_alert_send(*, actor: Membership, title: str, text: str, region: Region | None, tag: str = "") -> FraudAlert:
    """反诈预警: a police officer warns the residents of a region of their jurisdiction, or of a tag
    group there, against a fraud going round. The alert goes to every contacted resident with a
    phone (alert_recipients), one delivery row each, and the task queue sends them through
    YIMEN_NOTIFIER after commit. A sensitive tag the officer may not see is unknown."""
    require_permission(actor, "fraud.alert")
    errors: dict[str, list[str]] = {}
    title = clean_text(title, "title", "标题", limit=50, errors=errors)
    text = clean_text(text, "text", "预警内容", limit=300, errors=errors)
    rules.check_region(actor, region, ALERT_LEVELS, errors, "region")
    group = None
    if (tag or "").strip():
        group = Tag.objects.visible_to(actor).filter(Q(code=tag.strip()) | Q(name=tag.strip())).first()
        if group is None:
            errors["tag"] = ["未知标签。"]
    if errors:
        raise Invalid("预警内容有误，请检查标出的字段。", errors=errors)
    names = _actor_names(actor)
    alert = FraudAlert.objects.create(
        title=title,
        text=text,
        region=region,
        tag=group,
        author=actor,
        author_name=names["name"],
        unit_name=names["unit"],
    )
    count = _queue_deliveries(alert, alert_recipients(region=region, tag=group), _villages(region))
    FraudAlert.objects.filter(pk=alert.pk).update(recipients=count)
    alert.recipients = count
    detail = {"region": region.code, "tag": group.code if group else "", "recipients": count}
    audit_as(actor, action="fraud_alert_send", target=f"fraud_alert:{alert.pk}", detail=detail)
    transaction.on_commit(lambda: tasks.fraud_alert_dispatch_task(alert.pk))
    return alert


def _message(alert: FraudAlert) -> str:
    return f"【反诈预警】{alert.title}：{alert.text}（{alert.unit_name}）收到请回复“收到”。"


def fraud_alert_dispatch(*, alert_id: int, batch: int = SEND_BATCH) -> int:
    """The task queue's half of fraud_alert_send: send every unsent delivery through the notifier,
    batch by batch, keeping each receipt (or the failure); then mark the alert sent and audit its
    reach. A retried run sends only what is still unsent. Returns how many were sent now."""
    alert = FraudAlert.objects.get(pk=alert_id)
    gateway, words, done = import_string(settings.YIMEN_NOTIFIER)(), _message(alert), 0
    while True:
        with transaction.atomic():
            pending = list(
                AlertDelivery.objects.select_for_update(of=("self",))
                .filter(alert=alert, sent_at__isnull=True, failed="")
                .select_related("person")
                .order_by("pk")[:batch]
            )
            if not pending:
                break
            for delivery in pending:
                try:
                    receipt = gateway.send(sm4_decrypt(delivery.person.phone_cipher), words)
                except Exception as exc:  # a gateway's refusal of one number must not stop the rest
                    delivery.failed = (str(exc) or type(exc).__name__)[:100]
                    continue
                delivery.receipt, delivery.sent_at = str(receipt or "")[:100], timezone.now()
            AlertDelivery.objects.bulk_update(pending, ["receipt", "sent_at", "failed"])
            done += sum(1 for delivery in pending if delivery.sent_at)
    with transaction.atomic():
        moved = FraudAlert.objects.filter(pk=alert.pk, state=FraudAlert.State.QUEUED).update(
            state=FraudAlert.State.SENT, sent_at=timezone.now()
        )
        if moved:
            reach = alert.deliveries.aggregate(
                sent=Count("pk", filter=Q(sent_at__isnull=False)), failed=Count("pk", filter=~Q(failed=""))
            )
            audit.record(
                action="fraud_alert_sent",
                username="notifier",
                unit_name=alert.unit_name,
                target=f"fraud_alert:{alert.pk}",
                detail={"recipients": alert.recipients, **reach},
            )
    return done


@transaction.atomic
def alert_delivery_acknowledge(*, actor: Membership, delivery: AlertDelivery) -> AlertDelivery:
    """确认收到: the officer records that a recipient acknowledged the alert (a reply on WeChat or
    the phone). The first acknowledgement stands (409 for a second); audited."""
    require_permission(actor, "fraud.alert")
    if not rules.in_scope(actor, delivery.village):
        raise Conflict(rules.OUTSIDE, code="outside_jurisdiction")
    name = _actor_names(actor)["name"]
    moved = AlertDelivery.objects.filter(pk=delivery.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=timezone.now(), acknowledged_by=name
    )
    if moved != 1:
        raise Conflict("该对象已确认收到。", code="already_acknowledged")
    delivery.refresh_from_db()
    audit_as(
        actor,
        action="fraud_alert_ack",
        target=f"fraud_alert:{delivery.alert_id}",
        detail={"person": delivery.person_id},
    )
    return delivery


REPORTS = ("delivered", "failed", "acknowledged")


@transaction.atomic
def alert_delivery_report(*, receipt: str, status: str, reason: str = "") -> bool:
    """The notifier gateway's delivery report (POST /notifier/callback, signed): the receipt its
    send() returned and "delivered", "failed" (with the gateway's reason) or "acknowledged" (a
    recipient's reply, which implies delivery). The first report stands: a repeat, or a failure
    after delivery, changes nothing (False), so a gateway may retry safely. An unknown receipt
    → 404. Audited as the notifier, with no phone number anywhere."""
    receipt = (receipt or "").strip()
    if status not in REPORTS:
        raise Invalid("回执状态有误。", errors={"status": ["须为 delivered、failed 或 acknowledged。"]})
    reason = clean_text(reason, "reason", "失败原因", limit=100, required=False) or "网关报告未送达"
    rows = AlertDelivery.objects.filter(receipt=receipt) if receipt else AlertDelivery.objects.none()
    found = rows.values_list("alert_id", flat=True).first()
    if found is None:
        raise NotFound("没有这个回执。", code="unknown_receipt")
    now = timezone.now()
    if status == "failed":
        moved = rows.filter(delivered_at__isnull=True, failed="").update(failed=reason)
    else:
        column = "delivered_at" if status == "delivered" else "acknowledged_at"
        changes = {column: now, **({"acknowledged_by": "回执"} if status == "acknowledged" else {})}
        moved = rows.filter(**{f"{column}__isnull": True}).update(**changes)
        if status == "acknowledged":
            rows.filter(delivered_at__isnull=True).update(delivered_at=now)
    if moved:
        detail = {"reason": reason} if status == "failed" else {}
        audit.record(action=f"fraud_alert_{status}", username="notifier", target=f"fraud_alert:{found}", detail=detail)
    return bool(moved)
