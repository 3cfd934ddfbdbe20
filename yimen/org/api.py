"""API: authentication and units (API.md "Auth", "Units")."""

from datetime import datetime
from typing import Literal

from django.contrib.auth import authenticate
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from yimen.core import audit
from yimen.core.errors import DomainError, Invalid, NotAllowed
from yimen.core.models import AuditEntry, User
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, ErrorOut, refuse_unknown_query
from yimen.geo.models import Region
from yimen.org.models import Unit
from yimen.org.otp import otp_verify, second_factor_required
from yimen.org.selectors import memberships_of, units_list
from yimen.org.services import token_issue, token_revoke, user_tokens_revoke
from yimen.org.views.auth import client_ip, lockout_message

router = Router(tags=["认证与单位"])


class TokenIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=256)
    otp: str | None = Field(
        None,
        max_length=20,
        description="动态口令（手机上的 6 位数字）或一个恢复码。安全策略要求动态口令时，"
        "系统管理员、安全管理员、安全审计员和可查看身份证号与电话的角色必填。",
    )


class UnitRef(Schema):
    code: str
    name: str


class MembershipOut(Schema):
    unit: UnitRef
    role: str


class UserOut(Schema):
    username: str
    name: str
    memberships: list[MembershipOut]


class TokenOut(Schema):
    token: str
    expires_at: datetime
    user: UserOut


class RevokedOut(Schema):
    revoked: int


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    region: str = Field(..., alias="region.code")


class Unauthenticated(DomainError):
    status = 401
    code = "bad_credentials"


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 423: ErrorOut, 429: ErrorOut},
    summary="用户名、密码（及动态口令）换取令牌",
)
def token(request, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # The lockout response itself comes from django-axes' middleware (423, audited).
        return Status(423, {"detail": lockout_message(), "code": "locked", "errors": {}})
    if user is None:
        audit.record(
            action="login_failed", username=payload.username, ip=client_ip(request), result=AuditEntry.Result.FAILURE
        )
        raise Unauthenticated("用户名或密码错误。")
    seats = list(memberships_of(user))
    if not seats:
        raise NotAllowed("该账号没有任职，无法使用系统。", code="no_membership")
    second_factor = second_factor_required(seats)
    if second_factor:
        if not payload.otp:
            raise Unauthenticated("该账号须使用动态口令：请同时提供 otp（6 位动态口令或恢复码）。", code="otp_required")
        try:
            otp_verify(user=user, code=payload.otp, ip=client_ip(request), purpose="token")
        except Invalid as exc:  # a wrong code is a bad credential, like a wrong password
            raise Unauthenticated(exc.message, code=exc.code) from None
    issued, expires_at = token_issue(member=seats[0], ip=client_ip(request), second_factor=second_factor)
    return {
        "token": issued,
        "expires_at": expires_at,
        "user": {"username": user.username, "name": user.name, "memberships": seats},
    }


@router.delete("/auth/token", response={204: None, 401: ErrorOut}, summary="注销当前令牌（退出）")
def token_logout(request):
    token_revoke(token=request.api_token, member=request.member, ip=client_ip(request))
    return Status(204, None)


@router.delete(
    "/users/{username}/tokens", response={200: RevokedOut, **ERRORS}, summary="吊销某账号的全部令牌（系统管理员）"
)
def user_tokens(request, username: str):
    require_permission(request.member, "user.manage")
    if "\x00" in username:  # PostgreSQL text cannot hold NUL, and no username does
        raise Http404
    user = get_object_or_404(User, username=username)
    return {"revoked": user_tokens_revoke(actor=request.member, user=user, ip=client_ip(request))}


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="单位列表")
def units(request, kind: Literal[tuple(Unit.Kind.values)] | None = None, region: str | None = None):
    require_permission(request.member, "unit.view")
    refuse_unknown_query(request, ("kind", "region"))
    scope = get_object_or_404(Region, code=region) if region else None
    return list(units_list(kind=kind, region=scope))
