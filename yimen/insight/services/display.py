"""大屏令牌: read-only grants for the big screen in a hall (issue 12 item 8). A leader issues one
for their own seat, a hall PC opens the screen with it once, and it works until it expires or
anyone in the issuing unit who may issue revokes it. Every step is audited."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from yimen.core.crypto import token_digest
from yimen.core.errors import Invalid, NotFound
from yimen.core.permissions import require_permission
from yimen.insight.models import DisplayToken
from yimen.org.models import Membership
from yimen.org.services import audit_as

MAX_DAYS = 90  # a hall screen is re-issued at least once a quarter


@transaction.atomic
def display_token_issue(*, actor: Membership, label: str, days: int) -> tuple[DisplayToken, str]:
    """A leader issues a display grant for their own seat, valid 1–MAX_DAYS days. The token is
    shown once; only its digest is kept."""
    require_permission(actor, "display.issue")
    label = (label or "").strip()
    if not label or len(label) > 50:
        raise Invalid("请填写名称（最多 50 个字）。", errors={"label": ["请填写名称，最多 50 个字。"]})
    if not 1 <= days <= MAX_DAYS:
        raise Invalid("有效期不正确。", errors={"days": [f"有效期为 1 至 {MAX_DAYS} 天。"]})
    raw = secrets.token_urlsafe(24)
    token = DisplayToken.objects.create(
        digest=token_digest(raw), member=actor, label=label, expires_at=timezone.now() + timedelta(days=days)
    )
    audit_as(actor, action="display_token_issue", target=f"display:{token.pk}", detail={"label": label, "days": days})
    return token, raw


@transaction.atomic
def display_token_revoke(*, actor: Membership, token: DisplayToken) -> DisplayToken:
    """End a display grant of one's own unit; the screen showing it goes to the token form on
    its next refresh."""
    require_permission(actor, "display.issue")
    if token.member.unit_id != actor.unit_id:
        raise NotFound("未找到该大屏令牌。")
    DisplayToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now())
    audit_as(actor, action="display_token_revoke", target=f"display:{token.pk}", detail={"label": token.label})
    token.refresh_from_db()
    return token


@transaction.atomic
def display_open(*, raw: str, ip: str) -> DisplayToken:
    """A hall PC presents a display token; a live one opens the screen (audited as the issuer's
    grant being used), anything else is refused alike."""
    found = DisplayToken.objects.live().filter(digest=token_digest(raw)).select_related("member__unit").first()
    if found is None:
        raise Invalid("大屏令牌无效、已过期或已吊销。", errors={"token": ["大屏令牌无效、已过期或已吊销。"]})
    audit_as(found.member, action="display_open", target=f"display:{found.pk}", ip=ip, detail={"label": found.label})
    return found
