"""每月一题 pages: /dashboard/topics/ (a month's topics of a region, largest first) and a topic's
page with its cases, its project and the volume series since (未诉先办: did it fall?)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from yimen.cases.page_selectors import region_filter_choices
from yimen.cases.views.common import private
from yimen.core.errors import DomainError, Invalid
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.insight.topics import selectors, services
from yimen.insight.topics.forms import ProjectForm
from yimen.org.models import Unit

CASES_SHOWN = 8  # per topic on the list; the topic's page has them all


def _units(member) -> list[tuple[str, str]]:
    units = Unit.objects.filter(is_active=True, region__path__startswith=member.jurisdiction.path).order_by("code")
    return [(u.code, u.name) for u in units]


@member_required("topic.view")
def topic_list(request):
    member = request.member
    error = ""
    try:
        month = selectors.month_parse(request.GET.get("month"))
    except Invalid as exc:
        error, month = exc.errors["month"][0], selectors.month_parse(None)
    place, views = selectors.month_topics(member=member, month=month, region=request.GET.get("region"))
    context = {
        "month": month,
        "month_error": error,
        "place": place,
        "regions": region_filter_choices(member=member),
        "views": views,
        "shown": CASES_SHOWN,
    }
    return private(TemplateResponse(request, "insight/topics.html", context))


@member_required("topic.view")
def topic_detail(request, topic_id: int):
    topic = selectors.topic_get(member=request.member, topic_id=topic_id)
    return _detail(request, topic)


def _detail(request, topic, form: ProjectForm | None = None, status: int = 200):
    member = request.member
    project = getattr(topic, "project", None)
    can_manage = member.has_perm("topic.manage") and project is None
    if can_manage and form is None:
        form = ProjectForm(units=_units(member))
    _, views = selectors.month_topics(member=member, month=topic.month, region=topic.region.code)
    view = next((v for v in views if v.topic.pk == topic.pk), None)
    series = selectors.topic_volume_of_day(topic)
    peak = max((n for _, n in series), default=0) or 1
    context = {
        "topic": topic,
        "view": view,
        "project": project,
        "form": form if can_manage else None,
        "series": [(m, n, n / peak) for m, n in series],
        "peak": peak,
        "trend": selectors.volume_trend(topic, series),
    }
    return private(TemplateResponse(request, "insight/topic.html", context, status=status))


@member_required("topic.manage")
@require_POST
def topic_project_new(request, topic_id: int):
    member = request.member
    topic = selectors.topic_get(member=member, topic_id=topic_id)
    form = ProjectForm(request.POST, units=_units(member))
    if form.is_valid():
        try:
            services.governance_project_create(actor=member, topic=topic, **form.cleaned_data)
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已立项：{topic.label}")
            return redirect("insight:topic", topic_id=topic.pk)
    return _detail(request, topic, form, status=422)
