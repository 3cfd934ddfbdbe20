"""Incidents: declare, task units, situation reports, stand down (突发事件应对法)."""

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string

from yimen.cases import selectors as case_selectors
from yimen.cases import timeline
from yimen.core import audit
from yimen.core.errors import Conflict, Invalid, NotAllowed
from yimen.core.images import checked_photos
from yimen.core.permissions import require_permission
from yimen.emergency import selectors
from yimen.emergency.models import Incident, IncidentReport, IncidentTask, IncidentUnit, TaskProgress
from yimen.geo.models import Region
from yimen.org.models import Membership, Unit


def audit_incident(actor: Membership, action: str, incident: Incident, **detail) -> None:
    audit.record(
        action=action,
        actor=actor.user,
        unit_code=actor.unit.code,
        unit_name=actor.unit.name,
        target=incident.code,
        detail=detail,
    )


def notify(phones: list[str], message: str) -> int:
    """Send through the pluggable YIMEN_NOTIFIER (named by setting, so this app does not depend on
    fieldwork, which owns the default backend). Returns how many were sent."""
    sender = import_string(settings.YIMEN_NOTIFIER)()
    for phone in phones:
        sender.send(phone, message)
    return len(phones)


def _unit_phones(units: list[Unit], but: set[str] = frozenset()) -> list[str]:
    """The service phones of the units' active members, each once, leaving out those in `but`."""
    phones = Membership.objects.filter(unit__in=units, is_active=True).values_list("service_phone", flat=True)
    return sorted({phone for phone in phones if phone and phone not in but})


def _next_code(now: datetime) -> str:
    prefix = f"YJ{timezone.localtime(now):%Y%m%d}"
    count = Incident.objects.filter(code__startswith=prefix).count()
    return f"{prefix}{count + 1:03d}"


@transaction.atomic
def incident_declare(
    *,
    actor: Membership,
    title: str,
    kind: str,
    level: int,
    region: str,
    location: dict | None = None,
    case: str | None = None,
    units: list[str] | None = None,
) -> Incident:
    """Declare an incident (突发事件应对法 art. 7: the township government responds first; the
    level I–IV follows the national overall plan). The declarer's unit and any named units join
    it, and their on-duty members are notified at once. The duty roster's shift on duty now for the
    place (the nearest roster up the region tree) gives the commander and the on-duty team: their
    units join too, and the commander is told to take command."""
    require_permission(actor, "incident.declare")
    errors: dict[str, list[str]] = {}
    if kind not in Incident.Kind.values:
        errors["kind"] = [f"取值不在允许范围内，可选：{'、'.join(Incident.Kind.values)}。"]
    if not 1 <= level <= 4:
        errors["level"] = ["级别须为 1–4。"]
    place = Region.objects.visible_to(actor).filter(code=region, path__startswith=actor.jurisdiction.path).first()
    if place is None:
        errors["region"] = ["区划不存在或不在您的管辖范围内。"]
    joined = list(Unit.objects.filter(code__in=units or []))
    if len(joined) != len(set(units or [])):
        errors["units"] = ["有单位代码不存在。"]
    if errors:
        raise Invalid("提交的内容有误，请检查标出的字段。", errors=errors)
    try:
        linked = case_selectors.case_get_visible(member=actor, code=case) if case else None
    except Http404:
        raise Invalid("案件不存在或不在您的范围内。", errors={"case": ["案件不存在或不在您的范围内。"]}) from None
    now = timezone.now()
    incident = Incident.objects.create(
        code=_next_code(now),
        title=title,
        kind=kind,
        level=level,
        region=place,
        lat=(location or {}).get("lat"),
        lng=(location or {}).get("lng"),
        case=linked,
        declared_by=actor,
        declared_at=now,
    )
    duty = selectors.on_duty(place, now)
    team = list(duty.members.select_related("unit")) if duty else []
    all_units = {actor.unit, *joined, *(m.unit for m in team)}
    if duty:
        incident.commander = duty.commander
        incident.save(update_fields=["commander"])
        incident.on_duty.set(team)
        all_units.add(duty.commander.unit)
    IncidentUnit.objects.bulk_create([IncidentUnit(incident=incident, unit=u) for u in all_units])
    alert = f"【应急】{incident.code} {title}（{level}级）已启动，请立即响应。"
    commander_phone = {duty.commander.service_phone} - {""} if duty else set()
    sent = notify(sorted(commander_phone), f"{alert}您是本班值班领导，请立即到岗指挥。")
    team_phones = {m.service_phone for m in team if m.service_phone} - commander_phone
    sent += notify(sorted(team_phones), alert)
    sent += notify(_unit_phones(list(all_units), but=commander_phone | team_phones), alert)
    if linked is not None:
        # The case side shows the link on its own timeline (cases never import this app).
        timeline.record(linked, "incident_from_case", actor=actor, note=f"据此启动应急事件 {incident.code}：{title}")
    audit_incident(actor, "incident_declare", incident, level=level, notified=sent, duty=duty.pk if duty else None)
    return incident


def ensure_active(incident: Incident) -> None:
    if incident.state != Incident.State.ACTIVE:
        raise Conflict("事件已终止，不能再操作。", code="wrong_state")


@transaction.atomic
def incident_task_create(
    *, actor: Membership, incident: Incident, unit: str, title: str, due_at: datetime
) -> IncidentTask:
    """Task a unit of the incident with a due time (the command post's 任务分工); a unit that is
    not in the incident → 422."""
    require_permission(actor, "incident.declare")
    ensure_active(incident)
    target = incident.units.filter(unit__code=unit).select_related("unit").first()
    if target is None:
        raise Invalid("该单位未参与本事件。", errors={"unit": ["该单位未参与本事件。"]})
    task = IncidentTask.objects.create(
        incident=incident, unit=target.unit, title=title, due_at=due_at, created_at=timezone.now()
    )
    notify(_unit_phones([target.unit]), f"【应急任务】{incident.code} {title}")
    audit_incident(actor, "incident_task", incident, task=task.pk, unit=unit)
    return task


def _move(actor: Membership, task: IncidentTask, action: str, **changes) -> IncidentTask:
    """Only the tasked unit moves its task (another unit → 403); the conditional UPDATE catches a
    task that another request moved first (409), on SQLite and PostgreSQL alike."""
    require_permission(actor, "incident.task")
    if task.unit_id != actor.unit_id:
        raise NotAllowed("只有承担该任务的单位可以操作。", code="forbidden")
    ensure_active(task.incident)
    sources, target = IncidentTask.TRANSITIONS[action]
    moved = IncidentTask.objects.filter(pk=task.pk, state__in=sources).update(state=target, **changes)
    if moved != 1:
        task.refresh_from_db(fields=["state"])
        raise Conflict(f"任务当前为“{task.get_state_display()}”，不能再{ACTION_WORDS[action]}。", code="wrong_state")
    task.refresh_from_db()
    return task


ACTION_WORDS = {"accept": "接收", "done": "报告完成"}


@transaction.atomic
def incident_task_accept(*, actor: Membership, task: IncidentTask) -> IncidentTask:
    """The tasked unit accepts (接收) its task, so the command post knows it is in hand."""
    task = _move(actor, task, "accept", accepted_at=timezone.now())
    audit_incident(actor, "incident_task_accept", task.incident, task=task.pk)
    return task


@transaction.atomic
def incident_task_done(*, actor: Membership, task: IncidentTask, note: str) -> IncidentTask:
    """Only the tasked unit reports its task done (another unit → 403)."""
    task = _move(actor, task, "done", note=note, done_at=timezone.now())
    audit_incident(actor, "incident_task_done", task.incident, task=task.pk)
    return task


@transaction.atomic
def incident_task_progress(
    *,
    actor: Membership,
    task: IncidentTask,
    note: str,
    photo: bytes | None = None,
    location: dict | None = None,
) -> TaskProgress:
    """A progress report from the field on a task (the note, a photo, the GPS fix), by the tasked
    unit while the task is unfinished; it shows on the incident's timeline."""
    require_permission(actor, "incident.task")
    if task.unit_id != actor.unit_id:
        raise NotAllowed("只有承担该任务的单位可以报告进展。", code="forbidden")
    ensure_active(task.incident)
    if task.state not in IncidentTask.UNFINISHED:
        raise Conflict("任务已完成。", code="wrong_state")
    errors: dict[str, list[str]] = {}
    if not (note or "").strip():
        errors["note"] = ["此项为必填项。"]
    checked_photos([photo] if photo is not None else [], errors, field="photo")
    if errors:
        raise Invalid("提交的内容有误，请检查标出的字段。", errors=errors)
    row = TaskProgress(
        task=task,
        note=note,
        lat=(location or {}).get("lat"),
        lng=(location or {}).get("lng"),
        at=timezone.now(),
        by=actor,
    )
    if photo is not None:
        row.sha256 = hashlib.sha256(photo).hexdigest()
        row.photo.save("photo.jpg", ContentFile(photo), save=False)
    row.save()
    audit_incident(actor, "incident_task_progress", task.incident, task=task.pk, photo=photo is not None)
    return row


@transaction.atomic
def incident_report(*, actor: Membership, incident: Incident, text: str) -> IncidentReport:
    """A situation report (续报) on the timeline (突发事件应对法 art. 63: report as it develops)."""
    require_permission(actor, "incident.task")
    ensure_active(incident)
    if not text.strip():
        raise Invalid("续报内容不能为空。", errors={"text": ["此项为必填项。"]})
    row = IncidentReport.objects.create(incident=incident, text=text, at=timezone.now(), by=actor)
    audit_incident(actor, "incident_report", incident, report=row.pk)
    return row


@transaction.atomic
def incident_stand_down(*, actor: Membership, incident: Incident, summary: str) -> Incident:
    """Stand down with a summary (突发事件应对法 art. 86: the response ends and the government
    assesses it); every resource still with the incident is released; the after-action report is
    generated from the records."""
    require_permission(actor, "incident.declare")
    ensure_active(incident)
    if not summary.strip():
        raise Invalid("请填写总结。", errors={"summary": ["此项为必填项。"]})
    incident.state, incident.summary, incident.closed_at = Incident.State.CLOSED, summary, timezone.now()
    incident.allocations.filter(released_at__isnull=True).update(released_at=incident.closed_at)
    incident.version += 1
    incident.save(update_fields=["state", "summary", "closed_at", "version"])
    audit_incident(actor, "incident_stand_down", incident)
    return incident
