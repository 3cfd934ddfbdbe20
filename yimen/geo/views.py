from django.shortcuts import render

from yimen.core.permissions import member_required


@member_required("region.view")
def region_root(request):
    return render(request, "home.html")


@member_required("map.view")
def map_page(request):
    return render(request, "home.html")
