"""Login, logout, lockout and the home page."""

from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from yimen.core import audit
from yimen.core.models import AuditEntry, User
from yimen.core.permissions import member_required, public
from yimen.core.schemas import parse_id
from yimen.core.security import current_policy
from yimen.org.home import home_panels
from yimen.org.middleware import SESSION_MEMBER
from yimen.org.otp import second_factor_required
from yimen.org.selectors import memberships_of
from yimen.org.services import audit_as, tokens_revoke_for

# Where the password step was going, kept in the session until the second step is given.
SESSION_OTP_NEXT = "yimen_otp_next"


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def lockout_message() -> str:
    return f"连续登录失败次数过多，账号已锁定 {current_policy().lockout_minutes} 分钟，请稍后再试或联系系统管理员。"


def lockout_response(request, original_response=None, credentials=None):
    """django-axes calls this for every attempt on a locked account, right password or not."""
    username = (credentials or {}).get("username", "") or request.POST.get("username", "")
    audit.record(action="login_locked", username=username, ip=client_ip(request), result=AuditEntry.Result.DENIED)
    # A lock means someone is guessing the password: a token they may already hold ends too.
    locked = User.objects.filter(username=username).first() if "\x00" not in username else None
    if locked is not None:
        tokens_revoke_for(user=locked, reason="locked", ip=client_ip(request))
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message(), "code": "locked", "errors": {}}, status=423)
    form = AuthenticationForm(request)
    form.initial["username"] = username
    return render(request, "registration/login.html", {"form": form, "locked": lockout_message()}, status=423)


@public
@never_cache
@csrf_protect
def login_view(request):
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            login(request, user)
            seats = list(memberships_of(user))
            audit_as(seats[0] if seats else None, action="login", actor=user, ip=client_ip(request))
            if second_factor_required(seats):
                request.session[SESSION_OTP_NEXT] = next_url
                return redirect("otp_verify")
            return redirect(next_url)
        if not getattr(request, "axes_locked_out", False):
            audit.record(
                action="login_failed",
                username=request.POST.get("username", "")[:150],
                ip=client_ip(request),
                result=AuditEntry.Result.FAILURE,
            )
    return render(request, "registration/login.html", {"form": form, "next": next_url})


@public
@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        audit_as(getattr(request, "member", None), action="logout", actor=request.user, ip=client_ip(request))
    logout(request)
    return redirect("login")


@member_required(None)
def home(request):
    response = render(request, "home.html", {"seats": memberships_of(request.user), "panels": home_panels(request)})
    patch_cache_control(response, no_cache=True, no_store=True, private=True)  # the day's cases: personal data
    return response


@member_required(None)
@require_POST
def switch_seat(request):
    """Act in another of one's own seats (a person can hold seats in two units)."""
    wanted = parse_id(request.POST.get("member"), field="member")
    seat = memberships_of(request.user).filter(id=wanted).first()
    if seat:
        request.session[SESSION_MEMBER] = seat.id
    return redirect("home")
