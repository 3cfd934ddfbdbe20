"""Unit directory pages (1+6+N) with their staff."""

from django.shortcuts import get_object_or_404, render

from yimen.core.permissions import member_required
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
