"""半月联席会议: recording a joint meeting with its decisions and the actions it gives units, and
tracking each action to done. The centre's dispatcher and the leaders hold meeting.manage; a
meeting belongs to a region of their jurisdiction (the town whose centre convenes it)."""

from datetime import date, datetime, timedelta

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
from yimen.people.models import Person

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
def meeting_agenda_add(
    *, actor: Membership, case: str, note: str = "", meeting: JointMeeting | None = None
) -> AgendaItem:
    """列入联席会议议程 (洞井: a red case goes to the next joint meeting; 吹哨报到: the units a case
    summoned answer for it at the meeting): the dispatcher or a leader puts an open case whose
    risk tier asks for a meeting slot, or whose units were summoned, on the agenda of a meeting
    of their jurisdiction not yet minuted — or, without a meeting, on the next one recorded in
    its region. Once (409 after), never a case they cannot see (404). One timeline event."""
    require_permission(actor, "meeting.manage")
    found = Case.objects.visible_to(actor).filter(code=(case or "").strip()).first()
    if found is None:
        raise NotFound("未找到该案件，或不在您的可见范围内。")
    if meeting is not None:
        _within(actor, meeting.region)
        if meeting.decisions:
            raise Conflict("该会议已登记纪要，议程不能再改。", code="minuted")
    tier = tiers.tier_for(found.risk)
    slot = tier is not None and tier.meeting_slot_required
    if found.state not in Case.ACTIVE or not (slot or found.whistles.exists()):
        raise Conflict("该案件无须上联席会议（仅办理中的红色风险或吹哨案件）。", code="no_slot_needed")
    note = clean_text(note, "note", "上会事由", limit=300, required=False)
    try:
        with transaction.atomic():
            item = AgendaItem.objects.create(case=found, meeting=meeting, note=note, added_by=actor.user)
    except IntegrityError:
        raise Conflict("该案件已列入联席会议议程。", code="already_on_agenda") from None
    cases_services.case_touch(found)
    where = f"列入联席会议议程（{meeting.title}）" if meeting else "列入下次联席会议议程"
    timeline.record(found, "meeting_slot", actor=actor, note=note or where)
    return item


@transaction.atomic
def meeting_minutes_record(
    *, actor: Membership, meeting: JointMeeting, version: int, attendees: str, decisions: str
) -> JointMeeting:
    """会议纪要: who attended and what was decided, recorded by the dispatcher or a leader of the
    meeting's region once it has begun (才湾镇: 联席会议 ... 议定事项 tracked to done). Both are
    required — a meeting without them decided nothing to track; corrected later under the
    meeting's version (a stale form → 409, nothing overwritten). Audited."""
    require_permission(actor, "meeting.manage")
    _within(actor, meeting.region)
    if meeting.held_at and meeting.held_at > timezone.now():
        raise Conflict("会议尚未召开，不能登记纪要。", code="not_held")
    attendees = clean_text(attendees, "attendees", "参会人员", limit=TEXT_MAX)
    decisions = clean_text(decisions, "decisions", "议定事项", limit=TEXT_MAX)
    moved = JointMeeting.objects.filter(pk=meeting.pk, version=version).update(
        attendees=attendees, decisions=decisions, version=F("version") + 1
    )
    if moved != 1:
        raise Conflict("会议纪要已被他人修改，请刷新后重试。", code="stale")
    audit_as(actor, action="meeting_minutes", target=f"meeting:{meeting.pk}", detail={"version": version + 1})
    meeting.refresh_from_db()
    return meeting


# A 会商 opens the case file for the session (才湾镇: 案卷调阅共享共通, within the law): by default
# half a working day, and never longer than three days — 个人信息保护法 art. 6, no wider or longer
# than the purpose needs.
CONSULTATION_DEFAULT = timedelta(hours=4)
CONSULTATION_LONGEST = timedelta(days=3)


def _invited(codes: list[str], errors: dict) -> list[Unit]:
    codes = list(dict.fromkeys(code.strip() for code in codes or [] if code and code.strip()))
    found = list(Unit.objects.filter(code__in=codes, is_active=True))
    if not codes:
        errors["units"] = ["请至少邀请一个单位。"]
    elif len(found) != len(codes):
        missing = sorted(set(codes) - {unit.code for unit in found})
        errors["units"] = [f"未找到单位：{'、'.join(missing)}。"]
    return found


def _consulted(actor: Membership, kind: str, person: int | None, errors: dict) -> Person | None:
    """The person a 会商 is on: one the actor sees by the registry's own scope (never through
    another 会商's reach); only a 会商 names one."""
    if person is None:
        return None
    if kind != JointMeeting.Kind.CONSULTATION:
        errors["person"] = ["只有会商才指明人员。"]
        return None
    found = Person.objects.visible_to(actor).filter(pk=person).first()
    if found is None:
        errors["person"] = ["未找到该人员，或不在您的辖区内。"]
    return found


def _window(kind: str, held_at: datetime, ends_at: datetime | None, errors: dict) -> datetime | None:
    if kind != JointMeeting.Kind.CONSULTATION:
        if ends_at is not None:
            errors["ends_at"] = ["只有会商才设结束时间（调阅案卷的期限）。"]
        return None
    ends = ends_at or held_at + CONSULTATION_DEFAULT
    if ends <= held_at:
        errors["ends_at"] = ["结束时间须晚于召开时间。"]
    elif ends - held_at > CONSULTATION_LONGEST:
        errors["ends_at"] = ["会商调阅案卷的期限最长 3 天。"]
    return ends


@transaction.atomic
def meeting_schedule(
    *,
    actor: Membership,
    held_at: datetime,
    kind: str,
    topic: str,
    units: list[str],
    case: str = "",
    person: int | None = None,
    ends_at: datetime | None = None,
    place: str = "",
) -> JointMeeting:
    """召开联席会议 or 会商 (API.md "Joint meetings and 会商"; 才湾镇's seed: half-monthly joint
    meetings, meetings called at once in a sensitive period, and 会商 on "信访案件办理、重大项目推进、
    重点人员管控、矛盾纠纷化解、打击违法犯罪"). The dispatcher or a leader names the invited units; a
    会商 names exactly one case or one person (重点人员管控), which the actor must see, and opens
    the case file or the person's card to the invited units from `held_at` until `ends_at`
    (default 4 hours, at most 3 days), every read logged with the session as its purpose
    (insight.meeting_access). Audited; a 会商 on a case is also one timeline event on it (a
    person has no timeline: the audit entry names them)."""
    require_permission(actor, "meeting.manage")
    errors: dict[str, list[str]] = {}
    if kind not in JointMeeting.Kind.values:
        errors["kind"] = ["会议类型须为 regular（例会）、special（专题会议）或 consultation（会商）。"]
    invited = _invited(units, errors)
    case = (case or "").strip()
    linked = None
    if case:
        linked = Case.objects.visible_to(actor).filter(code=case).first()
        if linked is None:
            errors["case"] = ["未找到该案件，或不在您的可见范围内。"]
    consulted = _consulted(actor, kind, person, errors)
    if kind == JointMeeting.Kind.CONSULTATION and bool(case) == (person is not None):
        both = "会商只议一案或一人：请只指明案件或人员之一。"
        neither = "会商须指明所议案件或人员。"
        message = both if case else neither
        errors["case"], errors["person"] = [message], [message]
    ends = _window(kind, held_at, ends_at, errors)
    title = clean_text(topic, "topic", "议题", limit=100)
    place = clean_text(place, "place", "地点", limit=100, required=False)
    if errors:
        raise Invalid("会议信息有误，请检查标出的字段。", errors=errors)
    meeting = JointMeeting.objects.create(
        region=actor.jurisdiction,
        held_on=timezone.localtime(held_at).date(),
        held_at=held_at,
        ends_at=ends,
        kind=kind,
        title=title,
        place=place,
        host=actor.unit,
        attendees="",
        decisions="",
        case=linked,
        person=consulted,
        created_by=actor.user,
    )
    meeting.units.set(invited)
    detail = {"kind": kind, "units": [unit.code for unit in invited], "case": linked.code if linked else ""}
    if consulted is not None:
        detail["person"] = consulted.pk
    audit_as(actor, action="meeting_schedule", target=f"meeting:{meeting.pk}", detail=detail)
    if linked is not None and kind == JointMeeting.Kind.CONSULTATION:
        cases_services.case_touch(linked)
        span = f"{timezone.localtime(held_at):%m-%d %H:%M}至{timezone.localtime(ends):%m-%d %H:%M}"
        names = "、".join(unit.name for unit in invited)
        timeline.record(linked, "meeting_consultation", actor=actor, note=f"会商：{title}（{span}，{names}调阅案卷）")
    return meeting


@transaction.atomic
def meeting_action_answer(*, actor: Membership, action: MeetingAction, text: str) -> MeetingAction:
    """责任单位答复督办事项: the unit a meeting gave the task reports on it — only a member of that
    unit (another unit → 403: the police's task is the police's to answer), while it is open
    (done or dropped → 409). The answer is the item's 落实情况, signed and dated; the meeting's
    manager then marks it done (meeting_action_update)."""
    require_permission(actor, "meeting.answer")
    if action.owner_id != actor.unit_id:
        raise NotAllowed("只有责任单位可以答复该督办事项。", code="not_owner")
    if action.status != MeetingAction.Status.OPEN:
        raise Conflict("该事项已落实或已撤销，不能再答复。", code="not_open")
    text = clean_text(text, "text", "答复内容", limit=2000)
    MeetingAction.objects.filter(pk=action.pk).update(
        progress=text, answered_at=timezone.now(), answered_by=actor.user, version=F("version") + 1
    )
    audit_as(actor, action="meeting_action_answer", target=f"meeting:{action.meeting_id}", detail={"action": action.pk})
    action.refresh_from_db()
    return action
