"""What the field verbs share: the outbox's idempotency (one record per user and key, whatever
the number of retries) and the scope checks of the grid roles."""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction

from yimen.core.errors import Conflict, Invalid
from yimen.fieldwork.models import Submission
from yimen.geo.models import Region
from yimen.org.models import Membership

OUTSIDE = "不存在或不在您负责的网格内。"


@dataclass(frozen=True)
class Submitted:
    object_id: int
    created: bool  # False: a retried sync; the first answer stands


def body_hash(fields: dict) -> str:
    def plain(value: Any) -> str:
        if isinstance(value, date | datetime):
            return value.isoformat()
        if isinstance(value, bytes):
            return hashlib.sha256(value).hexdigest()
        return str(getattr(value, "pk", value))

    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=plain)
    return hashlib.sha256(payload.encode()).hexdigest()


def submit_once(*, actor: Membership, key: str, kind: str, fields: dict, make: Callable[[], int]) -> Submitted:
    """Run `make` (which returns the new record's id) once per (user, key). A retry with the same
    body returns the first record; the same key with another body is refused (409), as for
    POST /cases (API.md: Idempotency-Key). Call inside the verb's transaction."""
    key = (key or "").strip()
    if not key or len(key) > 100:
        raise Invalid("缺少有效的 Idempotency-Key。", errors={"Idempotency-Key": ["须为 1–100 个字符。"]})
    digest = body_hash({"kind": kind, **fields})
    try:
        with transaction.atomic():
            claim = Submission.objects.create(user=actor.user, key=key, kind=kind, request_hash=digest)
    except IntegrityError:
        found = Submission.objects.get(user=actor.user, key=key)
        if found.request_hash != digest:
            raise Conflict(
                "该 Idempotency-Key 已用于另一份内容，请为新的提交使用新的键。", code="idempotency_key_reused"
            ) from None
        if found.object_id is None:
            raise Conflict("同一提交正在处理中，请稍后重试。", code="idempotency_in_progress") from None
        return Submitted(found.object_id, created=False)
    claim.object_id = make()
    claim.save(update_fields=["object_id"])
    return Submitted(claim.object_id, created=True)


def in_area(actor: Membership, region: Region | None) -> bool:
    return region is not None and region.is_within(actor.jurisdiction)


def clean_text(value: str | None, field: str, label: str, limit: int, errors: dict, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.setdefault(field, []).append(f"请填写{label}。")
    elif len(value) > limit:
        errors.setdefault(field, []).append(f"{label}最多 {limit} 个字。")
    return value
