"""Backups that restore (issue 12 item 14; 等保2.0 level 3: important data is backed up and the
backup is restored to prove it).

A backup is two files in YIMEN_BACKUP_DIR, both 0600: the database (`yimen-<time>.sqlite3`, taken
with SQLite's online backup API, which copies a consistent snapshot while the WAL database keeps
serving; or `yimen-<time>.pgdump`, pg_dump's custom format) and its manifest (`<file>.json`):
the row count of every table, the audit chain's tip and the file's SHA-256, signed with a key
derived from the audit key. The counts come from the very snapshot that was dumped (SQLite: the
backup file itself; PostgreSQL: pg_dump runs on a snapshot exported by the counting
transaction), so they match exactly however busy the database was.

The keys (field key, audit key, secret key) are never in a backup: they live in the environment
or in var/ beside the database, and a backup holds only the database. Without the field key the
ID numbers, phones and files in a backup cannot be read; without the audit key the manifest and
the audit chain cannot be checked. README "Backups" says where the operator keeps them.
"""

import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.db import connection, connections
from django.db.utils import load_backend
from django.utils import timezone

from yimen.core import audit
from yimen.core.crypto import backup_manifest_key, blind_index, hmac_sm3, sm4_decrypt
from yimen.core.errors import Conflict, DomainError
from yimen.core.models import AuditEntry
from yimen.core.sealed import sealed_columns

FORMAT = 1
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
BACKUP_NAME = re.compile(r"^yimen-\d{8}-\d{6}(\.sqlite3|\.pgdump)$")
SCRATCH_ALIAS = "backup_scratch"
SAMPLE = 10  # rows per sealed field whose decryption a verification checks (first and last by id)


class BackupError(DomainError):
    """A backup or restore that cannot go on; the message is for the operator."""

    code = "backup_failed"


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def _sign(content: dict) -> str:
    payload = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hmac_sm3(backup_manifest_key(), payload.encode())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _write_private(path: Path, data: bytes) -> None:
    """Write a file 0600 whatever the umask, atomically (a crash leaves no half file under the name)."""
    partial = path.with_name(f".{path.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(partial, path)


def _census(cursor, tables: list[str]) -> tuple[dict[str, int], dict]:
    """Row count of each table and the audit chain's tip, read through one DB-API cursor."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    tip = {"seq": 0, "digest": audit.GENESIS}
    if AuditEntry._meta.db_table in counts:
        cursor.execute("SELECT seq, digest FROM core_audithead WHERE id = 1")
        row = cursor.fetchone()
        if row:
            tip = {"seq": row[0], "digest": row[1]}
    return counts, tip


def _pg_env(settings_dict: dict, dbname: str | None = None) -> dict[str, str]:
    """libpq's environment for pg_dump and pg_restore: the password never appears in a command line."""
    values = {
        "PGHOST": settings_dict.get("HOST") or "",
        "PGPORT": str(settings_dict.get("PORT") or ""),
        "PGUSER": settings_dict.get("USER") or "",
        "PGPASSWORD": settings_dict.get("PASSWORD") or "",
        "PGDATABASE": dbname or settings_dict["NAME"],
    }
    return {**os.environ, **{k: v for k, v in values.items() if v}}


def _run(args: list[str], **kwargs) -> None:
    kwargs.setdefault("stdout", subprocess.DEVNULL)
    done = subprocess.run(args, stderr=subprocess.PIPE, **kwargs)  # noqa: S603 - fixed programs, no shell
    if done.returncode != 0:
        raise BackupError(f"{args[0]} 失败：{done.stderr.decode(errors='replace').strip()[:500]}")


def _dump_sqlite(target: Path) -> tuple[dict[str, int], dict]:
    connection.ensure_connection()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # 0600 before a byte is written
    os.close(fd)
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        # A self-contained file: no -wal beside it when it is copied away or opened later.
        copy.execute("PRAGMA journal_mode=DELETE")
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return _census(cursor, [row[0] for row in cursor.fetchall()])
    finally:
        copy.close()


def _dump_postgresql(target: Path) -> tuple[dict[str, int], dict]:
    import psycopg

    sd = connection.settings_dict
    params = {"dbname": sd["NAME"], "user": sd["USER"], "password": sd["PASSWORD"], "host": sd["HOST"]}
    with psycopg.connect(**{k: v for k, v in params.items() if v}, port=sd["PORT"] or None, autocommit=True) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        cursor = conn.cursor()
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        census = _census(cursor, [row[0] for row in cursor.fetchall()])
        # pg_dump reads the snapshot the counts were taken in, while this transaction holds it.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}"], stdout=out, env=_pg_env(sd))
        conn.execute("COMMIT")
    return census


def backup_create(*, directory: Path | None = None) -> Path:
    """备份: one backup of the whole database with its signed manifest, into YIMEN_BACKUP_DIR
    (等保2.0 level 3, data backup and recovery); one "backup_create" audit entry, written after
    the snapshot, so it is in the next backup. Never holds a key (see the module docstring)."""
    directory = Path(directory or settings.YIMEN_BACKUP_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    engine = connection.vendor
    if engine not in SUFFIX:
        raise BackupError(f"不支持备份 {engine} 数据库。")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = directory / f"yimen-{stamp}{SUFFIX[engine]}"
    if final.exists():
        raise BackupError(f"备份文件 {final.name} 已存在，请稍后再试。")
    partial = directory / f".{final.name}.partial"
    partial.unlink(missing_ok=True)
    try:
        counts, tip = (_dump_sqlite if engine == "sqlite" else _dump_postgresql)(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    content = {
        "format": FORMAT,
        "file": final.name,
        "engine": engine,
        "created_at": timezone.now().isoformat(),
        "sha256": _sha256(partial),
        "size": partial.stat().st_size,
        "tables": counts,
        "audit": tip,
    }
    os.replace(partial, final)
    _write_private(manifest_path(final), json.dumps({**content, "signature": _sign(content)}, indent=1).encode())
    audit.record(
        action="backup_create",
        username="manage.py",
        target=final.name,
        detail={"sha256": content["sha256"], "size": content["size"], "audit_seq": tip["seq"]},
    )
    return final


def backups(directory: Path | None = None) -> list[Path]:
    """The backups in the directory, oldest first (the time is in the name)."""
    directory = Path(directory or settings.YIMEN_BACKUP_DIR)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if BACKUP_NAME.match(p.name))


def backup_prune(*, keep: int | None = None, directory: Path | None = None) -> list[Path]:
    """清理旧备份: keep the newest `keep` backups (YIMEN_BACKUP_KEEP) and delete the older ones with
    their manifests; one "backup_prune" audit entry naming them. Only files named like a backup
    are touched."""
    keep = settings.YIMEN_BACKUP_KEEP if keep is None else keep
    if keep < 1:
        raise BackupError("至少保留一份备份。")
    old = backups(directory)[:-keep]
    for path in old:
        path.unlink()
        manifest_path(path).unlink(missing_ok=True)
    if old:
        audit.record(action="backup_prune", username="manage.py", detail={"deleted": [p.name for p in old]})
    return old


@dataclass
class VerifyReport:
    backup: Path
    problems: list[str] = field(default_factory=list)
    tables: int = 0
    rows: int = 0
    audit_checked: int = 0
    samples: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def read_manifest(backup: Path, problems: list[str]) -> dict | None:
    """The manifest if it is there and its signature holds; otherwise None, with the reason added."""
    path = manifest_path(backup)
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        problems.append(f"缺少备份清单 {path.name}。")
        return None
    except ValueError:
        problems.append(f"备份清单 {path.name} 不是有效的 JSON。")
        return None
    signature = manifest.pop("signature", "")
    if not secrets.compare_digest(signature, _sign(manifest)):
        problems.append("备份清单签名不符：清单被改动，或当前审计密钥不是备份时的密钥。")
        return None
    if manifest.get("file") != backup.name or manifest.get("format") != FORMAT:
        problems.append("备份清单与备份文件不对应。")
        return None
    return manifest


def _check_file(backup: Path, manifest: dict, problems: list[str]) -> None:
    if not backup.is_file():
        problems.append(f"备份文件 {backup.name} 不存在。")
    elif _sha256(backup) != manifest["sha256"]:
        problems.append("备份文件的 SHA-256 与清单不符：文件被改动或已损坏。")
    if manifest["engine"] != connection.vendor:
        problems.append(f"备份来自 {manifest['engine']} 数据库，当前数据库是 {connection.vendor}，无法在此恢复。")


@contextmanager
def _alias(settings_dict: dict) -> Iterator[str]:
    """The scratch database as a Django connection of this thread, so the audit chain and the
    sealed fields are checked by the same code that writes them. It is not added to the
    configured databases: nothing else (a migration, a router) should ever see it."""
    connections[SCRATCH_ALIAS] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, SCRATCH_ALIAS)
    try:
        yield SCRATCH_ALIAS
    finally:
        connections[SCRATCH_ALIAS].close()
        del connections[SCRATCH_ALIAS]


@contextmanager
def _scratch(backup: Path) -> Iterator[str]:
    """Restore the backup into a scratch database that is thrown away afterwards: SQLite a
    temporary file, PostgreSQL a database created for the check and dropped."""
    base = {**connection.settings_dict, "TEST": {}}
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory(prefix="yimen-verify-") as tmp:
            scratch = Path(tmp) / "scratch.sqlite3"
            shutil.copyfile(backup, scratch)
            with _alias({**base, "NAME": str(scratch)}) as alias:
                yield alias
        return
    name = f"{base['NAME'][:40]}_verify_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    try:
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-d", name, str(backup)],
            env=_pg_env(base, name),
        )
        with _alias({**base, "NAME": name}) as alias:
            yield alias
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _check_samples(alias: str, report: VerifyReport) -> None:
    for model, cipher, index in sealed_columns():
        rows = model.objects.using(alias).exclude(**{cipher: ""}).values_list("pk", cipher, index or cipher)
        sample = {*rows.order_by("pk")[: SAMPLE // 2], *rows.order_by("-pk")[: SAMPLE // 2]}
        for pk, token, indexed in sorted(sample):
            label = f"{model._meta.label}.{cipher.removesuffix('_cipher')}（id {pk}）"
            try:
                plain = sm4_decrypt(token)
            except (InvalidTag, ValueError):
                report.problems.append(f"{label}无法用当前字段密钥解密。")
                continue
            if index and indexed and blind_index(plain) != indexed:
                report.problems.append(f"{label}解密结果与盲索引不符。")
            report.samples += 1


def backup_verify(backup: Path) -> VerifyReport:
    """恢复校验: restore the backup into a scratch database and check it against its manifest —
    the row count of every table, the whole audit chain (and its tip as recorded at backup time),
    and a sample of every SM4-sealed field decrypted with the current field key (first and last
    rows of each). Reads only: the live database is not touched."""
    report = VerifyReport(backup=backup)
    manifest = read_manifest(backup, report.problems)
    if manifest is None:
        return report
    _check_file(backup, manifest, report.problems)
    if report.problems:
        return report
    with _scratch(backup) as alias, connections[alias].cursor() as cursor:
        tables = connections[alias].introspection.table_names(cursor)
        counts, tip = _census(cursor, tables)
        for table in sorted(set(counts) | set(manifest["tables"])):
            found, expected = counts.get(table), manifest["tables"].get(table)
            if found != expected:
                report.problems.append(f"表 {table}：恢复后 {found} 行，清单记 {expected} 行。")
        report.tables, report.rows = len(counts), sum(counts.values())
        chain = audit.verify(using=alias)
        report.audit_checked = chain.checked
        if not chain.ok:
            report.problems.append(f"审计链断裂：第 {chain.broken_at} 条，{chain.reason}。")
        elif tip != manifest["audit"]:
            report.problems.append("审计链尾与清单不符。")
        _check_samples(alias, report)
    return report


def _has_tables() -> bool:
    with connection.cursor() as cursor:
        return bool(connection.introspection.table_names(cursor))


def backup_restore(*, backup: Path, force: bool = False) -> dict:
    """恢复: replace the database with the backup, after its manifest's signature and the file's
    checksum hold. A database that already has tables is overwritten only with force (a restore
    over live data loses every write since the backup). The application and task workers must be
    stopped. One "backup_restore" audit entry, in the restored database, continues its chain."""
    problems: list[str] = []
    manifest = read_manifest(backup, problems)
    if manifest is not None:
        _check_file(backup, manifest, problems)
    if problems:
        raise BackupError("备份未通过校验，不能恢复：" + "；".join(problems))
    if not force and _has_tables():
        raise Conflict("当前数据库不是空的；确认要用备份覆盖它时加 --force。", code="database_not_empty")
    if connection.vendor == "sqlite":
        # The online backup API again, from the file into Django's own connection: it replaces the
        # database whole, under SQLite's locks, and the WAL is dealt with by SQLite itself.
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        connection.connection.execute("PRAGMA journal_mode=WAL")
    else:
        connection.close()
        args = ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
        if force:
            args += ["--clean", "--if-exists"]
        _run([*args, "-d", connection.settings_dict["NAME"], str(backup)], env=_pg_env(connection.settings_dict))
    audit.record(
        action="backup_restore",
        username="manage.py",
        target=backup.name,
        detail={"sha256": manifest["sha256"], "audit_seq": manifest["audit"]["seq"]},
    )
    return manifest


def backup_nightly() -> VerifyReport:
    """The nightly job: a backup, its verified restore, and the older backups pruned — but only
    when the new one verified, so a run of bad backups never deletes the last good one. The
    verification's outcome is one "backup_verify" audit entry for the auditor."""
    backup = backup_create()
    report = backup_verify(backup)
    audit.record(
        action="backup_verify",
        username="nightly",
        target=backup.name,
        result=AuditEntry.Result.SUCCESS if report.ok else AuditEntry.Result.FAILURE,
        detail={"problems": report.problems, "rows": report.rows, "samples": report.samples},
    )
    if report.ok:
        backup_prune()
    return report
