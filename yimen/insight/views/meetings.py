"""Joint meetings (半月联席会议): the list with the half-month report, a meeting with its tracked
actions, and the forms that record them (meeting.manage); and each unit's own items, which its
members answer (meeting.answer)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from yimen.cases.views.common import private
from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.core.schemas import parse_id
from yimen.insight import meeting_access, meeting_agenda, selectors, services
from yimen.insight.forms import ActionForm, ActionStatusForm, AnswerForm, MeetingForm, MinutesForm, ScheduleForm
from yimen.insight.kpis.compute import kpi_region
from yimen.insight.kpis.period import half_month_of, half_month_parse, previous_half_month
from yimen.insight.models import JointMeeting, MeetingAction
from yimen.org.models import Unit

LIST_LIMIT = 50


def _meetings(member):
    return JointMeeting.objects.filter(region__path__startswith=member.jurisdiction.path).select_related(
        "region", "host"
    )


def _unit_choices(member) -> list[tuple[str, str]]:
    units = Unit.objects.filter(is_active=True, region__path__startswith=member.jurisdiction.path).order_by("code")
    return [(u.code, u.name) for u in units]


def _half_months(count: int = 6) -> list[tuple[str, str]]:
    period, found = half_month_of(timezone.localdate()), []
    for _ in range(count):
        half = 1 if period.since.day == 1 else 2
        found.append((f"{period.since:%Y-%m}-{half}", f"{period.since:%Y年%m月}{'上' if half == 1 else '下'}半月"))
        period = previous_half_month(period)
    return found


@member_required("dashboard.view")
def meeting_list(request):
    member = request.member
    form = MeetingForm(initial={"held_on": timezone.localdate()}) if member.has_perm("meeting.manage") else None
    return _list_page(request, form)


def _schedule_initial(request) -> dict:
    """?person=<id> (the person card's link, 重点人员管控) or ?case=<code> starts a 会商 on them;
    the service checks that the member sees them when the form is sent."""
    person, case = request.GET.get("person"), request.GET.get("case", "")
    if person:
        try:
            return {"kind": JointMeeting.Kind.CONSULTATION, "person": parse_id(person, field="person")}
        except DomainError:
            pass  # a mangled link starts an ordinary form
    if case:
        return {"kind": JointMeeting.Kind.CONSULTATION, "case": case[:32]}
    return {"kind": JointMeeting.Kind.REGULAR}


def _list_page(request, form, schedule: ScheduleForm | None = None, status: int = 200):
    member = request.member
    if form is not None and schedule is None:
        schedule = ScheduleForm(units=_unit_choices(member), initial=_schedule_initial(request))
    meetings = _meetings(member).prefetch_related("actions")[:LIST_LIMIT]
    context = {
        "meetings": meetings,
        "form": form,
        "half_months": _half_months(),
        "today": timezone.localdate(),
        "awaiting": list(selectors.awaiting_meeting(member=member)[:LIST_LIMIT]),
        "agenda": list(selectors.next_agenda(member=member)[:LIST_LIMIT]),
        "can_manage": member.has_perm("meeting.manage"),
        "schedule": schedule,
    }
    return TemplateResponse(request, "insight/meetings.html", context, status=status)


@member_required("meeting.manage")
@require_POST
def meeting_agenda_add(request):
    """列入下次联席会议议程 (POST case=<code>): a red case waiting for its slot (待上会)."""
    try:
        item = services.meeting_agenda_add(actor=request.member, case=request.POST.get("case", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已列入下次联席会议议程：{item.case.code}")
    return redirect("insight:meetings")


@member_required("meeting.manage")
@require_POST
def meeting_new(request):
    member = request.member
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.meeting_create(actor=member, region=member.jurisdiction, **form.cleaned_data)
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("insight:meeting", meeting_id=meeting.pk)
    return _list_page(request, form, status=422)


@member_required("meeting.manage")
@require_POST
def meeting_schedule(request):
    """召开会议或会商 from the page, as POST /meetings does."""
    member = request.member
    schedule = ScheduleForm(request.POST, units=_unit_choices(member))
    if schedule.is_valid():
        values = schedule.cleaned_data
        try:
            meeting = services.meeting_schedule(
                actor=member, **values | {"case": values["case"] or "", "place": values["place"] or ""}
            )
        except DomainError as exc:
            add_service_errors(schedule, exc)
        else:
            messages.success(request, f"已安排：{meeting.title}")
            return redirect("insight:meeting", meeting_id=meeting.pk)
    return _list_page(request, MeetingForm(initial={"held_on": timezone.localdate()}), schedule, status=422)


@member_required("dashboard.view")
def meeting_detail(request, meeting_id: int):
    return _detail_page(request, get_object_or_404(_meetings(request.member), pk=meeting_id))


def _detail_page(
    request,
    meeting: JointMeeting,
    action_form: ActionForm | None = None,
    minutes_form: MinutesForm | None = None,
    status: int = 200,
):
    member = request.member
    can_manage = member.has_perm("meeting.manage")
    if can_manage and action_form is None:
        action_form = ActionForm(units=_unit_choices(member))
    begun = meeting.held_at is None or meeting.held_at <= timezone.now()
    if can_manage and begun and minutes_form is None:
        minutes_form = MinutesForm(
            initial={"version": meeting.version, "attendees": meeting.attendees, "decisions": meeting.decisions}
        )
    drawing = can_manage and not meeting.decisions  # a minuted meeting's agenda is closed
    actions = meeting.actions.select_related("owner", "case").order_by("due_on", "id")
    rows = [
        (a, ActionStatusForm(initial={"version": a.version, "status": a.status, "progress": a.progress}))
        for a in actions
    ]
    context = {
        "meeting": meeting,
        "agenda": meeting_agenda.agenda_items(member, meeting),
        "proposed": meeting_agenda.agenda_proposals(member, meeting) if drawing else None,
        "rows": rows,
        "action_form": action_form,
        "minutes_form": minutes_form if can_manage and begun else None,
        "can_manage": can_manage,
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "insight/meeting.html", context, status=status)


@member_required("meeting.manage")
@require_POST
def meeting_action_new(request, meeting_id: int):
    member = request.member
    meeting = get_object_or_404(_meetings(member), pk=meeting_id)
    form = ActionForm(request.POST, units=_unit_choices(member))
    if form.is_valid():
        try:
            services.meeting_action_add(actor=member, meeting=meeting, **form.cleaned_data)
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("insight:meeting", meeting_id=meeting.pk)
    return _detail_page(request, meeting, action_form=form, status=422)


@member_required("meeting.manage")
@require_POST
def meeting_slot_add(request, meeting_id: int):
    """列入本次会议议程 (POST case=<code>): one of the meeting's proposals (red or summoned)."""
    meeting = get_object_or_404(_meetings(request.member), pk=meeting_id)
    try:
        item = services.meeting_agenda_add(actor=request.member, case=request.POST.get("case", ""), meeting=meeting)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已列入本次会议议程：{item.case.code}")
    return redirect("insight:meeting", meeting_id=meeting.pk)


@member_required("meeting.manage")
@require_POST
def meeting_minutes(request, meeting_id: int):
    """会议纪要: attendees and decisions of a meeting that has begun, under its version."""
    member = request.member
    meeting = get_object_or_404(_meetings(member), pk=meeting_id)
    form, status = MinutesForm(request.POST), 422
    if form.is_valid():
        try:
            services.meeting_minutes_record(actor=member, meeting=meeting, **form.cleaned_data)
        except DomainError as exc:
            add_service_errors(form, exc)
            status = exc.status  # stale: 409, what was typed stays in the form
        else:
            messages.success(request, "会议纪要已保存。")
            return redirect("insight:meeting", meeting_id=meeting.pk)
    return _detail_page(request, meeting, minutes_form=form, status=status)


@member_required("meeting.manage")
@require_POST
def meeting_action_status(request, action_id: int):
    member = request.member
    action = get_object_or_404(
        MeetingAction.objects.filter(meeting__region__path__startswith=member.jurisdiction.path), pk=action_id
    )
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_action_update(actor=member, action=action, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "请检查填写的状态和落实情况。")
    return redirect("insight:meeting", meeting_id=action.meeting_id)


@member_required("dashboard.view")
def report(request):
    """半月联席会议报告 as PDF or DOCX: ?period=2026-11-1&region=&format=pdf."""
    member = request.member
    try:
        period = half_month_parse(request.GET.get("period", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("insight:meetings")
    region = kpi_region(member=member, code=request.GET.get("region"))
    fmt = "docx" if request.GET.get("format") == "docx" else "pdf"
    made = services.half_month_report(actor=member, region=region, period=period, fmt=fmt)
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = content_disposition_header(fmt == "docx", made.filename)
    return private(response)


@member_required("meeting.answer")
def unit_items(request):
    """本单位督办事项: what the joint meetings gave the member's unit, answered here (the police
    and every other unit, who cannot open the meetings page itself)."""
    return _unit_items_page(request)


def _unit_items_page(request, failed: tuple[int, AnswerForm] | None = None, status: int = 200):
    items = list(meeting_access.unit_items(request.member)[:LIST_LIMIT])
    rows = [(item, failed[1] if failed and failed[0] == item.pk else _answer_form(item.pk)) for item in items]
    return TemplateResponse(
        request, "insight/unit_items.html", {"rows": rows, "today": timezone.localdate()}, status=status
    )


def _answer_form(item_id: int, data=None) -> AnswerForm:
    return AnswerForm(data, auto_id=f"item{item_id}-%s")  # one form per item on the page: unique ids


@member_required("meeting.answer")
@require_POST
def unit_item_answer(request, action_id: int):
    member = request.member
    item = get_object_or_404(meeting_access.unit_items(member), pk=action_id)
    form = _answer_form(item.pk, request.POST)
    if form.is_valid():
        try:
            services.meeting_action_answer(actor=member, action=item, text=form.cleaned_data["text"])
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已答复：{item.task}")
            return redirect("insight:unit_items")
    return _unit_items_page(request, failed=(item.pk, form), status=422)


def consultation_panel(request, person) -> str:
    """On a person's card, for those who convene (meeting.manage): 就此人召开会商 (重点人员管控),
    the meetings page's form started on the person. A person read through a 会商 shows none."""
    member = getattr(request, "member", None)
    if member is None or not member.has_perm("meeting.manage") or getattr(person, "reached", False):
        return ""
    return render_to_string("insight/_person_consultation.html", {"person": person}, request=request)
