from django.shortcuts import render

from yimen.core.permissions import member_required


@member_required("security.manage")
def security_policy(request):
    return render(request, "home.html")
