from django.shortcuts import render

from yimen.core.permissions import member_required


@member_required("calendar.view")
def calendar(request):
    return render(request, "home.html")
