"""The second factor (等保2.0 level 3, 身份鉴别: privileged users authenticate with two kinds of
factor; DESIGN §3: django-otp TOTP for the administrators and the reveal roles).

Who needs it is a rule (roles.needs_second_factor) switched by the security policy
(SecurityPolicy.totp_required). A user enrols one TOTP device (an authenticator app) and gets
RECOVERY_CODES one-time recovery codes (django-otp's static device). Wrong codes count on the
devices' django-otp throttling (a growing wait between tries) and, after the policy's failure
limit in a row, lock the second step for the policy's lockout minutes. Every enrolment, check,
use of a recovery code and reset is audited."""

import base64
import re
from collections.abc import Iterable
from datetime import timedelta

import segno
from django.db import transaction
from django.utils import timezone
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from yimen.core.errors import Conflict, Invalid, Locked, NotAllowed
from yimen.core.models import AuditEntry, User
from yimen.core.permissions import require_permission
from yimen.core.security import current_policy
from yimen.org.models import Membership
from yimen.org.roles import needs_second_factor
from yimen.org.selectors import memberships_of
from yimen.org.services import audit_as, tokens_revoke_for

# The session key set once the second factor was given (a fresh session at each login).
SESSION_VERIFIED = "yimen_otp_verified"
RECOVERY_CODES = 10
TOTP_CODE = re.compile(r"\d{6}")


def second_factor_required(seats: Iterable[Membership]) -> bool:
    """The policy is on and one of the user's active seats is an administrator's or may reveal.
    Any seat counts: a user may switch seats within a session."""
    return any(needs_second_factor(s.role, s.unit.kind) for s in seats) and current_policy().totp_required


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_text(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed in: base32 in groups of four."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// link as an SVG QR code in a data: URI (the CSP allows data: images; the
    QR code is drawn here, never by an outside service)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def _audit(user: User, action: str, *, ip: str, result: str = AuditEntry.Result.SUCCESS, **detail) -> None:
    seat = memberships_of(user).first()
    audit_as(seat, actor=user, action=action, target=f"user:{user.username}", ip=ip, result=result, detail=detail)


@transaction.atomic
def otp_enrol_begin(*, user: User, ip: str) -> TOTPDevice:
    """开始绑定: a user without a confirmed device gets an unconfirmed one with a fresh random
    key. Reloading the page shows the same key until it is confirmed; a user who has a device
    cannot enrol another (the system administrator resets it first)."""
    if confirmed_device(user) is not None:
        raise Conflict("已绑定动态口令；如更换手机，请联系系统管理员重置。", code="otp_enrolled")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="动态口令", confirmed=False)
        _audit(user, "otp_enrol_begin", ip=ip)
    return device


def otp_enrol_confirm(*, user: User, code: str, ip: str) -> list[str]:
    """确认绑定: the first code from the app proves the key was copied into it; then the device
    is confirmed and RECOVERY_CODES new one-time recovery codes are made and returned, to be
    shown once. A wrong code counts like one at sign-in (throttling and lockout)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None:
            raise Conflict("没有待确认的绑定，请刷新页面重新开始。", code="otp_no_pending")
        refusal = _refusal([device])
        if refusal is None and device.verify_token(_normalise(code)):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(user)
            _audit(user, "otp_enrol", ip=ip, recovery_codes=len(codes))
            return codes
        _audit(user, "otp_enrol", ip=ip, result=AuditEntry.Result.FAILURE, reason="locked" if refusal else "bad_code")
    # Raised after the block: the failure count and its audit entry stay written.
    raise refusal or Invalid("动态口令不正确，请输入手机上当前显示的 6 位数字。", errors={"code": ["动态口令不正确。"]})


def otp_verify(*, user: User, code: str, ip: str, purpose: str = "login") -> str:
    """二次验证: check the 6-digit TOTP code, or a recovery code, which is then used up (django-otp
    deletes a matched static token). Returns "totp" or "recovery". Refused while throttled or
    locked (423), for a wrong code (422; the failure counts), and for a user with no device (403).
    `purpose` says what the check opens ("login": a page session; "token": an API token)."""
    with transaction.atomic():
        totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if totp is None:
            raise NotAllowed("该账号须先在网页上绑定动态口令。", code="otp_not_enrolled")
        static = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        devices = [d for d in (totp, static) if d is not None]
        refusal = _refusal(devices)
        code = _normalise(code)
        kind = "totp" if TOTP_CODE.fullmatch(code) else "recovery"
        device = totp if kind == "totp" else static
        if refusal is None and device is not None and device.verify_token(code):
            for other in devices:  # a right code ends the run of failures on both devices
                if other.throttling_failure_count:
                    other.throttle_reset()
            if kind == "recovery":
                _audit(user, "otp_recovery_used", ip=ip, purpose=purpose, left=recovery_codes_left(user))
            else:
                _audit(user, "otp_verify", ip=ip, purpose=purpose)
            return kind
        reason = "locked" if refusal else f"bad_{kind}"
        _audit(user, "otp_verify", ip=ip, result=AuditEntry.Result.FAILURE, purpose=purpose, reason=reason)
    raise refusal or Invalid("动态口令或恢复码不正确。", code="bad_otp", errors={"code": ["动态口令或恢复码不正确。"]})


@transaction.atomic
def otp_reset(*, actor: Membership, user: User, ip: str = "") -> int:
    """重置动态口令: the system administrator removes a user's TOTP device and recovery codes (a
    lost phone); the user enrols again at the next sign-in. 三员分立: user.manage only. Returns
    the number of devices removed. The tokens issued with the lost phone's codes end with it."""
    require_permission(actor, "user.manage")
    removed = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
    removed += StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
    audit_as(actor, action="otp_reset", target=f"user:{user.username}", ip=ip, detail={"devices": removed})
    tokens_revoke_for(user=user, reason="otp_reset", actor=actor, ip=ip)
    return removed


def _normalise(code: str) -> str:
    # People type recovery codes with spaces or dashes, and in capitals as printed.
    return re.sub(r"[\s-]", "", code or "").lower()[:16]


def _refusal(devices: list) -> Locked | None:
    """Locked after the policy's failure limit in a row (for its lockout minutes from the last
    failure); otherwise throttled while django-otp's growing wait after a failure runs."""
    policy = current_policy()
    failures = sum(d.throttling_failure_count for d in devices)
    last = max((d.throttling_failure_timestamp for d in devices if d.throttling_failure_timestamp), default=None)
    if last is not None and failures >= policy.failure_limit:
        until = last + timedelta(minutes=policy.lockout_minutes)
        if timezone.now() < until:
            return Locked(
                f"动态口令连续错误 {failures} 次，第二步验证已锁定至 {timezone.localtime(until):%H:%M}，"
                "请稍后再试；如手机丢失，请联系系统管理员重置。",
                code="otp_locked",
            )
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
            wait = max(1, int((data["locked_until"] - timezone.now()).total_seconds() + 0.999))
            return Locked(f"尝试过于频繁，请 {wait} 秒后再试。", code="otp_throttled")
    return None


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
