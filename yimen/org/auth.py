"""API authentication: a bearer token resolves to the caller's active membership."""

from ninja.security import HttpBearer

from yimen.core.errors import NotAllowed, NotFound
from yimen.core.schemas import parse_id
from yimen.org.otp import second_factor_required
from yimen.org.selectors import choose_seat, memberships_of
from yimen.org.services import token_find

OTP_TOKEN_REQUIRED = "该账号须使用动态口令：请提供用户名、密码和动态口令（otp）重新申请令牌。"

SEAT_HEADER = "X-Yimen-Member"


class BearerAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token: str):
        found = token_find(token)
        if found is None:
            return None
        user = found.user
        seats = list(memberships_of(user))
        # A token issued without the second factor (before the policy was switched on, or before
        # the user was given an administrator's or revealing seat) no longer opens the API.
        if not found.otp_verified and second_factor_required(seats):
            raise NotAllowed(OTP_TOKEN_REQUIRED, code="otp_required")
        sent = request.headers.get(SEAT_HEADER)
        asked = None if sent is None else parse_id(sent, field=SEAT_HEADER)
        member = choose_seat(seats, asked)
        if asked is not None and (member is None or member.pk != asked):
            # Never act quietly in another seat than the one asked for.
            raise NotFound("您没有该席位（X-Yimen-Member）。", errors={SEAT_HEADER: ["不是您的席位。"]})
        request.user = user
        request.member = member
        # DELETE /auth/token revokes the very token the request presented.
        request.api_token = found
        # An account with no seat is still authenticated; permission checks refuse it (403).
        return member or user
