"""The centre's steps (DESIGN §6): accept, decline, merge, refer, close at the window, archive,
and 派单 dispatch / 改派 redispatch. Each checks the actor's permission and relation to the case
(403), the case's state and version (409), then the fields (422), and appends one timeline event."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from yimen.cases import tiers, timeline
from yimen.cases.deadlines import policy_deadline
from yimen.cases.models import (
    Assignment,
    Case,
    CatalogueRow,
)
from yimen.cases.rules import authorize
from yimen.cases.services._base import _apply, _aware, _check, _default_row
from yimen.core.errors import Invalid
from yimen.core.text import clean_text
from yimen.org.models import Membership, Unit

# ---------------------------------------------------------------------------------------------
# The centre's steps: accept, decline, merge, refer, close (at the window), archive


@transaction.atomic
def case_accept(*, case: Case, actor: Membership, version: int, note: str = "") -> Case:
    """受理: the first receiver (clerk) or the dispatcher accepts a registered matter."""
    authorize(actor, case, "accept")
    state = _check(case, "accept", version, Case.TRANSITIONS["accept"][0])
    now = timezone.now()
    return _apply(
        case,
        "accept",
        actor=actor,
        version=version,
        from_state=state,
        to_state=Case.State.ACCEPTED,
        updates={"accepted_at": now},
        note=note.strip(),
        now=now,
    )


@transaction.atomic
def case_decline(*, case: Case, actor: Membership, version: int, reason: str) -> Case:
    """不予受理: with the reason the citizen is told (信访工作条例 art. 22: in writing)."""
    authorize(actor, case, "decline")
    state = _check(case, "decline", version, Case.TRANSITIONS["decline"][0])
    reason = clean_text(reason, "reason", "不予受理的理由")
    return _apply(
        case, "decline", actor=actor, version=version, from_state=state, to_state=Case.State.DECLINED, note=reason
    )


@transaction.atomic
def case_merge(*, case: Case, actor: Membership, version: int, into: str, note: str = "") -> Case:
    """并单: a duplicate joins the case it repeats; the other case goes on."""
    authorize(actor, case, "merge")
    state = _check(case, "merge", version, Case.TRANSITIONS["merge"][0])
    target = Case.objects.visible_to(actor).filter(code=(into or "").strip()).first()
    if target is None:
        raise Invalid("未找到要并入的案件。", errors={"into": ["未找到该案件，或不在您的管辖范围内。"]})
    if target.pk == case.pk:
        raise Invalid("不能并入自身。", errors={"into": ["不能并入自身。"]})
    if target.state in (Case.State.MERGED, Case.State.DECLINED, Case.State.REFERRED, Case.State.ARCHIVED):
        raise Invalid(
            "目标案件已结束。", errors={"into": [f"目标案件状态为“{target.get_state_display()}”，不能并入。"]}
        )
    return _apply(
        case,
        "merge",
        actor=actor,
        version=version,
        from_state=state,
        to_state=Case.State.MERGED,
        updates={"merged_into": target},
        note=note.strip(),
        data={"into": target.code},
    )


@transaction.atomic
def case_refer(*, case: Case, actor: Membership, version: int, to: str, reason: str) -> Case:
    """转办: the matter belongs elsewhere — 110, a court action, labour arbitration (法定途径)."""
    authorize(actor, case, "refer")
    state = _check(case, "refer", version, Case.TRANSITIONS["refer"][0])
    to = clean_text(to, "to", "转往何处")[:100]
    reason = clean_text(reason, "reason", "转办理由")
    return _apply(
        case,
        "refer",
        actor=actor,
        version=version,
        from_state=state,
        to_state=Case.State.REFERRED,
        updates={"referred_to": to},
        note=reason,
        data={"to": to},
    )


@transaction.atomic
def case_close(*, case: Case, actor: Membership, version: int, note: str = "") -> Case:
    """办结 at the window: a matter answered on the spot, without dispatch."""
    authorize(actor, case, "close")
    state = _check(case, "close", version, Case.TRANSITIONS["close"][0])
    now = timezone.now()
    return _apply(
        case,
        "close",
        actor=actor,
        version=version,
        from_state=state,
        to_state=Case.State.CLOSED,
        updates={"closed_at": now},
        note=note.strip(),
        now=now,
    )


@transaction.atomic
def case_archive(*, case: Case, actor: Membership, version: int, note: str = "") -> Case:
    """归档: a finished case leaves the working lists."""
    authorize(actor, case, "archive")
    state = _check(case, "archive", version, Case.TRANSITIONS["archive"][0])
    now = timezone.now()
    return _apply(
        case,
        "archive",
        actor=actor,
        version=version,
        from_state=state,
        to_state=Case.State.ARCHIVED,
        updates={"archived_at": now},
        note=note.strip(),
        now=now,
    )


# ---------------------------------------------------------------------------------------------
# 派单 dispatch and 改派 redispatch


def _resolve_units(case: Case, lead_unit: str, support_units: Sequence[str]) -> tuple[Unit, list[Unit]]:
    """The lead and support units by code: active, covering the case's region, not accused."""
    codes = [lead_unit, *support_units]
    found = {u.code: u for u in Unit.objects.filter(code__in=codes, is_active=True).select_related("region")}
    accused = set(case.accused_units.values_list("code", flat=True))
    errors: dict[str, list[str]] = {}
    for field, code in [("lead_unit", lead_unit)] + [("support_units", c) for c in support_units]:
        unit = found.get(code)
        if unit is None:
            errors.setdefault(field, []).append(f"未找到在用单位：{code}。")
        elif not case.region_path.startswith(unit.region.path):
            errors.setdefault(field, []).append(f"“{unit.name}”的辖区不包含案件所在地。")
        elif code in accused:
            errors.setdefault(field, []).append(f"“{unit.name}”是被检举控告单位，须回避（信访工作条例第四十六条）。")
    if lead_unit in support_units or len(set(support_units)) != len(support_units):
        errors.setdefault("support_units", []).append("协办单位不能重复，也不能与主办单位相同。")
    if errors:
        raise Invalid("派单单位有误。", errors=errors)
    return found[lead_unit], [found[c] for c in support_units]


def _row_of(case: Case) -> CatalogueRow | None:
    return case.category or _default_row(case.kind)


def _assign(case: Case, unit: Unit, role: str, *, actor: Membership, at: datetime, deadline: datetime | None):
    """One assignment with its sign window, return window and handling deadline: the row's
    policy from dispatch, within the case's statutory deadline, unless the dispatcher set one."""
    row = _row_of(case)
    if deadline is None and row is not None:
        deadline = policy_deadline(row.policy, at)
        if case.deadline and at < case.deadline < deadline:
            deadline = case.deadline
    return Assignment.objects.create(
        case=case,
        unit=unit,
        role=role,
        policy=row.policy if row else None,
        dispatched_at=at,
        dispatched_by=actor.user,
        sign_deadline=_within(policy_deadline(row.sign_policy, at), deadline) if row else None,
        dispute_deadline=_within(policy_deadline(row.return_policy, at), deadline) if row else None,
        deadline=deadline,
    )


def _within(window_end: datetime, deadline: datetime | None) -> datetime:
    """A sign or return window never ends after the handling deadline it serves: on a 24-hour
    case the two-day window to object ends with the case's own 24 hours (issue 21 item 4)."""
    return min(window_end, deadline) if deadline else window_end


def _check_deadline(deadline: datetime | None, now: datetime) -> datetime | None:
    if deadline is None:
        return None
    deadline = _aware(deadline)
    if not now < deadline <= now + timedelta(days=366):
        raise Invalid("办理期限有误。", errors={"deadline": ["办理期限须晚于现在，且在一年之内。"]})
    return deadline


def _check_plan(case: Case, plan: str) -> str:
    """A case whose risk tier says so (red) needs a joint-handling plan (一案一方案) before it
    goes out."""
    plan = (plan or "").strip()
    if tiers.plan_required(case.risk) and not (plan or case.joint_plan):
        raise Invalid("红色风险案件须先制定联合处置方案。", errors={"plan": ["请填写联合处置方案（一案一方案）。"]})
    return plan or case.joint_plan


@transaction.atomic
def case_dispatch(
    *,
    case: Case,
    actor: Membership,
    version: int,
    lead_unit: str,
    support_units: Sequence[str] = (),
    deadline: datetime | None = None,
    plan: str = "",
    note: str = "",
) -> Case:
    """派单: one lead unit (主办) and any support units (协办), each with sign and return windows
    and a deadline by the catalogue row (or the dispatcher's own, within a year)."""
    authorize(actor, case, "dispatch")
    state = _check(case, "dispatch", version, Case.TRANSITIONS["dispatch"][0])
    now = timezone.now()
    lead, supports = _resolve_units(case, lead_unit, list(support_units))
    deadline = _check_deadline(deadline, now)
    plan = _check_plan(case, plan)
    case = _apply(
        case,
        "dispatch",
        actor=actor,
        version=version,
        from_state=state,
        to_state=Case.State.DISPATCHED,
        updates={"dispatched_at": now, "lead_unit": lead, "joint_plan": plan},
        note=note.strip(),
        now=now,
        data={"lead_unit": lead.code, "support_units": [u.code for u in supports], "deadline": timeline.iso(deadline)},
    )
    _assign(case, lead, Assignment.Role.LEAD, actor=actor, at=now, deadline=deadline)
    for unit in supports:
        _assign(case, unit, Assignment.Role.SUPPORT, actor=actor, at=now, deadline=deadline)
    return case


@transaction.atomic
def case_redispatch(
    *, case: Case, actor: Membership, version: int, lead_unit: str, support_units: Sequence[str] = (), note: str = ""
) -> Case:
    """改派 settles a disputed dispatch: to another lead unit, or back to the same one (the
    dispute was not upheld). Support units not named again are withdrawn."""
    authorize(actor, case, "redispatch")
    state = _check(case, "redispatch", version, Case.TRANSITIONS["redispatch"][0])
    now = timezone.now()
    lead, supports = _resolve_units(case, lead_unit, list(support_units))
    previous = case.lead_unit
    case = _apply(
        case,
        "redispatch",
        actor=actor,
        version=version,
        from_state=state,
        to_state=Case.State.DISPATCHED,
        updates={"dispatched_at": now, "lead_unit": lead},
        note=note.strip(),
        now=now,
        data={
            "lead_unit": lead.code,
            "support_units": [u.code for u in supports],
            "previous": previous.code if previous else None,
            "same_unit": previous == lead,
        },
    )
    keep = {u.pk for u in supports}
    active = Assignment.objects.filter(case=case, state__in=Assignment.ACTIVE)
    active.exclude(role=Assignment.Role.SUPPORT, unit_id__in=keep).update(state=Assignment.State.WITHDRAWN)
    kept = set(active.values_list("unit_id", flat=True))
    _assign(case, lead, Assignment.Role.LEAD, actor=actor, at=now, deadline=None)
    for unit in supports:
        if unit.pk not in kept:
            _assign(case, unit, Assignment.Role.SUPPORT, actor=actor, at=now, deadline=None)
    return case


# ---------------------------------------------------------------------------------------------
# 自办 take (首接负责) and 撤回协办 release


@transaction.atomic
def case_take(*, case: Case, actor: Membership, version: int, note: str = "") -> Case:
    """自办 (issue 14 part 1, 首接负责): the first unit handles a matter that reached its own door
    itself, where the catalogue makes it the lead (rules.require_own_lead; else 403: leave it to
    the centre). Registered → in progress in one step: accepted and dispatched now, the deadlines
    as dispatch counts them from the row's policies, and one lead assignment for its own unit,
    already signed."""
    authorize(actor, case, "take")
    state = _check(case, "take", version, Case.TRANSITIONS["take"][0])
    now = timezone.now()
    case = _apply(
        case,
        "take",
        actor=actor,
        version=version,
        from_state=state,
        to_state=Case.State.IN_PROGRESS,
        updates={"accepted_at": now, "dispatched_at": now, "lead_unit": actor.unit},
        note=note.strip(),
        now=now,
        data={"lead_unit": actor.unit.code},
    )
    lead = _assign(case, actor.unit, Assignment.Role.LEAD, actor=actor, at=now, deadline=None)
    Assignment.objects.filter(pk=lead.pk).update(state=Assignment.State.SIGNED, signed_at=now)
    return case


@transaction.atomic
def case_release(*, case: Case, actor: Membership, version: int, unit: str, reason: str) -> Case:
    """撤回协办 (issue 14 part 4): the dispatcher withdraws a support assignment that is no longer
    needed, with the reason; review may then close the case without that unit's part."""
    authorize(actor, case, "release")
    state = _check(case, "release", version, Case.TRANSITIONS["release"][0])
    support = (
        Assignment.objects.filter(
            case=case, unit__code=(unit or "").strip(), role=Assignment.Role.SUPPORT, state__in=Assignment.UNANSWERED
        )
        .select_related("unit")
        .first()
    )
    errors: dict[str, list[str]] = {}
    if support is None:
        errors["unit"] = ["该单位不是本案尚未答复的协办单位。"]
    reason = clean_text(reason, "reason", "撤回协办的理由", errors=errors)
    if errors:
        raise Invalid("撤回协办的内容有误。", errors=errors)
    case = _apply(
        case,
        "release",
        actor=actor,
        version=version,
        from_state=state,
        to_state=None,
        note=reason,
        data={"unit": support.unit.code},
    )
    Assignment.objects.filter(pk=support.pk).update(state=Assignment.State.WITHDRAWN)
    return case
