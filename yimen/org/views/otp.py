"""The second step of sign-in (动态口令): enrolment with a QR code, then a code at each sign-in.
The rules and their audit live in yimen.org.otp; these pages only ask and show."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from yimen.core.errors import DomainError
from yimen.core.permissions import member_required
from yimen.org import otp
from yimen.org.forms import OtpForm, add_service_errors
from yimen.org.views.auth import SESSION_OTP_NEXT, client_ip


def _passed(request) -> str:
    """Mark this session as having given the second factor, under a new session key (the
    session's privileges change, so its old key must not open it)."""
    next_url = request.session.pop(SESSION_OTP_NEXT, "/")
    request.session.cycle_key()
    request.session[otp.SESSION_VERIFIED] = True
    return next_url


def _submit(request, form: OtpForm, step) -> tuple[bool, object, int]:
    """Runs an OTP step on a posted code: (done, its result, status). A refusal shows on the form
    with the service's status; a malformed code is 422; a plain GET is not done, 200."""
    if request.method != "POST":
        return False, None, 200
    if not form.is_valid():
        return False, None, 422
    try:
        return True, step(user=request.user, code=form.cleaned_data["code"], ip=client_ip(request)), 200
    except DomainError as exc:
        add_service_errors(form, exc)
        return False, None, exc.status


@member_required(None)
@never_cache
def otp_verify(request):
    if not request.otp_pending:
        return redirect("home")
    if otp.confirmed_device(request.user) is None:
        return redirect("otp_enrol")
    form = OtpForm(request.POST or None)
    done, kind, status = _submit(request, form, otp.otp_verify)
    if done:
        if kind == "recovery":
            left = otp.recovery_codes_left(request.user)
            messages.warning(request, f"已使用一个恢复码，还剩 {left} 个。手机丢失时请联系系统管理员重置动态口令。")
        return redirect(_passed(request))
    return render(request, "registration/otp_verify.html", {"form": form, "menu": []}, status=status)


@member_required(None)
@never_cache
def otp_enrol(request):
    if not request.otp_pending:
        return redirect("home")
    if otp.confirmed_device(request.user) is not None:
        return redirect("otp_verify")
    device = otp.otp_enrol_begin(user=request.user, ip=client_ip(request))
    form = OtpForm(request.POST or None)
    done, codes, status = _submit(request, form, otp.otp_enrol_confirm)
    if done:
        context = {"codes": codes, "next": _passed(request), "menu": []}
        return render(request, "registration/otp_recovery.html", context)
    context = {
        "form": form,
        "menu": [],
        "qr": otp.qr_data_uri(device),
        "secret": otp.secret_text(device),
    }
    return render(request, "registration/otp_enrol.html", context, status=status)
