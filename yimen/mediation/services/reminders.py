"""Reminders of the mediation deadlines (tasks.mediation_reminders_daily): the one-month norm
(人民调解工作若干规定 art. 36), the 30 days to apply for court confirmation (人民调解法 art. 33),
and the court's 3 days to accept and 15 (+10) to decide (SPC rules 2011). A notice to the unit
that must act — the lead unit for its mediation and application, the court for its own steps —
when a deadline is near (SOON) and again when it has passed; each one once."""

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from yimen.cases.models import Notification, SupervisionLevel
from yimen.mediation.models import Agreement, CourtConfirmation, Mediation, Reminder
from yimen.org.models import Unit

SOON = timedelta(days=3)

# what -> the sentence of a notice ({code}, {title}, {due} filled in)
TEXTS = {
    "month": "调解期限：{code}「{title}」的调解应于 {due} 前完成（人民调解工作若干规定第三十六条），"
    "超过须经双方当事人同意延长。",
    "apply": "司法确认：{code}「{title}」的调解协议应于 {due} 前共同申请司法确认（人民调解法第三十三条）。",
    "accept": "司法确认：{code}「{title}」的申请应于 {due} 前决定是否受理。",
    "decide": "司法确认：{code}「{title}」应于 {due} 前作出裁定。",
}


def _due_items(now: datetime) -> Iterator[tuple[Mediation, str, datetime, Unit | None]]:
    """(mediation, what, due, the unit to tell: None for the lead unit)."""
    horizon = now + SOON
    for mediation in Mediation.objects.filter(result=Mediation.Result.PENDING, due__lte=horizon).select_related(
        "case", "case__lead_unit", "unit"
    ):
        yield mediation, "month", mediation.due, None
    agreements = Agreement.objects.filter(
        seek_confirmation=True, oral=False, confirm_by__lte=horizon, confirmation__isnull=True
    ).select_related("mediation", "mediation__case", "mediation__case__lead_unit", "mediation__unit")
    for agreement in agreements:
        yield agreement.mediation, "apply", agreement.confirm_by, None
    confirmations = CourtConfirmation.objects.filter(
        state__in=(CourtConfirmation.State.APPLIED, CourtConfirmation.State.ACCEPTED)
    ).select_related(
        "court",
        "agreement__mediation",
        "agreement__mediation__case",
        "agreement__mediation__case__lead_unit",
        "agreement__mediation__unit",
    )
    for confirmation in confirmations:
        applied = confirmation.state == CourtConfirmation.State.APPLIED
        due = confirmation.accept_due if applied else confirmation.decide_due
        if due <= horizon:
            yield confirmation.agreement.mediation, "accept" if applied else "decide", due, confirmation.court


def _send(items: Iterable[tuple[Mediation, str, datetime, Unit | None]], now: datetime) -> int:
    sent = 0
    for mediation, what, due, unit in items:
        late = due < now
        key = f"{what}:{'late' if late else 'soon'}:{timezone.localtime(due):%Y-%m-%d}"
        case = mediation.case
        text = TEXTS[what].format(code=case.code, title=case.title, due=f"{timezone.localtime(due):%Y-%m-%d}")
        text = ("已超期！" if late else "即将到期：") + text
        try:
            with transaction.atomic():
                Reminder.objects.create(mediation=mediation, key=key, sent_at=now)
                Notification.objects.create(
                    unit=unit or case.lead_unit or mediation.unit,
                    case=case,
                    level=SupervisionLevel.URGE if late else SupervisionLevel.NONE,
                    text=text[:300],
                    created_at=now,
                )
        except IntegrityError:  # sent before (the unique key): each reminder once
            continue
        sent += 1
    return sent


def mediation_reminders(*, now: datetime | None = None) -> int:
    """Send the reminders due now (deadlines within SOON, or passed) that were not sent before;
    a moved deadline (an extension) makes a new reminder. Returns how many were sent."""
    now = now or timezone.now()
    return _send(_due_items(now), now)
