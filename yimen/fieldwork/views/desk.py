"""Desk pages of grid work (1366 px, left menu): camera points on the map, patrol teams with duty
rosters and logs, and the grid workers' public signs (网格员公示牌) as printable PDFs."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from yimen.core.errors import DomainError
from yimen.core.forms import RecordsField, add_service_errors
from yimen.core.permissions import member_required
from yimen.core.schemas import parse_id
from yimen.fieldwork import selectors, services
from yimen.fieldwork.documents import sign_pdf
from yimen.fieldwork.models import Camera, PatrolDuty
from yimen.geo.models import Region
from yimen.people.models import PatrolMember

MANAGE = "fieldwork.manage"


@member_required("map.view")
def cameras(request):
    member = request.member
    rows = list(selectors.cameras(member=member))
    counts = {status: sum(1 for c in rows if c.status == status) for status in Camera.Status.values}
    context = {
        "cameras": rows,
        "counts": [(label, counts[value]) for value, label in Camera.Status.choices],
        "region": member.jurisdiction,
        "may_manage": member.has_perm("camera.manage"),
    }
    return render(request, "fieldwork/cameras.html", context)


class DutyForm(forms.Form):
    team = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    shift = forms.ChoiceField(label="班次", choices=PatrolDuty.Shift.choices)
    members = RecordsField(label="值班队员", queryset=PatrolMember.objects.none())


@member_required(MANAGE)
def patrols(request):
    member = request.member
    teams = list(selectors.teams(member=member).prefetch_related("members"))
    for team in teams:  # the town's team shows in a village for its roster, but the town keeps it
        team.keeps = team.region.is_within(member.jurisdiction)
    today = timezone.localdate()
    duties = (
        PatrolDuty.objects.filter(team__in=teams, on__gte=today, on__lte=today + timedelta(days=6))
        .select_related("team")
        .prefetch_related("members")
    )
    form = None
    if request.method == "POST":
        team = selectors.team_get(member=member, team_id=parse_id(request.POST.get("team"), field="team"))
        form = DutyForm(request.POST)
        form.fields["members"].queryset = PatrolMember.objects.filter(team=team, is_active=True)
        if form.is_valid():
            try:
                data = form.cleaned_data
                services.patrol_duty_set(
                    actor=member, team=team, on=data["on"], shift=data["shift"], members=list(data["members"])
                )
                messages.success(request, f"已排班：{team.name} {form.cleaned_data['on']}。")
                return redirect("fieldwork:patrols")
            except DomainError as exc:
                add_service_errors(form, exc)
    context = {
        "teams": teams,
        "duties": list(duties),
        "logs": list(selectors.patrol_logs(member=member)[:20]),
        "form": form,
        "today": today,
        "force": sum(len([m for m in t.members.all() if m.is_active]) for t in teams),
    }
    return render(request, "fieldwork/patrols.html", context, status=422 if form is not None and form.errors else 200)


@member_required(MANAGE)
def signs(request):
    grids = selectors.areas(member=request.member).filter(level=Region.Level.GRID)
    return render(request, "fieldwork/signs.html", {"grids": grids})


@member_required(MANAGE)
def sign(request, code: str):
    grid = selectors.area_get(member=request.member, code=code)
    body = sign_pdf(grid=grid, report_url=request.build_absolute_uri(reverse("fieldwork:report_new")))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sign-{grid.code}.pdf"'
    return response
