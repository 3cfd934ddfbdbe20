"""The audit log: record() appends one chained entry; verify() walks the chain."""

import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from yimen.core.crypto import audit_key, hmac_sm3
from yimen.core.models import AuditEntry, AuditHead, User

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "seq", "at", "actor_username", "unit_code", "unit_name", "action",
    "target", "purpose", "ip", "result", "detail",
)  # fmt: skip


def entry_digest(entry: AuditEntry, prev_digest: str) -> str:
    content = {name: getattr(entry, name) for name in CHAINED_FIELDS}
    content["at"] = entry.at.isoformat(timespec="microseconds")
    payload = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hmac_sm3(audit_key(), (prev_digest + payload).encode())


@transaction.atomic
def record(
    *,
    action: str,
    actor: User | None = None,
    username: str = "",
    unit_code: str = "",
    unit_name: str = "",
    target: str = "",
    purpose: str = "",
    ip: str = "",
    result: str = AuditEntry.Result.SUCCESS,
    detail: dict | None = None,
) -> AuditEntry:
    """Append one entry to the audit log (网络安全法 art. 21; 个人信息保护法 art. 56 for reveals
    and exports). The chain tip is locked so that concurrent writers cannot fork the chain."""
    AuditHead.objects.get_or_create(id=1)
    head = AuditHead.objects.select_for_update().get(id=1)
    entry = AuditEntry(
        seq=head.seq + 1,
        at=timezone.now(),
        actor=actor,
        actor_username=actor.username if actor else username,
        unit_code=unit_code,
        unit_name=unit_name,
        action=action,
        target=target[:200],
        purpose=purpose[:500],
        ip=ip,
        result=result,
        detail=detail or {},
        prev_digest=head.digest,
    )
    entry.digest = entry_digest(entry, head.digest)
    entry.save()
    head.seq, head.digest = entry.seq, entry.digest
    head.save(update_fields=["seq", "digest"])
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None  # seq of the first entry that does not verify
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(batch: int = 2000) -> ChainReport:
    """Walk the whole chain in order: every digest, every link, no gap in seq, and the tip."""
    prev, expected_seq, checked = GENESIS, 1, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch):
        if entry.seq != expected_seq:
            return ChainReport(checked, expected_seq, "序号缺失（有记录被删除）")
        if entry.prev_digest != prev or entry_digest(entry, prev) != entry.digest:
            return ChainReport(checked, entry.seq, "摘要不符（记录被篡改）")
        prev, expected_seq, checked = entry.digest, expected_seq + 1, checked + 1
    head = AuditHead.objects.filter(id=1).first()
    if head and (head.seq != checked or head.digest != prev):
        return ChainReport(checked, checked + 1, "链尾不符（末尾记录被删除）")
    return ChainReport(checked, None)
