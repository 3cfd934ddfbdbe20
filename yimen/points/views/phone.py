"""积分 and 微心愿 on the grid worker's phone (issue 16 parts 2 and 5), under the phone app's
layout: find a household of the worker's grid, propose an award with a photo taken there (shrunk
on the phone by photo-compress.js), record a resident's wish, and see what became of the wishes."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from yimen.core.permissions import member_required
from yimen.people.models import Household
from yimen.points import selectors
from yimen.points.forms import ProposeForm, WishForm
from yimen.points.services import village_of
from yimen.points.views.households import propose_posted
from yimen.points.views.wishes import wish_posted


@member_required("points.propose")
def m_points(request: HttpRequest) -> HttpResponse:
    """积分申报: the worker's households (their grid only), each with its balance."""
    words = request.GET.get("q", "")[:50]
    rows = selectors.households_find(request.member, words)
    return render(request, "points/m/households.html", {"rows": rows, "q": words})


def _page(request: HttpRequest, household: Household, *, status: int = 200, **forms) -> HttpResponse:
    """The household on the phone, any refused form bound with what was typed."""
    village = village_of(household)
    context = {
        "household": household,
        "village": village,
        "balance": selectors.balance_of(household),
        "pending": list(selectors.pending_awards(household).order_by("-proposed_at")[:20]),
        "propose_form": forms.get("propose_form") or ProposeForm(rules=selectors.rules_for(village)),
        "wish_form": forms.get("wish_form") or WishForm(),
    }
    return render(request, "points/m/household.html", context, status=status)


@member_required("points.propose")
def m_household(request: HttpRequest, household_id: int) -> HttpResponse:
    return _page(request, selectors.household_visible(request.member, household_id))


def _take(
    request: HttpRequest, household_id: int, handle: Callable, form_key: str, done: Callable[[Household], HttpResponse]
) -> HttpResponse:
    """A posted phone form for a household of the worker's grid: on to `done` once the service
    took it, else the household page again (422) with what was typed and why it was refused."""
    household = selectors.household_visible(request.member, household_id)
    form = handle(request, household)
    if form is None:
        return done(household)
    return _page(request, household, status=422, **{form_key: form})


@member_required("points.propose")
@require_POST
def m_propose(request: HttpRequest, household_id: int) -> HttpResponse:
    return _take(
        request,
        household_id,
        propose_posted,
        "propose_form",
        lambda h: redirect("points:m_household", household_id=h.pk),
    )


@member_required("points.propose")
@require_POST
def m_wish_record(request: HttpRequest, household_id: int) -> HttpResponse:
    return _take(request, household_id, wish_posted, "wish_form", lambda _: redirect("points:m_wishes"))


@member_required("points.propose")
def m_wishes(request: HttpRequest) -> HttpResponse:
    """The wishes of the worker's reach, open first, with what the village did about each."""
    return render(request, "points/m/wishes.html", {"wishes": selectors.wishes_of(request.member, limit=100)})


def phone_card(request: HttpRequest) -> str:
    """积分 and 微心愿 on the phone app's home (/m/), for those who may propose."""
    member = getattr(request, "member", None)
    if member is None or not member.has_perm("points.propose"):
        return ""
    return render_to_string("points/m/_home_card.html", request=request)
