"""Unit directory pages (1+6+N) with their staff."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from yimen.core.errors import DomainError
from yimen.core.permissions import member_required
from yimen.org import services
from yimen.org.forms import UnitForm, add_service_errors
from yimen.org.models import Unit
from yimen.org.selectors import unit_staff, units_list


@member_required("unit.view")
def unit_list(request):
    kind = request.GET.get("kind") or None
    units = units_list(kind=kind if kind in Unit.Kind.values else None)
    return render(request, "org/unit_list.html", {"units": units, "kinds": Unit.Kind.choices, "kind": kind})


@member_required("unit.view")
def unit_detail(request, code: str):
    unit = get_object_or_404(units_list(), code=code)
    return render(request, "org/unit_detail.html", {"unit": unit, "staff": unit_staff(unit)})


@member_required("unit.manage")
def unit_edit(request, code: str):
    unit = get_object_or_404(Unit, code=code)
    initial = {"version": unit.version, "name": unit.name, "phone": unit.phone, "is_active": unit.is_active}
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.member, unit=unit, **form.cleaned_data)
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "单位信息已保存。")
            return redirect("org:unit_detail", code=unit.code)
    return render(request, "org/unit_edit.html", {"unit": unit, "form": form}, status=422 if form.errors else 200)
