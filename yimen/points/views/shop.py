"""积分超市 at the village counter: the goods and their stock, stock-in, the receipt of a
redemption and the month's account (issue 16 part 3)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yimen.core.documents import PDF, pdf_bytes
from yimen.core.errors import DomainError, Invalid
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.points import paper, selectors, services
from yimen.points.forms import StockInForm
from yimen.points.months import month_bounds, this_month


def _village(request: HttpRequest):
    village = selectors.member_village(request.member)
    if village is None:  # a town seat keeps no counter: the supermarket is the village's
        raise Http404
    return village


def _shop(request: HttpRequest, *, form: StockInForm | None = None, status: int = 200) -> HttpResponse:
    village = _village(request)
    items = list(selectors.items_of(village))
    month = request.GET.get("month") or this_month()
    context = {"village": village, "items": items, "month": month, "form": form or StockInForm(items=items)}
    try:
        since, until = month_bounds(month)
    except Invalid as refused:
        context["month_error"] = refused.errors["month"][0]
        status = 422
    else:
        context["account"] = selectors.shop_month(village, since, until)
    return render(request, "points/shop.html", context, status=status)


@member_required("points.redeem")
def shop(request: HttpRequest) -> HttpResponse:
    """The goods with price and stock, the stock-in form and the month's account."""
    return _shop(request)


@member_required("points.redeem")
@require_POST
def stock_in(request: HttpRequest) -> HttpResponse:
    village = _village(request)
    form = StockInForm(request.POST, items=selectors.items_of(village))
    if form.is_valid():
        item = selectors.item_visible(request.member, int(form.cleaned_data["item"]), village)
        try:
            services.item_stock_in(
                actor=request.member, item=item, quantity=form.cleaned_data["quantity"], note=form.cleaned_data["note"]
            )
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, f"{item.name}已入库 {form.cleaned_data['quantity']} 件。")
            return redirect("points:shop")
    return _shop(request, form=form, status=422)


@member_required("points.view")
def receipt(request: HttpRequest, redemption_id: int) -> HttpResponse:
    """兑换凭证 on screen, with its PDF to print and sign at the counter."""
    redemption = selectors.redemption_visible(request.member, redemption_id)
    context = {"r": redemption, "number": paper.receipt_number(redemption)}
    return render(request, "points/receipt.html", context)


@member_required("points.view")
def receipt_pdf(request: HttpRequest, redemption_id: int) -> HttpResponse:
    redemption = selectors.redemption_visible(request.member, redemption_id)
    document = paper.receipt(redemption, services.village_of(redemption.household))
    response = HttpResponse(pdf_bytes(document), content_type=PDF)
    response["Content-Disposition"] = f'inline; filename="{paper.receipt_number(redemption)}.pdf"'
    return response
