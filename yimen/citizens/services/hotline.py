"""12345 referrals both ways (issue 19 part 4): each ticket the adapter fetches becomes a case
(channel hotline, the ticket number as source_ref, the hotline's deadline kept beside Yimen's
own) registered by the centre member who runs the exchange — once per ticket number, so a
ticket fetched twice makes no second case; a later copy carrying the hotline's 回访 rating
records it. Replies go back for every case answered (closed) and not yet replied."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yimen.cases.models import Case
from yimen.cases.services import case_register
from yimen.citizens.hotline import HotlineAdapter, Reply, Ticket
from yimen.citizens.hotline.filedrop import FileDropAdapter
from yimen.citizens.models import HotlineTicket
from yimen.citizens.selectors import answer
from yimen.core.errors import DomainError
from yimen.org.models import Membership
from yimen.org.services import audit_as

log = logging.getLogger(__name__)


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
    """Fetch and register every waiting ticket (each in its own transaction). A ticket Yimen
    refuses (say, a caller's phone that is no phone) is handed back to the adapter's `reject`
    when it has one (the file-drop adapter moves it to inbox/*.failed) and the rest go on."""
    rows = []
    for ticket in adapter.fetch():
        try:
            rows.append(hotline_ticket_receive(actor=actor, ticket=ticket))
        except DomainError as exc:
            log.warning("12345 ticket %s refused: %s", ticket.number, exc.message)
            reject = getattr(adapter, "reject", None)
            if reject is not None:
                reject(ticket, exc.message)
    return rows


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


def hotline_actor() -> Membership | None:
    """The centre seat that registers the scheduled exchange's tickets: the active seat of
    YIMEN_HOTLINE_ACTOR that may register cases (首接负责: a named person, never a robot)."""
    username = settings.YIMEN_HOTLINE_ACTOR
    if not username:
        return None
    seats = Membership.objects.filter(user__username=username, user__is_active=True, is_active=True)
    return next((m for m in seats.select_related("user", "unit", "jurisdiction") if m.has_perm("case.register")), None)


def hotline_exchange() -> dict[str, int] | None:
    """The scheduled 12345 exchange over the file drop (issue 19 part 4): import the new tickets
    in YIMEN_HOTLINE_DROP_DIR/inbox, then write the replies of the answered cases to outbox/.
    Idempotent: a ticket number seen twice makes one case (hotline_ticket_receive), a reply is
    written once (replied_at). None when the exchange is not configured."""
    root = settings.YIMEN_HOTLINE_DROP_DIR
    actor = hotline_actor()
    if not root or actor is None:
        if root:
            log.warning("12345 exchange skipped: YIMEN_HOTLINE_ACTOR names no seat that may register cases")
        return None
    adapter = FileDropAdapter(root)
    received = hotline_pull(actor=actor, adapter=adapter)
    return {"received": len(received), "replied": hotline_push(adapter=adapter)}
