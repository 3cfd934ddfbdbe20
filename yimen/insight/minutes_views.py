"""/dashboard/minutes/: worker minutes per case, per unit (issue 20 part 5; insight/minutes.py)."""

from django.template.response import TemplateResponse

from yimen.cases.page_selectors import region_filter_choices
from yimen.cases.views.common import private
from yimen.core.errors import Invalid
from yimen.core.permissions import member_required
from yimen.insight import minutes
from yimen.insight.kpis.compute import kpi_region
from yimen.insight.kpis.period import period_parse


@member_required("kpi.view")
def minutes_page(request):
    member, get = request.member, request.GET
    place = kpi_region(member=member, code=get.get("region"))
    errors = {}
    try:
        period = period_parse(get.get("since"), get.get("until"))
    except Invalid as exc:
        errors, period = exc.errors, period_parse()
    context = {
        "place": place,
        "period": period,
        "errors": errors,
        "regions": region_filter_choices(member=member),
        "units": minutes.unit_minutes(member=member, region=place, period=period),
    }
    return private(TemplateResponse(request, "insight/minutes.html", context, status=422 if errors else 200))
