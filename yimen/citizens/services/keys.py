"""Open311 API keys (issue 19 part 5): GeoReport v2 lets a client post requests with an
`api_key` the jurisdiction issued. The centre's dispatcher or leader issues and revokes them
(permission open311.keys); each step is audited; only the key's SHA-256 digest is stored, and
the key is shown once. A revoked key is refused like an unknown one."""

import secrets

from django.db import transaction
from django.utils import timezone

from yimen.citizens.models import Open311Key
from yimen.core.crypto import token_digest
from yimen.core.errors import Invalid, NotFound
from yimen.core.permissions import require_permission
from yimen.org.models import Membership
from yimen.org.services import audit_as

PERM = "open311.keys"


@transaction.atomic
def open311_key_issue(*, actor: Membership, name: str, ip: str = "") -> tuple[Open311Key, str]:
    """Issue a key to a named client (GeoReport v2 api_key); returns the row and the raw key,
    which is never stored or shown again."""
    require_permission(actor, PERM)
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise Invalid("请填写使用方（最多 60 个字）。", errors={"name": ["请填写使用方，最多 60 个字。"]})
    raw = "y311_" + secrets.token_urlsafe(24)
    key = Open311Key.objects.create(name=name, digest=token_digest(raw), prefix=raw[5:13], issued_by=actor.user)
    audit_as(actor, action="open311_key_issue", target=f"open311key:{key.pk}", ip=ip, detail={"name": name})
    return key, raw


@transaction.atomic
def open311_key_revoke(*, actor: Membership, key: Open311Key, ip: str = "") -> Open311Key:
    """Revoke a key at once: the client's next request is refused (403)."""
    require_permission(actor, PERM)
    if not Open311Key.objects.filter(pk=key.pk).exists():
        raise NotFound("未找到该密钥。")
    Open311Key.objects.filter(pk=key.pk, revoked_at=None).update(revoked_at=timezone.now())
    audit_as(actor, action="open311_key_revoke", target=f"open311key:{key.pk}", ip=ip, detail={"name": key.name})
    key.refresh_from_db()
    return key


def open311_key_use(raw: str) -> Open311Key | None:
    """The live key a request presents, its use stamped; None for an unknown or revoked key.
    Called inside the request's service transaction."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    key = Open311Key.objects.filter(digest=token_digest(raw.strip()), revoked_at=None).first()
    if key is not None:
        Open311Key.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key
