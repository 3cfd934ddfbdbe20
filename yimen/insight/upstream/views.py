"""一表通 pages: /dashboard/forms/ (pick a form, a period and a region; the figures shown with a
drill-down to the cases behind each line) and its xlsx download."""

from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from yimen.cases.page_selectors import region_filter_choices
from yimen.cases.views.common import private
from yimen.core.errors import Invalid, NotFound
from yimen.core.permissions import member_required
from yimen.insight.upstream import build, services
from yimen.insight.upstream.api import XLSX
from yimen.insight.upstream.definitions import FORMS


@member_required("kpi.view")
def form_page(request):
    member, get = request.member, request.GET
    name = get.get("form") or next(iter(FORMS))
    period = get.get("period") or f"{timezone.localdate():%Y-%m}"
    table, error, rows = None, "", []
    try:
        table = services.upstream_table(actor=member, name=name, region=get.get("region"), period=period)
    except Invalid as exc:
        error = exc.errors["period"][0]
    except NotFound:
        raise Http404 from None
    if table is not None:
        figures = table.form.figures
        rows = [(line, [line.count(f.key) for f in figures], build.case_list_link(table, line)) for line in table.lines]
    context = {
        "forms": [(n, f.title) for n, f in FORMS.items()],
        "name": name,
        "period": period,
        "error": error,
        "regions": region_filter_choices(member=member),
        "table": table,
        "rows": rows,
        "totals": [table.total(f.key) for f in table.form.figures] if table else [],
    }
    return private(TemplateResponse(request, "insight/forms.html", context, status=422 if error else 200))


@member_required("kpi.view")
def form_download(request, form: str):
    try:
        filed = services.upstream_form(
            actor=request.member,
            name=form,
            region=request.GET.get("region"),
            period=request.GET.get("period"),
            ip=request.META.get("REMOTE_ADDR", ""),
        )
    except NotFound:
        raise Http404 from None
    except Invalid as exc:
        return HttpResponse(exc.errors["period"][0], status=422, content_type="text/plain; charset=utf-8")
    response = HttpResponse(filed.content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filed.filename)
    return private(response)
