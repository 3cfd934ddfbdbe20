"""The mediator roster (/mediation/mediators/) with each mediator's workload and results, the
form that adds or changes a mediator (mediator.manage), and the statistics page
(/mediation/stats/) over the mediations the viewer may see."""

from django import forms as django_forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.vary import vary_on_headers

from yimen.core.errors import DomainError
from yimen.core.forms import BootstrapBoundField, add_service_errors
from yimen.core.permissions import member_required
from yimen.geo.models import Region
from yimen.mediation import selectors, services
from yimen.mediation.forms import MediatorForm
from yimen.mediation.models import Mediator

PAGE_SIZE = 50


class RosterFilterForm(django_forms.Form):
    bound_field_class = BootstrapBoundField
    q = django_forms.CharField(label="姓名或身份", required=False, max_length=50)
    kind = django_forms.ChoiceField(label="类别", required=False, choices=[("", "全部类别"), *Mediator.Kind.choices])
    village = django_forms.ChoiceField(label="村（社区）", required=False)
    skill = django_forms.CharField(label="擅长", required=False, max_length=10)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", "全部村（社区）"), *[(r.code, r.name) for r in villages]]


def _areas(member) -> list[Region]:
    """The town and villages of the member's jurisdiction (homes and service areas)."""
    levels = (Region.Level.TOWN, Region.Level.VILLAGE)
    return list(Region.objects.subtree(member.jurisdiction).filter(level__in=levels).order_by("path"))


@vary_on_headers("HX-Request")
@member_required("mediation.view")
def roster(request: HttpRequest) -> HttpResponse:
    """调解员名册: filters by name, kind, village and skill; workload and success rate each."""
    member = request.member
    areas = _areas(member)
    form = RosterFilterForm(request.GET or None, villages=[r for r in areas if r.level == Region.Level.VILLAGE])
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.RosterFilters(
        q=data.get("q", ""), kind=data.get("kind", ""), village=data.get("village", ""), skill=data.get("skill", "")
    )
    page = Paginator(selectors.roster(member, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "may_manage": member.has_perm("mediator.manage")}
    template = "mediation/_roster_rows.html" if request.htmx else "mediation/roster.html"
    return TemplateResponse(request, template, context)


def _edit(request: HttpRequest, mediator: Mediator | None) -> HttpResponse:
    member = request.member
    areas = _areas(member)
    initial = {}
    if mediator is not None:
        initial = {
            "version": mediator.version,
            "name": mediator.name,
            "kind": mediator.kind,
            "title": mediator.title,
            "region": mediator.region.code,
            "villages": [v.code for v in mediator.villages.all()],
            "skills": "、".join(mediator.skills),
            "availability": mediator.availability,
            "is_active": "yes" if mediator.is_active else "no",
        }
    form = MediatorForm(request.POST or None, regions=areas, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                saved = services.mediator_save(
                    actor=member, mediator=mediator, version=form.cleaned_data["version"], **form.payload()
                )
            except DomainError as exc:
                add_service_errors(form, exc)
                status = exc.status
                if exc.code == "stale_version":  # redraw on the new version, keeping what was typed
                    data = request.POST.copy()
                    data["version"] = str(Mediator.objects.get(pk=mediator.pk).version)
                    form = MediatorForm(data, regions=areas)
                    form.is_valid()
                    form.add_error(None, exc.message)
            else:
                messages.success(request, f"已保存调解员：{saved.name}")
                return redirect("mediation:roster")
    context = {"form": form, "mediator": mediator}
    return TemplateResponse(request, "mediation/mediator_form.html", context, status=status)


@member_required("mediator.manage")
def mediator_new(request: HttpRequest) -> HttpResponse:
    """登记调解员."""
    return _edit(request, None)


@member_required("mediator.manage")
def mediator_edit(request: HttpRequest, mediator_id: int) -> HttpResponse:
    """修改调解员信息 (within the keeper's jurisdiction; anything else is 404)."""
    return _edit(request, selectors.mediator_for_edit(request.member, mediator_id))


@member_required("mediation.view")
def stats(request: HttpRequest) -> HttpResponse:
    """调解统计: success by mediator, village and category; 小事不出村."""
    found = selectors.mediation_stats(request.member)
    tables = [
        ("按调解员", found.by_mediator, "stats-mediators"),
        ("按村（社区）", found.by_village, "stats-villages"),
        ("按纠纷类别", found.by_category, "stats-categories"),
    ]
    return TemplateResponse(request, "mediation/stats.html", {"stats": found, "tables": tables})
