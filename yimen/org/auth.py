"""API authentication: a bearer token resolves to the caller's active membership."""

from ninja.security import HttpBearer

from yimen.core.errors import NotFound
from yimen.core.schemas import parse_id
from yimen.org.selectors import active_membership
from yimen.org.services import token_user

SEAT_HEADER = "X-Yimen-Member"


class BearerAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token: str):
        user = token_user(token)
        if user is None:
            return None
        sent = request.headers.get(SEAT_HEADER)
        asked = None if sent is None else parse_id(sent, field=SEAT_HEADER)
        member = active_membership(user, asked)
        if asked is not None and (member is None or member.pk != asked):
            # Never act quietly in another seat than the one asked for.
            raise NotFound("您没有该席位（X-Yimen-Member）。", errors={SEAT_HEADER: ["不是您的席位。"]})
        request.user = user
        request.member = member
        # An account with no seat is still authenticated; permission checks refuse it (403).
        return member or user
