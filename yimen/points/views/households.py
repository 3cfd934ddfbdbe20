"""The household's points at the village counter or on the grid worker's phone: find the
household, read its ledger, propose an award, exchange points, record an appeal or the consent
to the 红榜 (issue 16 parts 2–4)."""

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.people.models import Household
from yimen.points import selectors, services
from yimen.points.forms import AppealForm, ProposeForm, RedeemForm
from yimen.points.services import village_of

PAGE = "points/household.html"


@member_required("points.view")
def household_find(request: HttpRequest) -> HttpResponse:
    """户积分查询: by the head's name or the address, within the member's reach."""
    words = request.GET.get("q", "")[:50]
    rows = selectors.households_find(request.member, words)
    return render(request, "points/households.html", {"rows": rows, "q": words})


def _page(request: HttpRequest, household: Household, *, status: int = 200, **forms) -> HttpResponse:
    """The household's page with any refused form bound, so nothing typed is lost."""
    member = request.member
    village = village_of(household)
    context = {
        "household": household,
        "village": village,
        "balance": selectors.balance_of(household),
        "entries": selectors.ledger_with_appeals(household),
        "pending": list(selectors.pending_awards(household).order_by("-proposed_at")[:50]),
        "consents": selectors.consents(household),
        "can_propose": member.has_perm("points.propose"),
        "can_redeem": member.has_perm("points.redeem"),
        "can_approve": member.has_perm("points.approve"),
        "propose_form": forms.get("propose_form") or ProposeForm(rules=selectors.rules_for(village)),
        "redeem_form": forms.get("redeem_form")
        or RedeemForm(items=selectors.items_of(village), initial={"key": uuid.uuid4().hex}),
        "appeal_form": forms.get("appeal_form"),
        "appeal_entry": forms.get("appeal_entry"),
    }
    return render(request, PAGE, context, status=status)


@member_required("points.view")
def household_page(request: HttpRequest, household_id: int) -> HttpResponse:
    return _page(request, selectors.household_visible(request.member, household_id))


def propose_posted(request: HttpRequest, household: Household) -> ProposeForm | None:
    """The posted 申报 handed to the service: None once it is in the committee's queue, else the
    form bound with what was typed and why it was refused (the desk and the phone page share it)."""
    form = ProposeForm(request.POST, request.FILES, rules=selectors.rules_for(village_of(household)))
    if form.is_valid():
        try:
            services.award_propose(
                actor=request.member,
                household=household,
                rule_code=form.cleaned_data["rule"],
                note=form.cleaned_data["note"],
                evidence=form.cleaned_data["evidence"],
                photos=[upload.read() for upload in form.cleaned_data["photos"] if upload],
            )
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, "申报已提交，待村两委审核后记入台账。")
            return None
    return form


@member_required("points.propose")
@require_POST
def propose(request: HttpRequest, household_id: int) -> HttpResponse:
    """申报: goes to the committee's queue; the ledger moves only on approval."""
    household = selectors.household_visible(request.member, household_id)
    form = propose_posted(request, household)
    if form is None:
        return redirect("points:household", household_id=household.pk)
    return _page(request, household, status=422, propose_form=form)


@member_required("points.redeem")
@require_POST
def redeem(request: HttpRequest, household_id: int) -> HttpResponse:
    """积分超市兑换 at the counter; a double tap returns the first receipt (idempotency key)."""
    household = selectors.household_visible(request.member, household_id)
    form = RedeemForm(request.POST, items=selectors.items_of(village_of(household)))
    if form.is_valid():
        try:
            redemption = services.redeem(
                actor=request.member,
                household=household,
                item_id=int(form.cleaned_data["item"]),
                quantity=form.cleaned_data["quantity"],
                idempotency_key=form.cleaned_data["key"],
            )
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            return redirect("points:receipt", redemption_id=redemption.pk)
    return _page(request, household, status=422, redeem_form=form)


@member_required("points.approve")
@require_POST
def appeal(request: HttpRequest, household_id: int, entry_id: int) -> HttpResponse:
    """The household's 申诉 against an approved entry, recorded by the village within the 申诉期."""
    household = selectors.household_visible(request.member, household_id)
    entry = selectors.entry_visible(request.member, entry_id)
    form = AppealForm(request.POST)
    if form.is_valid() and entry.household_id == household.pk:
        try:
            services.appeal_file(actor=request.member, entry=entry, grounds=form.cleaned_data["grounds"])
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, "申诉已登记，将由审核人以外的村干部处理。")
            return redirect("points:household", household_id=household.pk)
    return _page(request, household, status=422, appeal_form=form, appeal_entry=entry.pk)


@member_required("points.approve")
@require_POST
def consent(request: HttpRequest, household_id: int) -> HttpResponse:
    """Record or withdraw the household's consent to be named on the 红榜 (个人信息保护法 arts. 14, 15)."""
    household = selectors.household_visible(request.member, household_id)
    if request.POST.get("given") == "yes":
        services.consent_give(actor=request.member, household=household)
        messages.success(request, "已记录该户同意在红榜公示。")
    else:
        services.consent_withdraw(actor=request.member, household=household)
        messages.success(request, "已撤回同意，该户不再出现在红榜。")
    return redirect("points:household", household_id=household.pk)
