"""API authentication: a bearer token resolves to the caller's active membership."""

from ninja.security import HttpBearer

from yimen.org.selectors import active_membership
from yimen.org.services import token_user


class BearerAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token: str):
        user = token_user(token)
        if user is None:
            return None
        member = active_membership(user, _int(request.headers.get("X-Yimen-Member")))
        request.user = user
        request.member = member
        # An account with no seat is still authenticated; permission checks refuse it (403).
        return member or user


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
