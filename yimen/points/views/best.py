"""最美农家 (issue 16 part 4): the year's candidates from the ledger and the village's vote."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yimen.core.errors import DomainError, Invalid
from yimen.core.permissions import member_required
from yimen.core.schemas import parse_id
from yimen.points import selectors, services
from yimen.points.months import YEAR_PATTERN


def _village_and_year(request: HttpRequest, text: str):
    village = selectors.member_village(request.member)
    if village is None:
        raise Http404
    text = text or str(timezone.localdate().year)
    if not YEAR_PATTERN.match(text):
        raise Invalid("年份格式应为 YYYY。", errors={"year": ["年份格式应为 YYYY，例如 2026。"]})
    return village, int(text)


def _count(text: str, field: str) -> int:
    """A vote count typed at the desk: digits only, or a field error (never a bare int())."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        raise Invalid("票数须为整数。", errors={field: ["请填写整数。"]})
    return int(text)


@member_required("points.view")
def best_page(request: HttpRequest) -> HttpResponse:
    try:
        village, year = _village_and_year(request, request.GET.get("year", "")[:4])
    except Invalid as refused:
        return render(request, "points/best.html", {"error": refused.message}, status=422)
    chosen = selectors.best_families(village, year)
    voted = {b.household_id for b in chosen}
    candidates = [row for row in selectors.best_candidates(village, year) if row["household"] not in voted]
    context = {
        "village": village,
        "year": year,
        "chosen": chosen,
        "candidates": candidates,
        "can_record": request.member.has_perm("points.approve"),
    }
    return render(request, "points/best.html", context)


@member_required("points.approve")
@require_POST
def best_vote(request: HttpRequest) -> HttpResponse:
    """Record the count of the vote on one candidate."""
    try:
        village, year = _village_and_year(request, request.POST.get("year", "")[:4])
        household = selectors.household_visible(
            request.member, parse_id(request.POST.get("household", ""), field="household")
        )
        best = services.best_family_record(
            actor=request.member,
            village=village,
            year=year,
            household=household,
            votes_for=_count(request.POST.get("votes_for", ""), "votes_for"),
            voters=_count(request.POST.get("voters", ""), "voters"),
        )
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect(reverse("points:best"))
    name = best.household.head.name if best.household.head else best.household.address
    messages.success(request, f"{name}：{'当选' if best.elected else '未过半数，未当选'}。")
    return redirect(f"{reverse('points:best')}?year={year}")
