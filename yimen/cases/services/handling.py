"""The assigned unit's steps (DESIGN §6): sign, dispute, reply, extend; the centre's 审核 review
and 回访 follow-up, which may reopen the case; and 风险升级, raised by whoever works on it. Each
checks permission and relation (403), state and version (409), then the fields (422), and
appends one timeline event."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yimen.cases import tiers, timeline
from yimen.cases.choices import ContactChannel
from yimen.cases.deadlines import extended
from yimen.cases.models import (
    RISK_ORDER,
    Assignment,
    Case,
    Party,
    Risk,
)
from yimen.cases.rules import authorize, sources_for
from yimen.cases.services._base import _apply, _check
from yimen.core.errors import Conflict, Invalid
from yimen.core.text import clean_text
from yimen.org.models import Membership

FOLLOW_UP_CAUSES = ("subjective", "objective")  # 主观原因 (our handling) / 客观原因 (law, policy)
REOPEN_AT_OR_BELOW = 2  # an unsatisfied rating (1–2) for a subjective cause reopens the case


# ---------------------------------------------------------------------------------------------
# The assigned unit's steps: sign, dispute, reply, extend


@transaction.atomic
def case_sign(*, case: Case, actor: Membership, version: int, note: str = "") -> Case:
    """签收: the assigned unit takes the work; the lead's signature puts the case in progress."""
    assignment = authorize(actor, case, "sign")
    sources, target = sources_for("sign", assignment)
    state = _check(case, "sign", version, sources)
    now = timezone.now()
    case = _apply(
        case,
        "sign",
        actor=actor,
        version=version,
        from_state=state,
        to_state=target,
        note=note.strip(),
        now=now,
        data={"unit": actor.unit.code, "role": assignment.role},
    )
    Assignment.objects.filter(pk=assignment.pk).update(state=Assignment.State.SIGNED, signed_at=now)
    return case


@transaction.atomic
def case_dispute(*, case: Case, actor: Membership, version: int, reason: str) -> Case:
    """退单: the lead unit returns a dispatch that is not its business, with reasons, within the
    return window (2 days; 5 working days for petitions, 信访工作条例 art. 23)."""
    assignment = authorize(actor, case, "dispute")
    state = _check(case, "dispute", version, Case.TRANSITIONS["dispute"][0])
    now = timezone.now()
    if assignment.dispute_deadline and now > assignment.dispute_deadline:
        when = timezone.localtime(assignment.dispute_deadline).strftime("%Y-%m-%d %H:%M")
        raise Conflict(f"已超过退单时限（{when}），请签收办理或联系派单员。", code="dispute_window_closed")
    reason = clean_text(reason, "reason", "退单理由")
    case = _apply(
        case,
        "dispute",
        actor=actor,
        version=version,
        from_state=state,
        to_state=Case.State.DISPUTED,
        note=reason,
        now=now,
        data={"unit": actor.unit.code},
    )
    Assignment.objects.filter(pk=assignment.pk).update(
        state=Assignment.State.DISPUTED, disputed_at=now, dispute_reason=reason
    )
    return case


@transaction.atomic
def case_reply(*, case: Case, actor: Membership, version: int, text: str) -> Case:
    """答复: the unit reports what it did; the lead's reply sends the case to review."""
    assignment = authorize(actor, case, "reply")
    sources, target = sources_for("reply", assignment)
    state = _check(case, "reply", version, sources)
    text = clean_text(text, "text", "答复内容")
    now = timezone.now()
    updates = {"replied_at": now} if assignment.role == Assignment.Role.LEAD else {}
    case = _apply(
        case,
        "reply",
        actor=actor,
        version=version,
        from_state=state,
        to_state=target,
        updates=updates,
        note=text,
        now=now,
        data={"unit": actor.unit.code, "role": assignment.role},
    )
    Assignment.objects.filter(pk=assignment.pk).update(state=Assignment.State.REPLIED, replied_at=now, reply=text)
    return case


@transaction.atomic
def case_extend(*, case: Case, actor: Membership, version: int, days: int, reason: str) -> Case:
    """延期: the lead unit moves its and the case's deadline by `days` natural days, with reasons,
    within the policy's maximum (信访: 30 days in all, 信访工作条例 art. 34)."""
    assignment = authorize(actor, case, "extend")
    state = _check(case, "extend", version, Case.TRANSITIONS["extend"][0])
    reason = clean_text(reason, "reason", "延期理由")
    allowed = case.policy.max_extension_days if case.policy else 0
    if not isinstance(days, int) or days < 1 or case.extension_days + days > allowed:
        left = max(allowed - case.extension_days, 0)
        message = f"该类事项最多延期 {allowed} 日，已延期 {case.extension_days} 日，至多还可延期 {left} 日。"
        raise Invalid("延期天数有误。", errors={"days": [message]})
    new_deadline = extended(case.deadline, days) if case.deadline else None
    case = _apply(
        case,
        "extend",
        actor=actor,
        version=version,
        from_state=state,
        to_state=None,
        note=reason,
        updates={"deadline": new_deadline, "extension_days": F("extension_days") + days},
        data={"days": days, "deadline": timeline.iso(new_deadline)},
    )
    if assignment.deadline:
        Assignment.objects.filter(pk=assignment.pk).update(deadline=extended(assignment.deadline, days))
    return case


# ---------------------------------------------------------------------------------------------
# 办理记录 note


@transaction.atomic
def case_note(*, case: Case, actor: Membership, version: int, text: str, contact: dict | None = None) -> Case:
    """办理记录 (issue 14 part 3): a unit on the case (an active assignment, or the responsible first
    unit or centre) records progress, or a contact with a party — which party (its index among
    the case's parties), by phone/visit/WeChat/SMS, with what result. Keeps the state but takes
    a new version like every step; only while the case is active (409 after closing). The note
    is its timeline event: note = the text, data = {"contact": {party, name, channel, result}}."""
    authorize(actor, case, "note")
    state = _check(case, "note", version, Case.TRANSITIONS["note"][0])
    errors: dict[str, list[str]] = {}
    text = clean_text(text, "text", "办理情况", errors=errors)
    data = {"contact": _contact(case, contact, errors)} if contact is not None else {}
    if errors:
        raise Invalid("办理记录有误，请检查标出的字段。", errors=errors)
    return _apply(case, "note", actor=actor, version=version, from_state=state, to_state=None, note=text, data=data)


def _contact(case: Case, contact: dict, errors: dict[str, list[str]]) -> dict:
    """The contact record with the party's name copied (the timeline outlives edits); bad
    fields are added to `errors` under contact.<field>."""
    parties = list(Party.objects.filter(case=case).order_by("id").values_list("name", flat=True))
    index, channel = contact.get("party"), contact.get("channel")
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(parties):
        errors["contact.party"] = [f"当事人序号须为 0 到 {len(parties) - 1}。" if parties else "本案没有登记当事人。"]
    if channel not in ContactChannel.values:
        errors["contact.channel"] = ["联系方式须为 phone（电话）、visit（上门）、wechat（微信）或 sms（短信）。"]
    if errors:
        return {}
    result = (contact.get("result") or "").strip()
    return {"party": index, "name": parties[index], "channel": channel, "result": result}


# ---------------------------------------------------------------------------------------------
# 审核 review and 回访 follow-up


def _require_support_answered(case: Case) -> None:
    """A case closes with every co-unit's part (issue 14 part 4): each active support assignment
    has replied (协办意见) or been released by the dispatcher; otherwise 409 naming the units."""
    waiting = (
        Assignment.objects.filter(
            case=case,
            role=Assignment.Role.SUPPORT,
            state__in=Assignment.UNANSWERED,
        )
        .order_by("unit__code")
        .values_list("unit__name", flat=True)
    )
    if names := list(waiting):
        raise Conflict(
            f"协办单位{'、'.join(names)}尚未答复，请待其答复或由派单员撤回协办后再审核通过。",
            code="support_not_answered",
        )


def _reopen_lead(case: Case) -> bool:
    """Put the replied lead assignment back to work; False when the case was never dispatched."""
    return bool(
        Assignment.objects.filter(
            case=case, role=Assignment.Role.LEAD, state__in=(Assignment.State.REPLIED, Assignment.State.SIGNED)
        ).update(state=Assignment.State.SIGNED, replied_at=None)
    )


@transaction.atomic
def case_review(*, case: Case, actor: Membership, version: int, approved: bool, note: str = "") -> Case:
    """审核: an approved reply closes the case; otherwise it goes back to the lead (重办)."""
    authorize(actor, case, "review")
    state = _check(case, "review", version, Case.TRANSITIONS["review"][0])
    note = (note or "").strip()
    now = timezone.now()
    if approved:
        _require_support_answered(case)
        return _apply(
            case,
            "review",
            actor=actor,
            version=version,
            from_state=state,
            to_state=Case.State.CLOSED,
            updates={"closed_at": now},
            note=note,
            now=now,
            data={"approved": True},
        )
    clean_text(note, "note", "退回重办的理由")
    case = _apply(
        case,
        "review",
        actor=actor,
        version=version,
        from_state=state,
        to_state=Case.State.IN_PROGRESS,
        updates={"replied_at": None},
        note=note,
        now=now,
        data={"approved": False},
    )
    _reopen_lead(case)
    return case


@transaction.atomic
def case_follow_up(
    *, case: Case, actor: Membership, version: int, rating: int, note: str = "", cause: str | None = None
) -> Case:
    """回访: the citizen rates the result 1–5. Unsatisfied (≤ 2) for a subjective cause (our
    handling, not the law or policy) reopens the case: to the lead unit, or to the centre when
    it was closed at the window."""
    authorize(actor, case, "follow_up")
    state = _check(case, "follow_up", version, Case.TRANSITIONS["follow_up"][0])
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise Invalid("评价有误。", errors={"rating": ["评价须为 1 到 5。"]})
    if cause is not None and cause not in FOLLOW_UP_CAUSES:
        raise Invalid("不满意原因有误。", errors={"cause": ["须为 subjective（主观原因）或 objective（客观原因）。"]})
    note = (note or "").strip()
    now = timezone.now()
    data = {"rating": rating, "cause": cause}
    updates = {"rating": rating, "rating_note": note, "followed_up_at": now}
    if rating <= REOPEN_AT_OR_BELOW and cause == "subjective":
        dispatched = Assignment.objects.filter(case=case, role=Assignment.Role.LEAD, state__in=Assignment.ACTIVE)
        target = Case.State.IN_PROGRESS if dispatched.exists() else Case.State.ACCEPTED
        case = _apply(
            case,
            "follow_up",
            actor=actor,
            version=version,
            from_state=state,
            to_state=target,
            now=now,
            updates={**updates, "closed_at": None, "replied_at": None},
            note=note,
            data={**data, "reopened": True},
        )
        _reopen_lead(case)
        return case
    return _apply(
        case,
        "follow_up",
        actor=actor,
        version=version,
        from_state=state,
        to_state=Case.State.FOLLOWED_UP,
        updates=updates,
        note=note,
        now=now,
        data=data,
    )


# ---------------------------------------------------------------------------------------------
# 风险升级 risk


@transaction.atomic
def case_raise_risk(*, case: Case, actor: Membership, version: int, risk: str, reason: str, plan: str = "") -> Case:
    """风险升级: raised at any step by whoever works on the case; the tier of the new risk says
    whether it needs a joint-handling plan and opens its report upward (DESIGN §6, 洞井: red →
    joint meeting, one plan per case, report to the county)."""
    authorize(actor, case, "raise_risk")
    state = _check(case, "raise_risk", version, Case.TRANSITIONS["raise_risk"][0])
    if risk not in Risk.values or RISK_ORDER[risk] <= RISK_ORDER[case.risk]:
        raise Invalid("风险等级有误。", errors={"risk": [f"只能调高风险等级（当前为{case.get_risk_display()}）。"]})
    reason = clean_text(reason, "reason", "调整理由")
    plan = (plan or "").strip()
    if tiers.plan_required(risk) and not (plan or case.joint_plan):
        raise Invalid("该风险等级须制定联合处置方案。", errors={"plan": ["请填写联合处置方案（一案一方案）。"]})
    now = timezone.now()
    case = _apply(
        case,
        "raise_risk",
        actor=actor,
        version=version,
        from_state=state,
        to_state=None,
        note=reason,
        updates={"risk": risk, "joint_plan": plan or case.joint_plan},
        data={"from": case.risk, "to": risk},
        now=now,
    )
    tiers.open_upward_report(case, now=now)
    return case
