"""API authentication: a bearer token resolves to the caller's active membership."""

from ninja.security import HttpBearer

from yimen.org.selectors import active_membership
from yimen.org.services import token_find


class BearerAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token: str):
        found = token_find(token)
        if found is None:
            return None
        member = active_membership(found.user, _int(request.headers.get("X-Yimen-Member")))
        request.user = found.user
        request.member = member
        # DELETE /auth/token revokes the very token the request presented.
        request.api_token = found
        # An account with no seat is still authenticated; permission checks refuse it (403).
        return member or found.user


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
