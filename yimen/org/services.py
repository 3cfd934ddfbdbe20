"""State changes for accounts, units and memberships. Each writes its audit entry in the same
transaction (网络安全法 art. 21: user, role and unit changes are logged)."""

import secrets
from datetime import datetime, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yimen.core import audit
from yimen.core.crypto import token_digest
from yimen.core.errors import Conflict, Invalid
from yimen.core.models import ApiToken, User
from yimen.core.permissions import require_permission
from yimen.core.security import current_policy
from yimen.geo.models import Region
from yimen.org.models import Membership, Unit
from yimen.org.roles import Role


def audit_as(member: Membership | None, **fields) -> None:
    """Record an audit entry in the name of a member (their user and unit)."""
    if member is not None:
        fields.setdefault("actor", member.user)
        fields.setdefault("unit_code", member.unit.code)
        fields.setdefault("unit_name", member.unit.name)
    audit.record(**fields)


@transaction.atomic
def token_issue(*, member: Membership, ip: str, second_factor: bool) -> tuple[str, datetime]:
    """Issue an expiring API bearer token (等保: sessions and tokens expire; the lifetime is the
    security policy's). Only the digest is stored; the token is shown once. `second_factor`
    records that a TOTP or recovery code was checked for it (org.otp): the API refuses a
    token without it to a user who needs the second factor."""
    token = secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(hours=current_policy().token_hours)
    ApiToken.objects.create(
        digest=token_digest(token), user=member.user, expires_at=expires_at, otp_verified=second_factor
    )
    audit_as(member, action="token_issue", target=f"user:{member.user.username}", ip=ip)
    return token, expires_at


def token_find(token: str) -> ApiToken | None:
    """The live token a bearer string names, with its user, or None for an unknown, revoked or
    expired token or a disabled account."""
    found = ApiToken.objects.live().filter(digest=token_digest(token)).select_related("user").first()
    return found if found and found.user.is_active else None


def _audit_user(actor: Membership | None, user: User, **fields) -> None:
    """Audit in the actor's name, or in the user's own when no seat acts (a token's holder
    without a seat, a lockout)."""
    if actor is None:
        fields.setdefault("actor", user)
    audit_as(actor, target=f"user:{user.username}", **fields)


@transaction.atomic
def token_revoke(*, token: ApiToken, member: Membership | None, ip: str) -> None:
    """退出: the holder ends the token it presents (DELETE /auth/token; 等保 level 3: a session,
    and so a token, can be ended by its user). Revoking a token already ended changes nothing."""
    ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now())
    _audit_user(member, token.user, action="token_revoke", ip=ip, detail={"token": token.pk})


# Why a user's tokens were all revoked, as the audit entry names it.
REVOKE_REASONS = {
    "password": "密码已更改",
    "disabled": "账号已停用",
    "locked": "账号因连续登录失败被锁定",
    "admin": "系统管理员吊销",
    "otp_reset": "动态口令已重置",
}


def _revoke_live(user: User) -> int:
    return ApiToken.objects.live().filter(user=user).update(revoked_at=timezone.now())


@transaction.atomic
def tokens_revoke_for(*, user: User, reason: str, actor: Membership | None = None, ip: str = "") -> int:
    """End every live token of a user whose credentials changed or whose account was stopped
    (issue 12 item 7: a password change, a disable or a lockout must not leave a token working).
    Audited with the reason and the count when any token was live; returns the count."""
    count = _revoke_live(user)
    if count:
        detail = {"reason": reason, "count": count}
        _audit_user(actor, user, action="tokens_revoke", purpose=REVOKE_REASONS[reason], ip=ip, detail=detail)
    return count


@transaction.atomic
def user_tokens_revoke(*, actor: Membership, user: User, ip: str = "") -> int:
    """系统管理员 ends every live API token of an account (a lost phone, a leaked script). Audited
    even when none was live, so the auditor sees the request was made."""
    require_permission(actor, "user.manage")
    count = _revoke_live(user)
    detail = {"reason": "admin", "count": count}
    _audit_user(actor, user, action="tokens_revoke", purpose=REVOKE_REASONS["admin"], ip=ip, detail=detail)
    return count


def _field_errors(exc: ValidationError, field: str) -> Invalid:
    return Invalid("提交的内容有误。", errors={field: list(exc.messages)})


@transaction.atomic
def user_create(*, actor: Membership, username: str, name: str, password: str) -> User:
    """系统管理员 creates an account (三员分立: only sysadmin manages users). The password must
    meet the 等保 rule (≥ 8 characters from 3 classes)."""
    require_permission(actor, "user.manage")
    if User.objects.filter(username=username).exists():
        raise Invalid("用户名已存在。", errors={"username": ["该用户名已被使用。"]})
    user = User(username=username, name=name)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise _field_errors(exc, "password") from None
    user.set_password(password)
    user.save()
    audit_as(actor, action="user_create", target=f"user:{username}")
    return user


@transaction.atomic
def user_set_password(*, actor: Membership, user: User, password: str) -> User:
    """系统管理员 sets a new password (e.g. the first one for a grid worker); the account's API
    tokens end with the old password."""
    require_permission(actor, "user.manage")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise _field_errors(exc, "password") from None
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_as(actor, action="user_set_password", target=f"user:{user.username}")
    # The web sessions end by themselves (Django checks the password hash in each session).
    tokens_revoke_for(user=user, reason="password", actor=actor)
    return user


@transaction.atomic
def user_set_active(*, actor: Membership, user: User, active: bool) -> User:
    """系统管理员 disables or re-enables an account; disabling revokes the account's tokens."""
    require_permission(actor, "user.manage")
    if user.pk == actor.user_id and not active:
        raise Invalid("不能停用自己的账号。", errors={"active": ["不能停用自己的账号。"]})
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_as(actor, action="user_enable" if active else "user_disable", target=f"user:{user.username}")
    if not active:
        tokens_revoke_for(user=user, reason="disabled", actor=actor)
    return user


@transaction.atomic
def membership_grant(*, actor: Membership, user: User, unit: Unit, role: str, jurisdiction: Region) -> Membership:
    """系统管理员 gives a user a seat in a unit with a role over a jurisdiction inside the unit's."""
    require_permission(actor, "user.manage")
    if role not in Role.values:
        raise Invalid("角色不正确。", errors={"role": ["请选择一个角色。"]})
    if not jurisdiction.is_within(unit.region):
        raise Invalid("管辖范围须在单位辖区之内。", errors={"jurisdiction": [f"须在“{unit.region.name}”之内。"]})
    if Membership.objects.filter(user=user, unit=unit, role=role, is_active=True).exists():
        raise Invalid("该任职已存在。", errors={"role": ["该用户在此单位已有这个角色。"]})
    seat = Membership.objects.create(user=user, unit=unit, role=role, jurisdiction=jurisdiction)
    audit_as(actor, action="membership_grant", target=f"user:{user.username}", detail={"unit": unit.code, "role": role})
    return seat


@transaction.atomic
def membership_revoke(*, actor: Membership, seat: Membership) -> Membership:
    """系统管理员 ends a seat; the record stays for the history of who acted as what."""
    require_permission(actor, "user.manage")
    seat.is_active = False
    seat.save(update_fields=["is_active"])
    detail = {"unit": seat.unit.code, "role": seat.role}
    audit_as(actor, action="membership_revoke", target=f"user:{seat.user.username}", detail=detail)
    return seat


@transaction.atomic
def unit_update(*, actor: Membership, unit: Unit, version: int, name: str, phone: str, is_active: bool) -> Unit:
    """系统管理员 edits a unit. A stale version (someone saved in between) is refused."""
    require_permission(actor, "unit.manage")
    if not name.strip():
        raise Invalid("名称不能为空。", errors={"name": ["请填写单位名称。"]})
    moved = Unit.objects.filter(pk=unit.pk, version=version).update(
        name=name.strip(), phone=phone.strip(), is_active=is_active, version=F("version") + 1
    )
    if moved != 1:
        raise Conflict("该单位已被他人修改，请刷新后重新编辑。", code="stale_version")
    audit_as(actor, action="unit_update", target=f"unit:{unit.code}", detail={"name": name, "active": is_active})
    unit.refresh_from_db()
    return unit
