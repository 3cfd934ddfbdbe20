"""Pages of 积分制: the village committee's approval queue and the 红黑榜 for the village screen."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yimen.core.errors import DomainError, Invalid
from yimen.core.permissions import member_required
from yimen.points import selectors, services
from yimen.points.api import month_bounds
from yimen.points.models import Category

MONTH_FORMAT = "%Y-%m"


@member_required("points.view")
def queue(request: HttpRequest) -> HttpResponse:
    """待审核的积分申报 (the committee approves or rejects with a reason)."""
    awards = list(selectors.awards_waiting(request.member)[:100])
    return render(
        request, "points/queue.html", {"awards": awards, "can_decide": request.member.has_perm("points.approve")}
    )


@member_required("points.approve")
@require_POST
def decide(request: HttpRequest, award_id: int) -> HttpResponse:
    """Approve, or reject with the reason the form asks for."""
    try:
        if request.POST.get("decision") == "reject":
            services.award_reject(actor=request.member, award_id=award_id, reason=request.POST.get("reason", ""))
            messages.success(request, "已驳回该申报。")
        else:
            services.award_approve(actor=request.member, award_id=award_id)
            messages.success(request, "已审核通过，积分已记入该户台账。")
    except DomainError as refused:
        messages.error(request, refused.message)
    return redirect("points:queue")


@member_required("points.view")
def board(request: HttpRequest) -> HttpResponse:
    """红黑榜 of the member's village for a month: the page shown on the village screen."""
    village = selectors.member_village(request.member)
    if village is None:
        raise Http404
    month = request.GET.get("month") or timezone.localdate().strftime(MONTH_FORMAT)
    try:
        if len(month) != 7 or month[4] != "-" or not (month[:4] + month[5:]).isdigit() or not 1 <= int(month[5:]) <= 12:
            raise Invalid("月份格式应为 YYYY-MM。")
        since, until = month_bounds(month)
    except Invalid as refused:
        return render(
            request, "points/board.html", {"village": village, "month": month, "error": refused.message}, status=422
        )
    found = selectors.board(village, since, until)
    labels = dict(Category.choices)
    for row in found["black"]:
        row["category_label"] = labels.get(row["category"], row["category"])
    return render(request, "points/board.html", {"village": village, "month": month, **found})
