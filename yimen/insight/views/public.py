"""Public accountability pages (no login, issue 20 part 2): the 三率 ranking per unit and per
village. Figures only — the rollups hold no one's name or number."""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from yimen.core.errors import Invalid
from yimen.core.forms import add_service_errors
from yimen.core.permissions import public
from yimen.insight import rankings
from yimen.insight.forms import DatesForm
from yimen.insight.kpis.period import period_parse


@public
@require_GET
def ranking(request: HttpRequest) -> HttpResponse:
    """/public/rankings/?since=&until=: an impossible period shows its reason by the field (422)
    and the year to date instead."""
    form = DatesForm(request.GET or None)
    status = 200
    try:
        period = period_parse(request.GET.get("since"), request.GET.get("until"))
    except Invalid as exc:
        form.is_valid()
        add_service_errors(form, exc)
        period, status = period_parse(), 422
    if not form.is_bound:
        form = DatesForm(initial={"since": period.since.isoformat(), "until": period.until.isoformat()})
    context = {"form": form, "ranking": rankings.public_ranking(period=period), "rates": rankings.RATES}
    context["scope_note"] = rankings.SCOPE_NOTE
    return TemplateResponse(request, "insight/public_rankings.html", context, status=status)
