"""Public accountability pages (no login, issue 20 part 2): the 三率 ranking per unit and per
village, and the annual report. Figures and anonymised typical cases only."""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from yimen.core.documents import PDF, pdf_bytes
from yimen.core.errors import Invalid
from yimen.core.forms import add_service_errors
from yimen.core.permissions import public
from yimen.insight import rankings
from yimen.insight.annual import RANKED_ROWS, annual_paper, annual_report
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
    context.update(
        scope_note=rankings.SCOPE_NOTE,
        refresh_seconds=rankings.RANKING_SECONDS,
        refresh_minutes=rankings.RANKING_SECONDS // 60,
    )
    return TemplateResponse(request, "insight/public_rankings.html", context, status=status)


@public
@require_GET
def annual(request: HttpRequest, year: int) -> HttpResponse:
    """/public/report/2026/ (年度报告) as a page, ?format=pdf as the PDF."""
    report = annual_report(year=year)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(pdf_bytes(annual_paper(report)), content_type=PDF)
        response["Content-Disposition"] = content_disposition_header(False, f"接诉即办年度报告-{year}.pdf")
        return response
    context = {"report": report, "rates": rankings.RATES, "scope_note": rankings.SCOPE_NOTE, "ranked": RANKED_ROWS}
    return TemplateResponse(request, "insight/public_annual.html", context)
