"""Proposal → approval → the household's append-only ledger (issue 16 part 2)."""

import hashlib
from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from yimen.core.errors import Conflict, Invalid, NotAllowed
from yimen.core.images import checked_photos
from yimen.org.models import Membership
from yimen.people.models import Household
from yimen.points import selectors
from yimen.points.models import Award, AwardPhoto, Consent, Entry, Rule
from yimen.points.services._base import append, locked_balance, log, once, village_of


@transaction.atomic
def award_propose(
    *,
    actor: Membership,
    household: Household,
    rule_code: str,
    note: str,
    evidence: str = "",
    photos: Sequence[bytes] = (),
    idempotency_key: str | None = None,
) -> Award:
    """A grid worker or grid chief proposes an award or deduction under the village's current
    细则 (issue 16 part 2); the rule must exist there (422) and its evidence be given: a rule
    asking for a photo takes nothing else (422 on `photos`), one asking for a witness takes the
    witness's note or photos; photos are checked and sealed like every upload."""
    village = village_of(household)
    ruleset = selectors.current_ruleset(village)
    rule = Rule.objects.filter(ruleset=ruleset, code=rule_code).first() if ruleset else None
    if rule is None:
        raise Invalid("本村积分细则中没有该赋分事项。", errors={"rule": ["未知的赋分事项。"]})
    if not note.strip():
        raise Invalid("请写明事由。", errors={"note": ["此项为必填项。"]})
    errors: dict[str, list[str]] = {}
    kept = checked_photos(list(photos), errors)
    if errors:
        raise Invalid("照片不符合要求。", errors=errors)
    if rule.evidence_required == Rule.Evidence.PHOTO and not kept:
        raise Invalid("该事项须附现场照片作佐证。", errors={"photos": ["请至少附 1 张现场照片。"]})
    if rule.evidence_required == Rule.Evidence.WITNESS and not evidence.strip() and not kept:
        raise Invalid(
            f"该事项须附佐证（{rule.get_evidence_required_display()}）。", errors={"evidence": ["须附佐证。"]}
        )

    def make() -> Award:
        award = Award.objects.create(
            household=household,
            village=village,
            rule=rule,
            note=note.strip(),
            evidence=evidence.strip() or f"照片 {len(kept)} 张",
            proposed_by=actor,
        )
        for data, content_type in kept:
            digest = hashlib.sha256(data).hexdigest()
            photo = AwardPhoto(award=award, sha256=digest, content_type=content_type)
            photo.file.save(digest[:16], ContentFile(data), save=False)
            photo.save()
        return award

    digests = [hashlib.sha256(data).hexdigest() for data, _ in kept]
    fields = {"household": household.pk, "rule": rule.code, "note": note, "evidence": evidence, "photos": digests}
    award = once(actor=actor, key=idempotency_key, scope="award", fields=fields, make=make, model=Award)
    log(actor, "points.propose", f"household:{household.pk}", award=award.pk, rule=rule.code, points=rule.points)
    return award


def _decidable(actor: Membership, award: Award) -> None:
    if award.proposed_by.user_id == actor.user_id:
        raise NotAllowed("申报人不能审核自己提出的积分申报。", code="own_proposal")
    if award.state != Award.State.PROPOSED:
        raise Conflict(f"该申报{award.get_state_display()}，不能再审核。", code="already_decided")


@transaction.atomic
def award_approve(*, actor: Membership, award_id: int) -> Award:
    """村两委 approves: the entry copies the rule's points into the ledger and the kept balance
    moves with it. The proposer never approves their own proposal, and a rule's 每月上限 holds:
    counted under the household's balance lock, so two approvals cannot both pass it (issue 16
    parts 1 and 2)."""
    award = selectors.award_visible(actor, award_id, for_update=True)
    _decidable(actor, award)
    balance = locked_balance(award.household)
    rule = award.rule
    if rule.cap_per_month is not None:
        used = selectors.awards_this_month(award.household, rule.code)
        if used >= rule.cap_per_month:
            raise Conflict(
                f"“{rule.name}”每月最多记 {rule.cap_per_month} 次，该户本月已记 {used} 次。", code="cap_reached"
            )
    append(
        balance,
        points=rule.points,
        village=award.village,
        kind=Entry.Kind.AWARD,
        category=rule.category,
        rule_code=rule.code,
        label=rule.name,
        award=award,
        by=actor,
    )
    award.state, award.decided_by, award.decided_at = Award.State.APPROVED, actor, timezone.now()
    award.save(update_fields=["state", "decided_by", "decided_at"])
    log(actor, "points.approve", f"household:{award.household_id}", award=award.pk, balance=balance.balance)
    return award


@transaction.atomic
def award_reject(*, actor: Membership, award_id: int, reason: str) -> Award:
    """村两委 rejects with a reason; the ledger is untouched (issue 16 part 2)."""
    if not reason.strip():
        raise Invalid("驳回须写明理由。", errors={"reason": ["此项为必填项。"]})
    award = selectors.award_visible(actor, award_id, for_update=True)
    _decidable(actor, award)
    award.state, award.decided_by, award.decided_at = Award.State.REJECTED, actor, timezone.now()
    award.reason = reason.strip()
    award.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    log(actor, "points.reject", f"household:{award.household_id}", award=award.pk, reason=award.reason)
    return award


@transaction.atomic
def entry_reverse(*, actor: Membership, entry: Entry, reason: str) -> Entry:
    """An entry is never edited or deleted: it is reversed by a new entry of opposite points with
    a reason, once (issue 16 part 2)."""
    if not reason.strip():
        raise Invalid("冲正须写明理由。", errors={"reason": ["此项为必填项。"]})
    if entry.kind != Entry.Kind.AWARD:
        raise Conflict("只有赋分记录可以冲正。", code="not_reversible")
    balance = locked_balance(entry.household)
    if Entry.objects.filter(reverses=entry).exists():
        raise Conflict("该记录已冲正。", code="already_reversed")
    reversal = append(
        balance,
        points=-entry.points,
        village=entry.village,
        kind=Entry.Kind.REVERSAL,
        category=entry.category,
        rule_code=entry.rule_code,
        label=f"冲正：{entry.label}",
        reverses=entry,
        reason=reason.strip(),
        by=actor,
    )
    log(actor, "points.reverse", f"household:{entry.household_id}", entry=entry.pk, reason=reason.strip())
    return reversal


@transaction.atomic
def consent_give(*, actor: Membership, household: Household) -> Consent:
    """Record the household's consent to be named on the 红榜 (个人信息保护法 art. 14)."""
    consent, _ = Consent.objects.update_or_create(
        household=household, defaults={"given_at": timezone.now(), "withdrawn_at": None, "recorded_by": actor}
    )
    log(actor, "points.consent", f"household:{household.pk}", given=True)
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Membership, household: Household) -> None:
    """Withdrawal takes the household off every red board from now (个人信息保护法 art. 15)."""
    Consent.objects.filter(household=household, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    log(actor, "points.consent", f"household:{household.pk}", given=False)
