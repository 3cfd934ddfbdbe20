"""催办 / 督办 / 通报 (DESIGN §6): by the supervisor's hand, and raised on late work by the periodic
sweep, a level never twice; each raise is one timeline event and notices to the responsible unit
and its leaders. Also the citizen's rating on the public page (once, after closing) and
attachments (stored with their SHA-256 and size)."""

import hashlib
from datetime import datetime

from django.core.files import File
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from yimen.cases import timeline
from yimen.cases.deadlines import derived_level
from yimen.cases.models import (
    LEVEL_NAMES,
    Assignment,
    Attachment,
    Case,
    Notification,
    SupervisionLevel,
)
from yimen.cases.rules import authorize, require_involved
from yimen.cases.services._base import _apply, _check
from yimen.core.errors import Conflict, Invalid, NotFound
from yimen.org.models import Membership, Unit
from yimen.org.roles import Role

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


# ---------------------------------------------------------------------------------------------
# 催办 / 督办 / 通报


def _supervise(case: Case, action: str, level: int, *, actor: Membership, version: int, note: str) -> Case:
    authorize(actor, case, action)
    state = _check(case, action, version, Case.TRANSITIONS[action][0])
    case = _apply(
        case,
        action,
        actor=actor,
        version=version,
        from_state=state,
        to_state=None,
        note=(note or "").strip(),
        updates={"supervision_level": max(case.supervision_level, level)},
        data={"level": level},
    )
    unit = case.lead_unit or case.first_unit
    _notify(case, unit, level, f"{SupervisionLevel(level).label}：{case.code} {case.title}")
    return case


@transaction.atomic
def case_urge(*, case: Case, actor: Membership, version: int, note: str = "") -> Case:
    """催办: the supervisor reminds the responsible unit."""
    return _supervise(case, "urge", SupervisionLevel.URGE, actor=actor, version=version, note=note)


@transaction.atomic
def case_supervise(*, case: Case, actor: Membership, version: int, note: str = "") -> Case:
    """督办: the supervisor puts the case under formal supervision."""
    return _supervise(case, "supervise", SupervisionLevel.SUPERVISE, actor=actor, version=version, note=note)


@transaction.atomic
def case_censure(*, case: Case, actor: Membership, version: int, note: str = "") -> Case:
    """通报: the supervisor reports the failure to the leaders."""
    return _supervise(case, "censure", SupervisionLevel.CENSURE, actor=actor, version=version, note=note)


# ---------------------------------------------------------------------------------------------
# The citizen's rating, attachments, notifications


@transaction.atomic
def case_rate_public(*, token: str, rating: int, note: str = "") -> Case:
    """群众评价 on the public lookup page: once, after the case is closed."""
    case = Case.unscoped.filter(public_token=token).first() if "\x00" not in token else None
    if case is None:
        raise NotFound("未找到该案件。")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise Invalid("评价有误。", errors={"rating": ["评价须为 1 到 5。"]})
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
        if assignment.state == Assignment.State.PENDING and assignment.sign_deadline and assignment.sign_deadline < now:
            level = max(level, SupervisionLevel.URGE)
        if level > assignment.supervision_level:
            with transaction.atomic():
                moved = Assignment.objects.filter(
                    pk=assignment.pk, supervision_level=assignment.supervision_level
                ).update(supervision_level=level)
                if moved:
                    _raise(assignment.case, assignment.unit, level, now=now, due=assignment.deadline)
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


def _raise(case: Case, unit: Unit, level: int, *, now: datetime, due: datetime | None) -> None:
    # A raise is a step on the case like the supervisor's own 催办: it takes a new version, so a
    # form drawn before it is refused as stale (409) instead of writing over what it changed.
    Case.unscoped.filter(pk=case.pk).update(
        supervision_level=Greatest("supervision_level", Value(level)), version=F("version") + 1
    )
    label = SupervisionLevel(level).label
    when = timezone.localtime(due).strftime("%Y-%m-%d %H:%M") if due else ""
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
