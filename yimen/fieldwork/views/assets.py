"""Desk pages that keep the town's assets (issue 15 part 4): camera points (new, card with its
maintenance log, edit, retire), the case panel's cite / withdraw buttons, and patrol teams (new,
edit, retire). Every change is a fieldwork service; outside one's area is 404."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from yimen.cases.selectors import case_get_visible
from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.fieldwork import selectors, services
from yimen.fieldwork.forms import CameraForm, CameraLogForm, CiteForm, RetireForm, TeamForm
from yimen.fieldwork.services.cameras import CITE, MANAGE
from yimen.fieldwork.services.teams import MANAGE as TEAMS

FORM = "fieldwork/asset_form.html"


def _form(request, form, *, title: str, back: str, status: int | None = None, grave: bool = False):
    status = status or (422 if form.errors else 200)
    context = {"form": form, "title": title, "back": back, "grave": grave}
    return TemplateResponse(request, FORM, context, status=status)


def _attempt(form, call) -> tuple[object, int | None]:
    """Run the service: its result, or None and the refusal's status (its messages on the form)."""
    try:
        return call(), None
    except DomainError as exc:
        add_service_errors(form, exc)
        return None, exc.status


@member_required(MANAGE)
def camera_new(request):
    member = request.member
    form, status = CameraForm(request.POST or None, member=member), None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made, status = _attempt(
            form,
            lambda: services.camera_create(
                actor=member,
                code=data["code"],
                name=data["name"],
                lat=data["lat"],
                lng=data["lng"],
                region=data["region"],
                unit=data["unit"],
                owner=data["owner"],
            ),
        )
        if status is None:
            messages.success(request, f"已新增监控点 {made.code}。")
            return redirect("fieldwork:camera", camera_id=made.pk)
    return _form(request, form, title="新增监控点", back=reverse("fieldwork:cameras"), status=status)


@member_required("map.view")
def camera(request, camera_id: int):
    member = request.member
    found = selectors.camera_get(member=member, camera_id=camera_id)
    may_manage = member.has_perm(MANAGE) and found.retired_at is None
    context = {
        "camera": found,
        "log": list(selectors.camera_log(camera=found)[:50]),
        "form": CameraLogForm(initial={"version": found.version, "status": found.status}) if may_manage else None,
        "may_manage": may_manage,
    }
    return TemplateResponse(request, "fieldwork/camera.html", context)


@member_required(MANAGE)
@require_POST
def camera_log_add(request, camera_id: int):
    member = request.member
    found = selectors.camera_get(member=member, camera_id=camera_id)
    form = CameraLogForm(request.POST)
    status = None
    if form.is_valid():
        data = form.cleaned_data
        _, status = _attempt(
            form,
            lambda: services.camera_log_record(
                actor=member, camera=found, version=data["version"], status=data["status"], note=data["note"]
            ),
        )
        if status is None:
            messages.success(request, "已记录维护。")
            return redirect("fieldwork:camera", camera_id=found.pk)
    context = {
        "camera": found,
        "log": list(selectors.camera_log(camera=found)[:50]),
        "form": form,
        "may_manage": True,
    }
    return TemplateResponse(request, "fieldwork/camera.html", context, status=status or 422)


@member_required(MANAGE)
def camera_edit(request, camera_id: int):
    member = request.member
    found = selectors.camera_get(member=member, camera_id=camera_id)
    initial = {
        "version": found.version,
        "name": found.name,
        "region": found.region.code,
        "lat": found.lat,
        "lng": found.lng,
        "unit": found.unit_id,
        "owner": "" if found.unit_id else found.owner,
    }
    form, status = CameraForm(request.POST or None, member=member, initial=initial, editing=True), None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _, status = _attempt(
            form,
            lambda: services.camera_update(
                actor=member,
                camera=found,
                version=data["version"] or 0,
                name=data["name"],
                lat=data["lat"],
                lng=data["lng"],
                region=data["region"],
                unit=data["unit"],
                owner=data["owner"],
            ),
        )
        if status is None:
            messages.success(request, "已保存。")
            return redirect("fieldwork:camera", camera_id=found.pk)
    back = reverse("fieldwork:camera", args=[found.pk])
    return _form(request, form, title=f"修改监控点 · {found.code}", back=back, status=status)


@member_required(MANAGE)
def camera_retire(request, camera_id: int):
    member = request.member
    found = selectors.camera_get(member=member, camera_id=camera_id)
    form, status = RetireForm(request.POST or None, initial={"version": found.version}), None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _, status = _attempt(
            form,
            lambda: services.camera_retire(actor=member, camera=found, version=data["version"], reason=data["reason"]),
        )
        if status is None:
            messages.success(request, f"已撤除监控点 {found.code}。")
            return redirect("fieldwork:camera", camera_id=found.pk)
    back = reverse("fieldwork:camera", args=[found.pk])
    return _form(request, form, title=f"撤除监控点 · {found.code}", back=back, status=status, grave=True)


@member_required(CITE)
@require_POST
def case_camera_cite(request, code: str):
    member = request.member
    case = case_get_visible(member=member, code=code)
    form = CiteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要引用的监控点。")
    else:
        found = selectors.camera_get(member=member, camera_id=form.cleaned_data["camera"])
        try:
            services.camera_cite(actor=member, case=case, camera=found, note=form.cleaned_data["note"])
        except DomainError as exc:
            messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms) or exc.message)
        else:
            messages.success(request, f"已引用监控点 {found.code}。")
    return redirect(reverse("cases:detail", args=[case.code]) + "#case-cameras")


@member_required(CITE)
@require_POST
def case_camera_uncite(request, code: str, camera_id: int):
    member = request.member
    case = case_get_visible(member=member, code=code)
    found = selectors.camera_get(member=member, camera_id=camera_id)
    services.camera_uncite(actor=member, case=case, camera=found)
    messages.success(request, f"已取消引用监控点 {found.code}。")
    return redirect(reverse("cases:detail", args=[case.code]) + "#case-cameras")


@member_required(TEAMS)
def team_new(request):
    member = request.member
    form, status = TeamForm(request.POST or None, member=member), None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _, status = _attempt(
            form, lambda: services.patrol_team_create(actor=member, region=data["region"], name=data["name"])
        )
        if status is None:
            messages.success(request, f"已组建 {data['name']}。")
            return redirect("fieldwork:patrols")
    return _form(request, form, title="组建巡防队", back=reverse("fieldwork:patrols"), status=status)


@member_required(TEAMS)
def team_edit(request, team_id: int):
    member = request.member
    team = selectors.team_get(member=member, team_id=team_id)
    initial = {"version": team.version, "name": team.name, "region": team.region.code}
    form, status = TeamForm(request.POST or None, member=member, initial=initial), None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _, status = _attempt(
            form,
            lambda: services.patrol_team_update(
                actor=member, team=team, version=data["version"] or 0, name=data["name"], region=data["region"]
            ),
        )
        if status is None:
            messages.success(request, "已保存。")
            return redirect("fieldwork:patrols")
    return _form(request, form, title=f"修改巡防队 · {team.name}", back=reverse("fieldwork:patrols"), status=status)


@member_required(TEAMS)
def team_retire(request, team_id: int):
    member = request.member
    team = selectors.team_get(member=member, team_id=team_id)
    form, status = RetireForm(request.POST or None, initial={"version": team.version}), None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _, status = _attempt(
            form,
            lambda: services.patrol_team_retire(
                actor=member, team=team, version=data["version"], reason=data["reason"]
            ),
        )
        if status is None:
            messages.success(request, f"已撤销 {team.name}，队员已全部离岗。")
            return redirect("fieldwork:patrols")
    back = reverse("fieldwork:patrols")
    return _form(request, form, title=f"撤销巡防队 · {team.name}", back=back, status=status, grave=True)
