"""村民议事 pages (issue 16 part 5): the village's meetings, and the record of one held, its
agenda drawn from the open 微心愿."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.points import selectors, services
from yimen.points.forms import MeetingForm
from yimen.points.models import Meeting


def _village(request: HttpRequest):
    village = selectors.member_village(request.member)
    if village is None:
        raise Http404
    return village


@member_required("points.view")
def meeting_list(request: HttpRequest) -> HttpResponse:
    village = _village(request)
    context = {
        "village": village,
        "meetings": selectors.meetings_of(village),
        "can_record": request.member.has_perm("points.approve"),
    }
    return render(request, "points/meetings.html", context)


@member_required("points.approve")
def meeting_new(request: HttpRequest) -> HttpResponse:
    """Record a meeting held; a refused record comes back with everything typed."""
    village = _village(request)
    open_wishes = selectors.open_wishes(village)
    form = MeetingForm(request.POST or None, kinds=Meeting.Kind.choices, open_wishes=open_wishes)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record(
                actor=request.member,
                village=village,
                kind=form.cleaned_data["kind"],
                held_at=form.cleaned_data["held_at"],
                place=form.cleaned_data["place"],
                attendance=form.cleaned_data["attendance"],
                wish_ids=[int(pk) for pk in form.cleaned_data["wishes"]],
                notes=form.cleaned_data["notes"],
                decisions=form.decisions(),
            )
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, "会议记录已保存。")
            return redirect("points:meetings")
    status = 422 if request.method == "POST" else 200
    context = {"village": village, "form": form, "open_wishes": open_wishes}
    return render(request, "points/meeting_new.html", context, status=status)
