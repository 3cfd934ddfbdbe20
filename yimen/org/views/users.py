"""User administration for the system administrator (系统管理员, 三员分立)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from yimen.core.errors import DomainError
from yimen.core.models import ApiToken, User
from yimen.core.permissions import member_required
from yimen.geo.models import Region
from yimen.org import otp, services
from yimen.org.forms import PasswordForm, SeatForm, UserCreateForm, add_service_errors
from yimen.org.models import Membership, Unit
from yimen.org.views.auth import client_ip


@member_required("user.manage")
def user_list(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.member, **form.cleaned_data)
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已创建用户 {user.username}，请为其分配任职。")
            return redirect("org:user_detail", username=user.username)
    q = request.GET.get("q", "").strip()
    users = User.objects.order_by("username")
    if q:
        users = users.filter(username__icontains=q) | users.filter(name__icontains=q)
    users = users.prefetch_related("memberships__unit")[:200]
    return render(request, "org/user_list.html", {"users": users, "form": form, "q": q})


def _detail(request, user: User, status: int = 200, **forms):
    seats = user.memberships.select_related("unit", "jurisdiction").order_by("-is_active", "id")
    context = {
        "account": user,
        "seats": seats,
        "password_form": PasswordForm(),
        "seat_form": SeatForm(),
        "otp_device": otp.confirmed_device(user),
        "live_tokens": ApiToken.objects.live().filter(user=user).count(),
        **forms,
    }
    return render(request, "org/user_detail.html", context, status=status)


@member_required("user.manage")
def user_detail(request, username: str):
    return _detail(request, get_object_or_404(User, username=username))


def _act(request, username: str, form_class, action, form_key: str):
    user = get_object_or_404(User, username=username)
    form = form_class(request.POST) if form_class else None
    if form is None or form.is_valid():
        try:
            message = action(user, form.cleaned_data if form else None)
        except DomainError as exc:
            if form is None:
                messages.error(request, exc.message)
                return redirect("org:user_detail", username=username)
            add_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("org:user_detail", username=username)
    return _detail(request, user, status=422, **{form_key: form})


@member_required("user.manage")
@require_POST
def user_password(request, username: str):
    def act(user, data):
        services.user_set_password(actor=request.member, user=user, password=data["password"])
        return "密码已更新。"

    return _act(request, username, PasswordForm, act, "password_form")


@member_required("user.manage")
@require_POST
def user_active(request, username: str):
    def act(user, _):
        active = request.POST.get("active") == "true"
        services.user_set_active(actor=request.member, user=user, active=active)
        return "账号已启用。" if active else "账号已停用。"

    return _act(request, username, None, act, "")


@member_required("user.manage")
@require_POST
def seat_grant(request, username: str):
    def act(user, data):
        unit = Unit.objects.filter(code=data["unit"]).select_related("region").first()
        if unit is None:
            raise services.Invalid("单位不存在。", errors={"unit": ["没有这个单位代码。"]})
        area = Region.objects.filter(code=data["jurisdiction"]).first() if data["jurisdiction"] else unit.region
        if area is None:
            raise services.Invalid("区划不存在。", errors={"jurisdiction": ["没有这个区划代码。"]})
        seat = services.membership_grant(
            actor=request.member, user=user, unit=unit, role=data["role"], jurisdiction=area
        )
        return f"已任命：{seat.unit.name} · {seat.get_role_display()}。"

    return _act(request, username, SeatForm, act, "seat_form")


@member_required("user.manage")
@require_POST
def seat_revoke(request, username: str, seat_id: int):
    def act(user, _):
        seat = get_object_or_404(Membership, id=seat_id, user=user, is_active=True)
        services.membership_revoke(actor=request.member, seat=seat)
        return f"已免去：{seat.unit.name} · {seat.get_role_display()}。"

    return _act(request, username, None, act, "")


@member_required("user.manage")
@require_POST
def user_otp_reset(request, username: str):
    def act(user, _):
        otp.otp_reset(actor=request.member, user=user, ip=client_ip(request))
        return "动态口令与恢复码已重置，该用户下次登录时重新绑定。"

    return _act(request, username, None, act, "")


@member_required("user.manage")
@require_POST
def user_tokens_revoke(request, username: str):
    def act(user, _):
        count = services.user_tokens_revoke(actor=request.member, user=user, ip=client_ip(request))
        return f"已吊销 {count} 个接口令牌。" if count else "该账号没有有效的接口令牌。"

    return _act(request, username, None, act, "")
