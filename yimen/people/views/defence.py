"""十户联防 group pages (issue 15 part 4): the list of a member's groups, forming one in a grid,
adjusting it under its version, and retiring it with a reason. Every change is a defence.py
service; another village's group is 404 (the selectors' scope)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.geo.models import Region
from yimen.geo.selectors import region_get_visible
from yimen.people import defence, selectors
from yimen.people.defence_forms import DefenceGroupForm, RetireForm
from yimen.people.models import Household
from yimen.people.views.registry import private

PAGE = 50
GROUP_LEVELS = (Region.Level.GRID, Region.Level.MICROGRID)


def _area_households(member, region: Region):
    rows = Household.objects.visible_to(member).filter(region__path__startswith=region.path)
    return rows.select_related("region", "head", "defence_group").order_by("region__code", "address", "id")


def _areas(member) -> list[Region]:
    rows = Region.objects.subtree(member.jurisdiction).filter(level__in=GROUP_LEVELS)
    return list(rows.order_by("path"))


@member_required("person.view")
def defence_group_list(request):
    member = request.member
    retired = request.GET.get("retired") == "1"
    groups = selectors.defence_groups(member=member, retired=retired)
    page_obj = Paginator(groups, PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page_obj,
        "retired": retired,
        "query": "retired=1&" if retired else "",
        "may_manage": member.has_perm(defence.MANAGE),
        "areas": _areas(member) if member.has_perm(defence.MANAGE) else [],
    }
    return private(TemplateResponse(request, "people/defence_group_list.html", context))


def _form_page(request, form, *, title: str, region: Region, status: int | None = None, group=None):
    context = {"form": form, "title": title, "region": region, "group": group}
    status = status or (422 if form.errors else 200)
    return private(TemplateResponse(request, "people/defence_group_form.html", context, status=status))


@member_required(defence.MANAGE)
def defence_group_create(request):
    member = request.member
    code = request.GET.get("region")
    region = region_get_visible(member=member, code=code) if code else None
    if region is None or region.level not in GROUP_LEVELS or not region.is_within(member.jurisdiction):
        messages.error(request, "请先选择本辖区内的一个网格或微网格。")
        return redirect("people:defence_group_list")
    form, status = DefenceGroupForm(request.POST or None, households=_area_households(member, region)), None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = defence.defence_group_create(
                actor=member, region=region, name=data["name"], households=list(data["households"]), lead=data["lead"]
            )
        except DomainError as exc:
            add_service_errors(form, exc)
            status = exc.status
        else:
            messages.success(request, f"已组建 {group.name}。")
            return redirect("people:defence_group_detail", group_id=group.pk)
    return _form_page(request, form, title=f"组建十户联防组 · {region.name}", region=region, status=status)


@member_required(defence.MANAGE)
def defence_group_edit(request, group_id: int):
    member = request.member
    group = selectors.defence_group_get_visible(member=member, group_id=group_id)
    initial = {
        "version": group.version,
        "name": group.name,
        "lead": group.lead_id,
        "households": list(group.households.values_list("pk", flat=True)),
    }
    households = _area_households(member, group.region)
    form, status = DefenceGroupForm(request.POST or None, households=households, initial=initial), None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            defence.defence_group_update(
                actor=member,
                group=group,
                version=data["version"] or 0,
                name=data["name"],
                households=list(data["households"]),
                lead=data["lead"],
            )
        except DomainError as exc:
            add_service_errors(form, exc)
            status = exc.status
        else:
            messages.success(request, f"已调整 {data['name']}。")
            return redirect("people:defence_group_detail", group_id=group.pk)
    title = f"调整十户联防组 · {group.name}"
    return _form_page(request, form, title=title, region=group.region, status=status, group=group)


@member_required(defence.MANAGE)
def defence_group_retire(request, group_id: int):
    member = request.member
    group = selectors.defence_group_get_visible(member=member, group_id=group_id)
    form, status = RetireForm(request.POST or None, initial={"version": group.version}), None
    if request.method == "POST" and form.is_valid():
        try:
            defence.defence_group_retire(
                actor=member, group=group, version=form.cleaned_data["version"], reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_service_errors(form, exc)
            status = exc.status
        else:
            messages.success(request, f"已撤销 {group.name}，其成员户可加入其他联防组。")
            return redirect("people:defence_group_detail", group_id=group.pk)
    context = {
        "form": form,
        "title": f"撤销十户联防组 · {group.name}",
        "submit": "撤销",
        "grave": True,
        "back": reverse("people:defence_group_detail", args=[group.pk]),
        "notice": "撤销后本组各户不再有联防呼叫；记录保留，可在“已撤销”中查看。",
    }
    status = status or (422 if form.errors else 200)
    return private(TemplateResponse(request, "people/upkeep_form.html", context, status=status))
