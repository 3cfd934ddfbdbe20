"""12345 referrals both ways (issue 19 part 4): each ticket the adapter fetches becomes a case
(channel hotline, the ticket number as source_ref, the hotline's deadline kept beside Yimen's
own) registered by the centre member who runs the exchange — once per ticket number, so a
ticket fetched twice makes no second case; a later copy carrying the hotline's 回访 rating
records it. Replies go back for every case answered (closed) and not yet replied."""

from django.db import transaction
from django.utils import timezone

from yimen.cases.models import Case
from yimen.cases.services import case_register
from yimen.citizens.hotline import HotlineAdapter, Reply, Ticket
from yimen.citizens.models import HotlineTicket
from yimen.citizens.selectors import answer
from yimen.org.models import Membership
from yimen.org.services import audit_as


@transaction.atomic
def hotline_ticket_receive(*, actor: Membership, ticket: Ticket) -> HotlineTicket:
    """One ticket → one case (idempotent on the ticket number)."""
    found = HotlineTicket.objects.select_for_update().filter(number=ticket.number).first()
    if found is not None:
        if ticket.rating is not None and found.rating is None:
            HotlineTicket.objects.filter(pk=found.pk).update(rating=ticket.rating)
            audit_as(actor, action="hotline_rating", target=f"case:{found.case.code}", detail={"rating": ticket.rating})
            found.refresh_from_db()
        return found
    parties = [{"name": ticket.caller_name or "热线来电人", "role": "applicant"}]
    if ticket.caller_phone:
        parties[0]["phone"] = ticket.caller_phone
    case = case_register(
        actor=actor,
        kind="appeal",
        title=(ticket.title or ticket.text)[:100],
        description=f"{ticket.text}\n（12345 工单 {ticket.number}，热线分类：{ticket.category or '未分类'}）",
        channel="hotline",
        source_ref=ticket.number,
        region=actor.jurisdiction.code,
        received_at=ticket.received_at,
        parties=parties,
    ).case
    row = HotlineTicket.objects.create(
        number=ticket.number, category=ticket.category, upstream_deadline=ticket.deadline, case=case
    )
    audit_as(actor, action="hotline_ticket", target=f"case:{case.code}", detail={"number": ticket.number})
    return row


def hotline_pull(*, actor: Membership, adapter: HotlineAdapter) -> list[HotlineTicket]:
    """Fetch and register every waiting ticket (each in its own transaction)."""
    return [hotline_ticket_receive(actor=actor, ticket=t) for t in adapter.fetch()]


def hotline_push(*, adapter: HotlineAdapter) -> int:
    """Send the reply of every answered (closed) case not yet replied; a send that fails stays
    for the next exchange."""
    waiting = HotlineTicket.objects.filter(replied_at=None, case__state__in=Case.DONE).select_related(
        "case", "case__lead_unit"
    )
    sent = 0
    for row in waiting:
        case = row.case
        reply = Reply(
            number=row.number,
            text=answer(case=case),
            answered_at=timezone.localtime(case.updated_at),
            case_code=case.code,
            unit=case.lead_unit.name if case.lead_unit_id else "",
        )
        receipt = adapter.send_reply(reply)
        with transaction.atomic():
            HotlineTicket.objects.filter(pk=row.pk, replied_at=None).update(
                replied_at=timezone.now(), reply_receipt=receipt[:200]
            )
            audit_as(None, action="hotline_reply", target=f"case:{case.code}", detail={"number": row.number})
        sent += 1
    return sent
