"""User administration for the system administrator (系统管理员)."""

from django.shortcuts import render

from yimen.core.models import User
from yimen.core.permissions import member_required


@member_required("user.manage")
def user_list(request):
    users = User.objects.prefetch_related("memberships__unit").order_by("username")
    return render(request, "org/user_list.html", {"users": users})
