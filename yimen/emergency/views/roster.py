"""值班表 page: a week of shifts with their commander and team, and (for the command roles) the
form that sets one shift."""

from datetime import date, timedelta

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yimen.cases.views.common import private
from yimen.core.permissions import member_required
from yimen.emergency import selectors, services
from yimen.emergency.forms import DutyShiftForm
from yimen.emergency.views import submitted

WEEK = 7


def _people(member) -> list[tuple[int, str]]:
    rows = services.duty_candidates(member).select_related("user", "unit").order_by("unit__code", "user__name")
    return [(m.pk, f"{m.user.name}（{m.unit.name}）") for m in rows]


def _start(raw: str | None) -> date:
    """The week shown: ?from=YYYY-MM-DD, else today (a malformed date is today, not an error)."""
    try:
        start = date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()
    low, high = selectors.ROSTER_YEARS
    return start if low <= start.year <= high else timezone.localdate()


def _page(request, form: DutyShiftForm | None = None, status: int = 200):
    member = request.member
    start = _start(request.GET.get("from"))
    can_keep = member.has_perm("incident.declare")
    if form is None and can_keep:
        form = DutyShiftForm(people=_people(member), initial={"on": timezone.localdate()})
    context = {
        "days": selectors.roster(member, start, WEEK),
        "start": start,
        "earlier": start - timedelta(days=WEEK),
        "later": start + timedelta(days=WEEK),
        "now": selectors.shift_at(timezone.now()),
        "form": form,
    }
    return private(TemplateResponse(request, "emergency/roster.html", context, status=status))


@member_required("incident.view")
def roster(request):
    """值班表: who is on duty, so a declared incident pages the right commander and team."""
    return _page(request)


@member_required("incident.declare")
@require_POST
def roster_set(request):
    form = DutyShiftForm(request.POST, people=_people(request.member))

    def done(row):
        messages.success(request, f"已排班：{row.on:%m-%d} {row.get_shift_display()}。")
        return redirect(f"{reverse('emergency:roster')}?from={row.on.isoformat()}")

    return submitted(
        form,
        lambda: services.duty_shift_set(actor=request.member, **form.cleaned_data),
        done=done,
        again=lambda: _page(request, form, status=422),
    )
