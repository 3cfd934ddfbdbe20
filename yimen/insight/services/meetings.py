"""半月联席会议: recording a joint meeting with its decisions and the actions it gives units, and
tracking each action to done. The centre's dispatcher and the leaders hold meeting.manage; a
meeting belongs to a region of their jurisdiction (the town whose centre convenes it)."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from yimen.cases import services as cases_services
from yimen.cases import tiers, timeline
from yimen.cases.models import Case
from yimen.core.errors import Conflict, Invalid, NotAllowed, NotFound
from yimen.core.permissions import require_permission
from yimen.core.text import clean_text
from yimen.geo.models import Region
from yimen.insight.models import AgendaItem, JointMeeting, MeetingAction
from yimen.org.models import Membership, Unit
from yimen.org.services import audit_as

TEXT_MAX = 5000


def _within(actor: Membership, region: Region) -> None:
    if not region.is_within(actor.jurisdiction):
        raise NotAllowed("该区域不在您的管辖范围内。", code="outside_jurisdiction")


@transaction.atomic
def meeting_create(
    *,
    actor: Membership,
    region: Region,
    held_on: date,
    title: str,
    attendees: str,
    decisions: str,
    place: str = "",
) -> JointMeeting:
    """登记联席会议: the meeting of the centre and the 1+6+N units on red and overdue cases
    (DESIGN §6: red risk goes to the joint meeting, one plan per case). Attendees and decisions
    are required — a meeting without either decided nothing to track. The cases put on the next
    meeting's agenda in its region go onto this one."""
    require_permission(actor, "meeting.manage")
    _within(actor, region)
    if held_on > timezone.localdate():
        raise Invalid("会议日期不能晚于今天。", errors={"held_on": ["只能登记已召开的会议。"]})
    meeting = JointMeeting.objects.create(
        region=region,
        held_on=held_on,
        title=clean_text(title, "title", "会议名称", limit=100),
        place=clean_text(place, "place", "地点", limit=100, required=False),
        host=actor.unit,
        attendees=clean_text(attendees, "attendees", "参会人员", limit=TEXT_MAX),
        decisions=clean_text(decisions, "decisions", "议定事项", limit=TEXT_MAX),
        created_by=actor.user,
    )
    # The cases put on "the next meeting" in this region were on this one's agenda.
    AgendaItem.objects.filter(meeting=None, case__region_path__startswith=region.path).update(meeting=meeting)
    audit_as(actor, action="meeting_create", target=f"meeting:{meeting.pk}", detail={"held_on": str(held_on)})
    return meeting


@transaction.atomic
def meeting_action_add(
    *, actor: Membership, meeting: JointMeeting, task: str, owner: str, due_on: date, case: str = ""
) -> MeetingAction:
    """会议督办事项: one task for one unit with a due date, optionally on a case the actor sees."""
    require_permission(actor, "meeting.manage")
    _within(actor, meeting.region)
    errors = {}
    unit = Unit.objects.filter(code=owner, is_active=True).first()
    if unit is None:
        errors["owner"] = ["请选择责任单位。"]
    if due_on < meeting.held_on:
        errors["due_on"] = ["完成时限不能早于会议日期。"]
    linked = None
    if case:
        linked = Case.objects.visible_to(actor).filter(code=case.strip()).first()
        if linked is None:
            errors["case"] = ["未找到该案件，或不在您的可见范围内。"]
    if errors:
        raise Invalid("督办事项有误，请检查标出的字段。", errors=errors)
    action = MeetingAction.objects.create(
        meeting=meeting, task=clean_text(task, "task", "任务", limit=300), owner=unit, due_on=due_on, case=linked
    )
    audit_as(actor, action="meeting_action_add", target=f"meeting:{meeting.pk}", detail={"action": action.pk})
    return action


@transaction.atomic
def meeting_action_update(
    *, actor: Membership, action: MeetingAction, version: int, status: str, progress: str = ""
) -> MeetingAction:
    """督促落实: record progress and mark an action done (dated today) or dropped; a stale form
    (someone else updated it first) → 409."""
    require_permission(actor, "meeting.manage")
    _within(actor, action.meeting.region)
    if status not in MeetingAction.Status.values:
        raise Invalid("状态有误。", errors={"status": ["请选择落实中、已落实或已撤销。"]})
    progress = clean_text(progress, "progress", "落实情况", limit=2000, required=status != MeetingAction.Status.OPEN)
    done_on = timezone.localdate() if status == MeetingAction.Status.DONE else None
    moved = MeetingAction.objects.filter(pk=action.pk, version=version).update(
        status=status, progress=progress, done_on=done_on, version=F("version") + 1
    )
    if moved != 1:
        raise Conflict("该事项已被他人更新，请刷新后重试。", code="stale")
    audit_as(
        actor,
        action="meeting_action_update",
        target=f"meeting:{action.meeting_id}",
        detail={"action": action.pk, "status": status},
    )
    action.refresh_from_db()
    return action


@transaction.atomic
def meeting_agenda_add(*, actor: Membership, case: str, note: str = "") -> AgendaItem:
    """列入联席会议议程 (洞井: a red case goes to the next joint meeting): the dispatcher or a
    leader puts an open case whose risk tier asks for a meeting slot on the next meeting's
    agenda — once (409 after), never a case they cannot see (404). One timeline event."""
    require_permission(actor, "meeting.manage")
    found = Case.objects.visible_to(actor).filter(code=(case or "").strip()).first()
    if found is None:
        raise NotFound("未找到该案件，或不在您的可见范围内。")
    tier = tiers.tier_for(found.risk)
    if found.state not in Case.ACTIVE or tier is None or not tier.meeting_slot_required:
        raise Conflict("该案件无须上联席会议（仅办理中的红色风险案件）。", code="no_slot_needed")
    note = clean_text(note, "note", "上会事由", limit=300, required=False)
    try:
        with transaction.atomic():
            item = AgendaItem.objects.create(case=found, note=note, added_by=actor.user)
    except IntegrityError:
        raise Conflict("该案件已列入联席会议议程。", code="already_on_agenda") from None
    cases_services.case_touch(found)
    timeline.record(found, "meeting_slot", actor=actor, note=note or "列入下次联席会议议程")
    return item
