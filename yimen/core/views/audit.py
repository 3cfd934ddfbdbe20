from django.shortcuts import render

from yimen.core.permissions import member_required


@member_required("audit.view")
def audit_list(request):
    return render(request, "home.html")
