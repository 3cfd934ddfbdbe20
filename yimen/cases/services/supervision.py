"""催办 / 督办 / 通报 (DESIGN §6): by the supervisor's hand, and raised on late work by the periodic
sweep, a level never twice; each raise is one timeline event and notices to the responsible unit
and its leaders. 督办 and 通报 by hand carry a typed reason and issue a 督办单, which the unit
answers with its correction record (整改情况). Also the citizen's rating on the public page (once, after closing) and
attachments (stored with their SHA-256 and size)."""

import hashlib
from datetime import datetime

from django.core.files import File
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from yimen.cases import extensions, timeline
from yimen.cases.deadlines import derived_level
from yimen.cases.documents import order_paper
from yimen.cases.models import (
    LEVEL_NAMES,
    Assignment,
    Attachment,
    Case,
    Notification,
    ReasonType,
    SupervisionLevel,
    SupervisionOrder,
)
from yimen.cases.rules import authorize, require_involved
from yimen.cases.services._base import _apply, _check, case_touch, counter_next
from yimen.cases.services.documents import case_document_issue
from yimen.core.deadlines import deadline_working_days
from yimen.core.errors import Conflict, Invalid, NotAllowed, NotFound
from yimen.core.permissions import require_permission
from yimen.core.text import clean_text
from yimen.org.models import Membership, Unit
from yimen.org.roles import Role

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ORDER_KINDS = frozenset(SupervisionOrder.Kind.values)  # the steps that issue a 督办单
ORDER_PREFIX = "督字"  # the 督办单 counter's row in the yearly counters, beside the towns' case codes
# Working days to correct when the supervisor names none: a 通报 is graver, so sooner.
CORRECT_WITHIN_DAYS = {"supervise": 5, "censure": 3}
MAX_CORRECT_DAYS = 30


# ---------------------------------------------------------------------------------------------
# 催办 / 督办 / 通报


def _supervise(
    case: Case,
    action: str,
    level: int,
    *,
    actor: Membership,
    version: int,
    note: str,
    reason_type: str,
    correct_within_days: int | None = None,
) -> Case:
    authorize(actor, case, action)
    state = _check(case, action, version, Case.TRANSITIONS[action][0])
    note = (note or "").strip()
    issues_order = action in ORDER_KINDS
    _check_reason(reason_type, note, required=issues_order)
    data = {"level": level, **({"reason_type": reason_type} if reason_type else {})}
    if issues_order:  # a stale UPDATE below rolls the order back with the step
        days = _correct_days(action, correct_within_days)
        data["order"] = _issue_order(case, action, actor=actor, reason_type=reason_type, note=note, days=days).number
    case = _apply(
        case,
        action,
        actor=actor,
        version=version,
        from_state=state,
        to_state=None,
        note=note,
        updates={"supervision_level": max(case.supervision_level, level)},
        data=data,
    )
    unit = case.lead_unit or case.first_unit
    _notify(case, unit, level, f"{SupervisionLevel(level).label}：{case.code} {case.title}")
    return case


def _check_reason(reason_type: str, note: str, *, required: bool) -> None:
    """督办事由 (粤平安): required for 督办 and 通报, optional for 催办; 其他 needs the text."""
    if not reason_type:
        if required:
            raise Invalid("请选择督办事由。", errors={"reason_type": ["请选择督办事由。"]})
        return
    if reason_type not in ReasonType.values:
        raise Invalid("督办事由有误。", errors={"reason_type": ["没有这个督办事由。"]})
    if reason_type == ReasonType.OTHER and not note:
        raise Invalid("督办事由为“其他”时须写明情况。", errors={"note": ["督办事由为“其他”时须写明情况。"]})


def _correct_days(action: str, days: int | None) -> int:
    if days is None:
        return CORRECT_WITHIN_DAYS[action]
    if not isinstance(days, int) or not 1 <= days <= MAX_CORRECT_DAYS:
        message = f"整改期限须为 1 到 {MAX_CORRECT_DAYS} 个工作日。"
        raise Invalid(message, errors={"correct_within_days": [message]})
    return days


def _issue_order(
    case: Case, action: str, *, actor: Membership, reason_type: str, note: str, days: int
) -> SupervisionOrder:
    """The 督办单 of this step, addressed to the lead unit (the first receiver before dispatch),
    numbered from the yearly 督字 counter, stored with its DOCX and PDF."""
    now = timezone.now()
    year = timezone.localtime(now).year
    sequence = counter_next(ORDER_PREFIX, year)
    order = SupervisionOrder.objects.create(
        case=case,
        number=f"督字〔{year}〕第{sequence:04d}号",
        year=year,
        sequence=sequence,
        kind=action,
        reason_type=reason_type,
        text=note,
        unit=case.lead_unit or case.first_unit,
        issued_at=now,
        issued_by=actor.user,
        issued_by_name=actor.user.name or actor.user.username,
        correct_by=deadline_working_days(now, days),
    )
    paper = order_paper(order, issuer=actor.unit.name)
    case_document_issue(case=case, kind=order.document_kind, paper=paper, actor=actor)
    return order


@transaction.atomic
def case_urge(*, case: Case, actor: Membership, version: int, note: str = "", reason_type: str = "") -> Case:
    """催办: the supervisor reminds the responsible unit; the reason is optional."""
    return _supervise(
        case, "urge", SupervisionLevel.URGE, actor=actor, version=version, note=note, reason_type=reason_type or ""
    )


@transaction.atomic
def case_supervise(
    *,
    case: Case,
    actor: Membership,
    version: int,
    reason_type: str = "",
    note: str = "",
    correct_within_days: int | None = None,
) -> Case:
    """督办: the supervisor puts the case under formal supervision with a typed reason and issues
    a 督办单 to the responsible unit with its correction deadline (粤平安 督办单制度)."""
    return _supervise(
        case,
        "supervise",
        SupervisionLevel.SUPERVISE,
        actor=actor,
        version=version,
        note=note,
        reason_type=reason_type or "",
        correct_within_days=correct_within_days,
    )


@transaction.atomic
def case_censure(
    *,
    case: Case,
    actor: Membership,
    version: int,
    reason_type: str = "",
    note: str = "",
    correct_within_days: int | None = None,
) -> Case:
    """通报: the supervisor reports the failure to the leaders, with a typed reason, and issues a
    督办单 (通报) to the responsible unit with its correction deadline."""
    return _supervise(
        case,
        "censure",
        SupervisionLevel.CENSURE,
        actor=actor,
        version=version,
        note=note,
        reason_type=reason_type or "",
        correct_within_days=correct_within_days,
    )


@transaction.atomic
def supervision_order_answer(*, order: SupervisionOrder, actor: Membership, text: str) -> SupervisionOrder:
    """整改情况: the unit a 督办单 is addressed to answers it once (粤平安 督办单 整改反馈), by a
    seat of that unit that handles cases (403 otherwise); a second answer → 409, no text → 422.
    One timeline event on the case."""
    require_permission(actor, "case.reply")
    if actor.unit_id != order.unit_id:
        raise NotAllowed(f"该督办单的责任单位是{order.unit.name}，本单位不能反馈整改情况。", code="not_addressed")
    if order.answered_at is not None:
        raise Conflict("该督办单已反馈整改情况。", code="already_answered")
    text = clean_text(text, "text", "整改情况")
    now = timezone.now()
    answered = SupervisionOrder.objects.filter(pk=order.pk, answered_at=None).update(
        answer=text, answered_at=now, answered_by=actor.user
    )
    if answered != 1:  # another member of the unit answered first
        raise Conflict("该督办单已反馈整改情况。", code="already_answered")
    case_touch(order.case, now=now)
    timeline.record(order.case, "order_answer", actor=actor, note=text, data={"order": order.number}, at=now)
    order.refresh_from_db()
    return order


# ---------------------------------------------------------------------------------------------
# The citizen's rating, attachments, notifications


@transaction.atomic
def case_rate_public(*, token: str, rating: int, note: str = "", code: str = "") -> Case:
    """群众评价 on the public lookup page: once, after the case is closed, and only with what
    proves the citizen (the registered public-rating checks: an SMS code to the applicant's phone,
    issue 19) — the token alone is on every staff reader's screen."""
    case = Case.unscoped.filter(public_token=token).first() if "\x00" not in token else None
    if case is None:
        raise NotFound("未找到该案件。")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise Invalid("评价有误。", errors={"rating": ["评价须为 1 到 5。"]})
    checks = extensions.public_rating_checks()
    if not checks:
        raise Invalid("暂不能在线评价，请等候综治中心回访。", errors={"code": ["暂未开通短信验证。"]})
    if case.state in Case.DONE and case.public_rated_at is None:  # a refused rating keeps the code
        for check in checks:
            check(case, code)
    now = timezone.now()
    moved = Case.unscoped.filter(pk=case.pk, public_rated_at=None, state__in=Case.DONE).update(
        public_rating=rating,
        public_rating_note=(note or "").strip()[:500],
        public_rated_at=now,
        version=F("version") + 1,
        updated_at=now,
    )
    if moved != 1:
        case.refresh_from_db()
        if case.public_rated_at is not None:
            raise Conflict("该案件已评价过，每件只能评价一次。", code="already_rated")
        raise Conflict("案件办结后才能评价。", code="not_closed")
    timeline.record(case, "rate", actor=None, data={"rating": rating}, at=now)
    case.refresh_from_db()
    return case


@transaction.atomic
def case_attach(*, case: Case, actor: Membership, file: File, name: str = "", content_type: str = "") -> Attachment:
    """附件: stored in the default storage with its SHA-256 and size; one timeline event."""
    require_involved(actor, case, "上传附件")
    name = (name or getattr(file, "name", "") or "附件").rsplit("/", 1)[-1][:200]
    digest, size = hashlib.sha256(), 0
    for chunk in file.chunks():
        digest.update(chunk)
        size += len(chunk)
    if size == 0 or size > MAX_ATTACHMENT_BYTES:
        raise Invalid("附件大小有误。", errors={"file": ["附件不能为空，且不超过 20 MB。"]})
    attachment = Attachment(
        case=case,
        name=name,
        sha256=digest.hexdigest(),
        size=size,
        content_type=(content_type or getattr(file, "content_type", "") or "application/octet-stream")[:100],
        uploaded_by=actor.user,
    )
    file.seek(0)
    attachment.file.save(name, file, save=False)
    attachment.save()
    timeline.record(case, "attach", actor=actor, note=name, data={"sha256": attachment.sha256, "size": size})
    return attachment


def _notify(case: Case, unit: Unit, level: int, text: str) -> None:
    """A notice to the responsible unit and to the leaders over it (its own, and the centre's
    leaders whose jurisdiction holds the case)."""
    covering = [case.region_path[: i + 1] for i, ch in enumerate(case.region_path) if ch == "/"]
    leaders = Membership.objects.filter(is_active=True, role=Role.LEADER).filter(
        Q(unit=unit) | Q(jurisdiction__path__in=covering)
    )
    notices = [Notification(unit=unit, case=case, level=level, text=text[:300])]
    notices += [Notification(member=m, case=case, level=level, text=text[:300]) for m in leaders]
    Notification.objects.bulk_create(notices)


@transaction.atomic
def notification_read(*, member: Membership, notification: Notification) -> Notification:
    if notification.member_id != member.pk and notification.unit_id != member.unit_id:
        raise NotFound("未找到该通知。")
    Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=timezone.now())
    notification.refresh_from_db()
    return notification


# ---------------------------------------------------------------------------------------------
# The periodic sweep (tasks.cases_supervision_hourly)


def supervision_sweep(*, now: datetime | None = None) -> int:
    """Raise 催办 → 督办 → 通报 on late work: each assignment past its deadline (or a pending one
    past its sign window), and each case not yet dispatched past its own deadline. One timeline
    event and notifications per raise; a level is never raised twice. Returns the raises."""
    now = now or timezone.now()
    raised = 0
    late = (
        Assignment.objects.filter(
            Q(deadline__lt=now) | Q(state=Assignment.State.PENDING, sign_deadline__lt=now),
            state__in=(Assignment.State.PENDING, Assignment.State.SIGNED),
            case__state__in=Case.ACTIVE,
        )
        .select_related("case", "unit")
        .order_by("pk")
    )
    for assignment in late.iterator(chunk_size=500):
        level = derived_level(assignment.deadline, now)
        unsigned = assignment.state == Assignment.State.PENDING and assignment.sign_deadline
        sign_late = bool(unsigned and assignment.sign_deadline < now)
        if sign_late:
            level = max(level, SupervisionLevel.URGE)
        if level > assignment.supervision_level:
            with transaction.atomic():
                moved = Assignment.objects.filter(
                    pk=assignment.pk, supervision_level=assignment.supervision_level
                ).update(supervision_level=level)
                if moved:
                    # Say what is late: only the sign window, or the handling deadline itself.
                    late_is = "sign" if sign_late and not (assignment.deadline and assignment.deadline < now) else ""
                    due = assignment.sign_deadline if late_is else assignment.deadline
                    _raise(assignment.case, assignment.unit, level, now=now, due=due, late_is=late_is)
                    raised += 1
    waiting = Case.unscoped.filter(
        Q(state=Case.State.REGISTERED, accept_deadline__lt=now)
        | Q(state__in=(Case.State.ACCEPTED, Case.State.DISPUTED), deadline__lt=now)
    ).select_related("first_unit")
    for case in waiting.iterator(chunk_size=500):
        due = case.accept_deadline if case.state == Case.State.REGISTERED else case.deadline
        level = derived_level(due, now)
        if level > case.supervision_level:
            with transaction.atomic():
                if Case.unscoped.filter(pk=case.pk, supervision_level=case.supervision_level).update(
                    supervision_level=level
                ):
                    _raise(case, case.first_unit, level, now=now, due=due)
                    raised += 1
    return raised


def _raise(case: Case, unit: Unit, level: int, *, now: datetime, due: datetime | None, late_is: str = "") -> None:
    # A raise is a step on the case like the supervisor's own 催办: it takes a new version, so a
    # form drawn before it is refused as stale (409) instead of writing over what it changed.
    Case.unscoped.filter(pk=case.pk).update(
        supervision_level=Greatest("supervision_level", Value(level)), version=F("version") + 1
    )
    label = SupervisionLevel(level).label
    when = timezone.localtime(due).strftime("%Y-%m-%d %H:%M") if due else ""
    if late_is == "sign":  # only the sign window has passed; the handling deadline may be days away
        text = f"{label}：{case.code}「{case.title}」未在 {when} 前签收，请{unit.name}尽快签收。"
    else:
        text = f"{label}：{case.code}「{case.title}」已超过期限 {when}，请{unit.name}抓紧办理。"
    timeline.record(
        case,
        LEVEL_NAMES[level],
        actor=None,
        note=text,
        at=now,
        data={"auto": True, "unit": unit.code, "level": level, "deadline": timeline.iso(due)},
    )
    _notify(case, unit, level, text)
