"""The phone's 应急任务 page (/m/tasks/, in the grid app's phone layout): the member's unit's
open incident tasks, to accept, report on with a photo and the GPS fix, and report done. The
steps are the incident page's (same services); only the page they return to differs."""

from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yimen.cases.views.common import private
from yimen.core.permissions import member_required
from yimen.emergency import selectors
from yimen.emergency.views import incidents

LIMIT = 30


@member_required("incident.task")
def tasks(request):
    """The unit's open tasks, most urgent first. A progress report goes through the phone's
    outbox (kept on the phone offline, sent with an Idempotency-Key, photo compressed, GPS fix)
    to the API; accept and done are online steps that come back here."""
    now = timezone.now()
    rows = [{"task": t, "overdue": t.due_at < now} for t in selectors.unit_tasks(request.member)[:LIMIT]]
    return private(TemplateResponse(request, "emergency/m/tasks.html", {"rows": rows}))


@member_required("incident.task")
@require_POST
def task_accept(request, incident_id: int, task_id: int):
    incidents.accept(request, incident_id, task_id)
    return redirect("emergency:m_tasks")


@member_required("incident.task")
@require_POST
def task_done(request, incident_id: int, task_id: int):
    incidents.report_done(request, incident_id, task_id)
    return redirect("emergency:m_tasks")


def phone_card(request) -> str:
    """应急任务 on the phone app's home (/m/): shown while the member's unit has open tasks, the
    overdue counted, so a worker in the field sees them before the day's visits."""
    member = getattr(request, "member", None)
    if member is None or not member.has_perm("incident.task"):
        return ""
    due = list(selectors.unit_tasks(member).values_list("due_at", flat=True)[:LIMIT])
    if not due:
        return ""
    now = timezone.now()
    overdue = sum(1 for at in due if at < now)
    return render_to_string("emergency/m/_home_card.html", {"open": len(due), "overdue": overdue}, request=request)
