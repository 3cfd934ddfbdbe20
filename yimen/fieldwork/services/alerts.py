"""十户联防 alert: a household raises the alarm and its group's call list is notified in calling
order through the configured notifier (YIMEN_NOTIFIER); each contact's acknowledgement is kept."""

from django.db import transaction
from django.utils import timezone

from yimen.core.crypto import sm4_decrypt
from yimen.core.errors import Conflict, Invalid
from yimen.core.permissions import require_permission
from yimen.core.text import clean_text
from yimen.fieldwork.models import AlertCall, DefenceAlert
from yimen.fieldwork.notify import notifier
from yimen.fieldwork.services._base import OUTSIDE, in_area
from yimen.org.models import Membership
from yimen.org.services import audit_as
from yimen.people.models import Household


@transaction.atomic
def defence_alert_raise(*, actor: Membership, household: Household, message: str) -> DefenceAlert:
    """报警: the household's 十户联防 group is alerted, every person on its call list in order
    (DefenceCall.position). The messages go out after the alert is committed, so a rolled-back
    alert never rings a neighbour's phone; each call row keeps the gateway's receipt."""
    require_permission(actor, "fieldwork.use")
    errors: dict[str, list[str]] = {}
    if not in_area(actor, household.region):
        raise Invalid(f"该户{OUTSIDE}", errors={"household": [f"该户{OUTSIDE}"]})
    if household.defence_group_id is None:
        errors["household"] = ["该户未加入十户联防组，无法发出联防报警。"]
    message = clean_text(message, "message", "警情", limit=200, errors=errors)
    if errors:
        raise Invalid("联防报警有误，请检查标出的字段。", errors=errors)
    group = household.defence_group
    alert = DefenceAlert.objects.create(group=group, household=household, message=message, raised_by=actor.user)
    calls = list(group.calls.select_related("person").order_by("position"))
    AlertCall.objects.bulk_create(
        AlertCall(
            alert=alert,
            position=call.position,
            person=call.person,
            phone_masked=call.person.phone_masked,
            result="待发送" if call.person.phone_cipher else "无手机号，未发送",
        )
        for call in calls
    )
    words = f"【十户联防】{group.name}：{household.address}报警——{message}。请立即响应，收到请回复确认。"
    sends = [(call.position, call.person.phone_cipher) for call in calls if call.person.phone_cipher]
    transaction.on_commit(lambda: _send(alert.pk, sends, words))
    audit_as(actor, action="defence_alert", target=f"defence_group:{group.pk}", detail={"calls": len(calls)})
    return alert


def _send(alert_id: int, sends: list[tuple[int, str]], words: str) -> None:
    gateway = notifier()
    for position, cipher in sends:
        result = gateway.send(sm4_decrypt(cipher), words)
        AlertCall.objects.filter(alert_id=alert_id, position=position).update(result=str(result)[:100])


@transaction.atomic
def alert_acknowledge(*, actor: Membership, call: AlertCall) -> AlertCall:
    """确认: a contact on the call list answered the alert (recorded by the grid staff who took
    the answer); the first acknowledgement stands (409 for a second)."""
    require_permission(actor, "fieldwork.use")
    if not in_area(actor, call.alert.household.region):
        raise Invalid(f"该报警{OUTSIDE}", errors={"alert": [f"该报警{OUTSIDE}"]})
    moved = AlertCall.objects.filter(pk=call.pk, acknowledged_at__isnull=True).update(acknowledged_at=timezone.now())
    if moved != 1:
        raise Conflict("该联系人已确认收到。", code="already_acknowledged")
    call.refresh_from_db()
    audit_as(actor, action="defence_alert_ack", target=f"defence_group:{call.alert.group_id}")
    return call
