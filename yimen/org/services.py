"""State changes for accounts, units and memberships. Each writes its audit entry in the same
transaction (网络安全法 art. 21: user, role and unit changes are logged)."""

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from yimen.core import audit
from yimen.core.crypto import token_digest
from yimen.core.models import ApiToken, User
from yimen.core.security import current_policy
from yimen.org.models import Membership


def audit_as(member: Membership | None, **fields) -> None:
    """Record an audit entry in the name of a member (their user and unit)."""
    if member is not None:
        fields.setdefault("actor", member.user)
        fields.setdefault("unit_code", member.unit.code)
        fields.setdefault("unit_name", member.unit.name)
    audit.record(**fields)


@transaction.atomic
def token_issue(*, member: Membership, ip: str) -> tuple[str, datetime]:
    """Issue an expiring API bearer token (等保: sessions and tokens expire; the lifetime is the
    security policy's). Only the digest is stored; the token is shown once."""
    token = secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(hours=current_policy().token_hours)
    ApiToken.objects.create(digest=token_digest(token), user=member.user, expires_at=expires_at)
    audit_as(member, action="token_issue", target=f"user:{member.user.username}", ip=ip)
    return token, expires_at


def token_user(token: str) -> User | None:
    """The user a live token belongs to, or None for an unknown, revoked or expired token."""
    found = (
        ApiToken.objects.filter(digest=token_digest(token), revoked_at=None, expires_at__gt=timezone.now())
        .select_related("user")
        .first()
    )
    return found.user if found and found.user.is_active else None
