"""The village committee's desk: proposals and appeals to decide, and the 红黑榜 for the village
screen (issue 16 parts 2 and 4)."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yimen.core.documents import PDF, pdf_bytes
from yimen.core.errors import DomainError, Invalid
from yimen.core.permissions import member_required
from yimen.points import paper, selectors, services
from yimen.points.models import Category
from yimen.points.months import period_bounds, this_month


@member_required("points.view")
def queue(request: HttpRequest) -> HttpResponse:
    """待审核的积分申报 and 待处理的申诉 (the committee decides each with a reason)."""
    member = request.member
    appeals = list(selectors.appeals_open(member)[:100])
    for appeal in appeals:  # 回避: the approver sees why the buttons are not theirs
        appeal.own_approval = appeal.entry.by.user_id == member.user_id
    return render(
        request,
        "points/queue.html",
        {
            "awards": list(selectors.awards_waiting(member)[:100]),
            "appeals": appeals,
            "can_decide": member.has_perm("points.approve"),
        },
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


@member_required("points.approve")
@require_POST
def appeal_decide(request: HttpRequest, appeal_id: int) -> HttpResponse:
    """申诉成立 reverses the entry; 不成立 keeps it. Either way the decision is written down, and
    the one who approved the entry may not decide (the service refuses)."""
    appeal = selectors.appeal_visible(request.member, appeal_id)
    upheld = request.POST.get("upheld") == "yes"
    try:
        services.appeal_decide(
            actor=request.member, appeal=appeal, upheld=upheld, decision=request.POST.get("decision", "")
        )
        messages.success(request, "申诉成立，已冲正该笔积分。" if upheld else "已作出申诉不成立的处理。")
    except DomainError as refused:
        messages.error(request, refused.message)
    return redirect("points:queue")


def _period(request: HttpRequest) -> tuple[dict, tuple]:
    """The member's village and the month or year asked (?month=YYYY-MM or ?year=YYYY): the
    page's context, with `error` set on a malformed period, and the period's bounds."""
    village = selectors.member_village(request.member)
    if village is None:
        raise Http404
    month, year = request.GET.get("month", "")[:7], request.GET.get("year", "")[:4]
    context = {"village": village, "month": month or this_month(), "year": year}
    try:
        context["period"], since, until = period_bounds(month=month, year=year)
    except Invalid as refused:
        return {**context, "error": refused.message}, ()
    return context, (since, until)


def _board(request: HttpRequest) -> dict:
    """The village's 红黑榜 for the month or year asked."""
    context, bounds = _period(request)
    if "error" in context:
        return context
    found = selectors.board(context["village"], *bounds)
    labels = dict(Category.choices)
    for row in found["black"]:
        row["category_label"] = labels.get(row["category"], row["category"])
    return {**context, **found}


@member_required("points.view")
def board(request: HttpRequest) -> HttpResponse:
    """红黑榜 of the member's village for a month or a year: the page shown on the village screen."""
    context = _board(request)
    return render(request, "points/board.html", context, status=422 if "error" in context else 200)


@member_required("points.view")
def board_poster(request: HttpRequest) -> HttpResponse:
    """The same board as a poster (PDF) for the 新时代文明实践站 noticeboard."""
    context = _board(request)
    if "error" in context:
        return render(request, "points/board.html", context, status=422)
    document = paper.board_poster(context["village"], context["period"], context["red"], context["black"])
    response = HttpResponse(pdf_bytes(document), content_type=PDF)
    response["Content-Disposition"] = 'inline; filename="board.pdf"'
    return response


@member_required("points.view")
def report(request: HttpRequest) -> HttpResponse:
    """The village's report for a month or year: participation and fulfilled wishes."""
    context, bounds = _period(request)
    if "error" in context:
        return render(request, "points/report.html", context, status=422)
    report = selectors.village_report(context["village"], *bounds)
    return render(request, "points/report.html", {**context, "r": report})


@member_required("points.view")
def award_photo(request: HttpRequest, award_id: int, photo_id: int) -> HttpResponse:
    """An evidence photo, unsealed for a member who may see the proposal (never a static URL)."""
    photo = selectors.award_photo_visible(request.member, award_id, photo_id)
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    return response
