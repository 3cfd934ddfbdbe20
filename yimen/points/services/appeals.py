"""The household's appeal (issue 16 part 2): within the period the rules set, decided by someone
other than the approver of the entry."""

from django.db import transaction
from django.utils import timezone

from yimen.core.errors import Conflict, Invalid, NotAllowed
from yimen.org.models import Membership
from yimen.points.models import Appeal, Entry
from yimen.points.services._base import log
from yimen.points.services.ledger import entry_reverse


@transaction.atomic
def appeal_file(*, actor: Membership, entry: Entry, grounds: str) -> Appeal:
    """Record a household's appeal against an approved entry within the rules' 申诉期."""
    if not grounds.strip():
        raise Invalid("请写明申诉理由。", errors={"grounds": ["此项为必填项。"]})
    if entry.kind != Entry.Kind.AWARD or entry.award_id is None:
        raise Conflict("只能对审核入账的赋分或扣分申诉。", code="not_appealable")
    if timezone.now() > entry.appeal_until():
        days = entry.award.rule.ruleset.appeal_days
        raise Conflict(f"已超过 {days} 天申诉期。", code="appeal_period_over")
    if Appeal.objects.filter(entry=entry).exists():
        raise Conflict("该记录已有申诉。", code="already_appealed")
    appeal = Appeal.objects.create(entry=entry, grounds=grounds.strip(), filed_by=actor)
    log(actor, "points.appeal", f"household:{entry.household_id}", entry=entry.pk)
    return appeal


@transaction.atomic
def appeal_decide(*, actor: Membership, appeal: Appeal, upheld: bool, decision: str) -> Appeal:
    """Decide an appeal: never by the one who approved the entry (回避); upheld, the entry is
    reversed by a new entry carrying the decision as its reason."""
    appeal = Appeal.objects.select_for_update().select_related("entry").get(pk=appeal.pk)
    if appeal.entry.by.user_id == actor.user_id:
        raise NotAllowed("审核该积分的人不能处理对它的申诉。", code="own_approval")
    if appeal.state != Appeal.State.OPEN:
        raise Conflict("该申诉已处理。", code="already_decided")
    if not decision.strip():
        raise Invalid("请写明处理意见。", errors={"decision": ["此项为必填项。"]})
    if upheld:
        entry_reverse(actor=actor, entry=appeal.entry, reason=f"申诉成立：{decision.strip()}")
    appeal.state = Appeal.State.UPHELD if upheld else Appeal.State.DISMISSED
    appeal.decided_by, appeal.decision = actor, decision.strip()
    appeal.save(update_fields=["state", "decided_by", "decision"])
    log(actor, "points.appeal_decide", f"household:{appeal.entry.household_id}", appeal=appeal.pk, upheld=upheld)
    return appeal
