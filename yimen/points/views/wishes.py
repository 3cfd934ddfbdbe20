"""微心愿 (issue 16 part 5): the grid worker records a resident's small wish from the household's
page; the village sees the open ones first and closes each as fulfilled, or declined with a reason."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.people.models import Household
from yimen.points import selectors, services
from yimen.points.forms import WishCloseForm, WishForm


def _list(request: HttpRequest, *, failed: int | None = None, form: WishCloseForm | None = None, status: int = 200):
    context = {
        "wishes": selectors.wishes_of(request.member),
        "can_close": request.member.has_perm("points.approve"),
        "can_register": request.member.has_perm("case.register"),
        "failed": failed,
        "close_form": form,
    }
    return render(request, "points/wishes.html", context, status=status)


@member_required("points.view")
def wish_list(request: HttpRequest) -> HttpResponse:
    return _list(request)


def wish_posted(request: HttpRequest, household: Household) -> WishForm | None:
    """The posted 微心愿 handed to the service: None once recorded, else the bound form with the
    refusal (the desk and the phone page share it)."""
    form = WishForm(request.POST)
    if form.is_valid():
        try:
            services.wish_record(actor=request.member, household=household, text=form.cleaned_data["text"])
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, "微心愿已记录，将列入村民议事会议程。")
            return None
    return form


@member_required("points.propose")
@require_POST
def wish_record(request: HttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_visible(request.member, household_id)
    form = wish_posted(request, household)
    if form is not None:
        messages.error(request, form.errors["text"][0])
    return redirect("points:household", household_id=household.pk)


@member_required("points.approve")
@require_POST
def wish_close(request: HttpRequest, wish_id: int) -> HttpResponse:
    """Close a wish: 已实现 says what was done; 不予办理 is a grave step and says why."""
    wish = selectors.wish_visible(request.member, wish_id)
    form = WishCloseForm(request.POST)
    if form.is_valid():
        try:
            services.wish_close(
                actor=request.member, wish=wish, state=form.cleaned_data["state"], outcome=form.cleaned_data["outcome"]
            )
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, "已记录心愿的结果。")
            return redirect("points:wishes")
    return _list(request, failed=wish.pk, form=form, status=422)


@member_required("points.approve")
@require_POST
def wish_case(request: HttpRequest, wish_id: int) -> HttpResponse:
    """转为案件: the case page opens, with the wish's code kept on the wish."""
    wish = selectors.wish_visible(request.member, wish_id)
    try:
        wish = services.wish_to_case(actor=request.member, wish=wish)
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect("points:wishes")
    messages.success(request, f"已转为案件 {wish.case_code}。")
    return redirect("cases:detail", code=wish.case_code)
