"""The audit log: record() appends one chained entry; verify() walks the chain."""

import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from yimen.core.crypto import audit_key, hmac_sm3
from yimen.core.labels import LabelRegistry
from yimen.core.models import AuditEntry, AuditHead, User

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "seq",
    "at",
    "actor_username",
    "unit_code",
    "unit_name",
    "action",
    "target",
    "purpose",
    "ip",
    "result",
    "detail",
)

# What the auditor reads for each action code, and the choices of the page's action filter. Core
# labels its own here; every other app calls register_labels() from its AppConfig.ready(). An
# unlabelled code still shows, as itself, and the API filters by any code. A fixed list rather
# than SELECT DISTINCT: that scans the whole index of a province-sized log.
ACTION_LABELS = LabelRegistry(
    "audit",
    {
        "login": "登录",
        "logout": "退出登录",
        "login_failed": "登录失败",
        "login_locked": "锁定期间尝试登录",
        "token_issue": "签发接口令牌",
        "token_revoke": "注销接口令牌",
        "tokens_revoke": "吊销账号全部接口令牌",
        "session_idle_end": "空闲超时退出",
        "display_token_issue": "签发大屏令牌",
        "display_token_revoke": "吊销大屏令牌",
        "display_open": "使用大屏令牌打开大屏",
        "user_create": "创建用户",
        "user_set_password": "设置密码",
        "user_enable": "启用账号",
        "user_disable": "停用账号",
        "membership_grant": "任命任职",
        "membership_revoke": "免去任职",
        "unit_update": "修改单位",
        "security_policy_update": "修改安全策略",
        "calendar_load": "导入节假日",
        "calendar_day_set": "设置节假日或调休",
        "calendar_day_remove": "删除节假日或调休",
        "calendar_year_mark_known": "确认年度日历",
        "audit_verify": "审计链校验",
        "field_key_rotate": "轮换字段加密密钥",
        "file_key_rotate": "附件重新加密",
        "backup_create": "数据库备份",
        "backup_prune": "清理旧备份",
        "backup_restore": "数据库恢复",
        "backup_verify": "备份恢复校验",
    },
)


def register_labels(app_labels: dict[str, str]) -> None:
    """Label the audit actions an app records (called from its AppConfig.ready())."""
    ACTION_LABELS.register(app_labels)


def action_label(action: str) -> str:
    return ACTION_LABELS.label(action)


def entry_digest(entry: AuditEntry, prev_digest: str) -> str:
    content = {name: getattr(entry, name) for name in CHAINED_FIELDS}
    content["at"] = entry.at.isoformat(timespec="microseconds")
    payload = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hmac_sm3(audit_key(), (prev_digest + payload).encode())


# No savepoint: a failure here fails the caller's whole step anyway, and an audited step
# (register, reveal, export) should not pay two extra round trips for a rollback point.
@transaction.atomic(savepoint=False)
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
    head = _locked_head()
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
    if connection.vendor == "postgresql":
        _append_postgresql(entry)
    else:
        entry.save()
        head.seq, head.digest = entry.seq, entry.digest
        head.save(update_fields=["seq", "digest"])
    return entry


def _locked_head() -> AuditHead:
    # The chain tip, locked until the caller's transaction ends. On SQLite the IMMEDIATE
    # transaction already holds the write lock (FOR UPDATE is not SQL there); on PostgreSQL one
    # short statement, written out because every audited step pays for it (issue 15's benchmark).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT seq, digest FROM {AuditHead._meta.db_table} WHERE id = 1 FOR UPDATE")  # noqa: S608
            row = cursor.fetchone()
        if row is not None:
            return AuditHead(id=1, seq=row[0], digest=row[1])
    else:
        head = AuditHead.objects.select_for_update().filter(id=1).first()
        if head is not None:
            return head
    # The first entry on a fresh (or flushed) database.
    AuditHead.objects.get_or_create(id=1)
    return AuditHead.objects.select_for_update().get(id=1)


def _append_postgresql(entry: AuditEntry) -> None:
    """Insert the entry and move the locked head to it in one statement (a data-modifying CTE):
    one round trip instead of two on every audited step. Columns and values come from the
    model's own fields, prepared as save() prepares them."""
    fields = [field for field in AuditEntry._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    values = [field.get_db_prep_save(getattr(entry, field.attname), connection) for field in fields]
    sql = (
        f"WITH moved AS (UPDATE {AuditHead._meta.db_table} SET seq = %s, digest = %s WHERE id = 1) "  # noqa: S608
        f"INSERT INTO {AuditEntry._meta.db_table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))}) RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [entry.seq, entry.digest, *values])
        entry.pk = cursor.fetchone()[0]
    entry._state.adding, entry._state.db = False, connection.alias


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None  # seq of the first entry that does not verify
    reason: str = ""
    # The digest of the last verified entry. Kept outside the database (command output, the
    # operator's notes), it exposes a truncated tail even if the head row was rewritten too.
    tip_digest: str = GENESIS

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(batch: int = 2000, *, using: str = "default") -> ChainReport:
    """Walk the whole chain in order: every digest, every link, no gap in seq, and the tip.

    The tip is read before the walk. Entries appended while the walk runs lie beyond it and
    must verify like any other, but cannot be mistaken for a truncated tail (reading the tip
    after the walk would flag every concurrent append as "末尾记录被删除"). `using` names another
    database: a backup restored into a scratch database is checked the same way."""
    head = AuditHead.objects.using(using).filter(id=1).first()
    tip_seq, tip_digest = (head.seq, head.digest) if head else (0, GENESIS)
    prev, checked = GENESIS, 0
    for entry in AuditEntry.objects.using(using).order_by("seq").iterator(chunk_size=batch):
        if entry.seq != checked + 1:
            return ChainReport(checked, checked + 1, "序号缺失（有记录被删除）", prev)
        if entry.prev_digest != prev or entry_digest(entry, prev) != entry.digest:
            return ChainReport(checked, entry.seq, "摘要不符（记录被篡改）", prev)
        if entry.seq == tip_seq and entry.digest != tip_digest:
            return ChainReport(checked, entry.seq, "链尾摘要不符（链尾记录被改写）", prev)
        prev, checked = entry.digest, checked + 1
    if checked < tip_seq:
        return ChainReport(checked, checked + 1, "链尾不符（末尾记录被删除）", prev)
    if head is None and checked:
        # record() always writes the head with the first entry: a missing head was deleted.
        return ChainReport(checked, checked + 1, "链尾记录缺失（无法确认末尾是否被删除）", prev)
    return ChainReport(checked, None, "", prev)
