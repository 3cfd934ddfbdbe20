from django.shortcuts import render

from yimen.core.permissions import member_required


@member_required("calendar.view")
def calendar(request):
    return render(request, "home.html")


@member_required("security.manage")
def security_policy(request):
    return render(request, "home.html")


@member_required("audit.view")
def audit_list(request):
    return render(request, "home.html")
