"""Backups that restore (issue 12 item 14), on whichever database the suite runs (CI runs both):
backup → restore --verify round trip, tampering caught, the keys never inside, a real restore
that refuses to overwrite data without --force, and the nightly job."""

import json
import subprocess
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from yimen.core import tasks
from yimen.core.backup import backup_create, manifest_path
from yimen.core.models import AuditEntry
from yimen.people.models import Person
from yimen.people.tests.samples import make_resident

# pg_dump reads committed rows only, from its own connection: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def registry(persona):
    """Two residents with sealed ID numbers and phones, registered through the services (audited)."""
    clerk = persona("clerk")
    return [make_resident(clerk, "张三", seq=1), make_resident(clerk, "李四", seq=2)]


def verify(path) -> str:
    out = StringIO()
    call_command("restore", "--verify", str(path), stdout=out)
    return out.getvalue()


def test_a_backup_restores_into_a_scratch_database_and_verifies(registry, tmp_path):
    call_command("backup", "--dir", str(tmp_path), stdout=StringIO())
    (backup,) = [p for p in tmp_path.iterdir() if not p.name.endswith(".json")]
    assert backup.suffix == (".sqlite3" if connection.vendor == "sqlite" else ".pgdump")
    assert backup.stat().st_mode & 0o777 == 0o600 and manifest_path(backup).stat().st_mode & 0o777 == 0o600
    manifest = json.loads(manifest_path(backup).read_text())
    assert manifest["tables"]["people_person"] == 2
    # The chain's tip as it was dumped; the backup's own entry comes after it, for the next backup.
    assert manifest["audit"]["seq"] == AuditEntry.objects.exclude(action="backup_create").count() > 0
    report = verify(backup)
    assert "备份校验通过" in report
    assert "4 个加密字段样本解密无误" in report  # two ID numbers and two phones
    assert AuditEntry.objects.filter(action="backup_create", target=backup.name).exists()


def test_an_audit_row_changed_before_the_backup_fails_verification(registry, tmp_path):
    AuditEntry.objects.filter(seq=1).update(purpose="改过")  # as a hand at the database would
    backup = backup_create(directory=tmp_path)
    with pytest.raises(CommandError, match="审计链断裂：第 1 条，摘要不符"):
        verify(backup)


def test_a_changed_backup_file_or_manifest_fails_verification(registry, tmp_path):
    backup = backup_create(directory=tmp_path)
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 1
    backup.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="SHA-256 与清单不符"):
        verify(backup)
    other = backup_create(directory=tmp_path / "other")
    manifest = json.loads(manifest_path(other).read_text())
    manifest["tables"]["people_person"] = 1
    manifest_path(other).write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="清单签名不符"):
        verify(other)


def test_a_row_count_that_differs_from_the_manifest_fails_verification(registry, tmp_path, monkeypatch):
    from yimen.core import backup as backups

    census = backups._census
    # A dump that lost a row: the counts recorded at backup time claim one more person than it holds.
    monkeypatch.setattr(backups, "_census", lambda cursor, tables: _plus_one(census(cursor, tables)))
    backup = backup_create(directory=tmp_path)
    monkeypatch.setattr(backups, "_census", census)
    with pytest.raises(CommandError, match="表 people_person：恢复后 2 行，清单记 3 行"):
        verify(backup)


def _plus_one(census):
    counts, tip = census
    return {**counts, "people_person": counts["people_person"] + 1}, tip


def test_a_sealed_field_the_field_key_cannot_open_fails_verification(registry, tmp_path, settings):
    backup = backup_create(directory=tmp_path)
    settings.YIMEN_FIELD_KEY = "another-field-key"  # restored on a machine given the wrong key
    with pytest.raises(CommandError, match=r"people\.Person\.id_number（id \d+）无法用当前字段密钥解密"):
        verify(backup)


def test_a_backup_never_holds_the_keys(registry, tmp_path):
    backup = backup_create(directory=tmp_path)
    if connection.vendor == "sqlite":
        content = backup.read_bytes()
    else:  # the custom format is compressed: read it as the SQL it restores
        content = subprocess.run(["pg_restore", "-f", "-", str(backup)], capture_output=True, check=True).stdout  # noqa: S603, S607
    assert registry[0].id_number_index.encode() in content  # it is the database …
    for key in (settings.SECRET_KEY, settings.YIMEN_FIELD_KEY, settings.YIMEN_AUDIT_KEY):
        for path in (backup, manifest_path(backup)):
            assert key.encode() not in (content if path == backup else path.read_bytes())  # … without a key
    for name in ("secret_key", "field_key", "audit_key"):
        key_file = settings.VAR_DIR / name
        if key_file.exists():
            assert key_file.read_bytes().strip() not in content


def test_a_restore_refuses_a_database_with_data_unless_forced(registry, persona, tmp_path):
    backup = backup_create(directory=tmp_path)
    make_resident(persona("police"), "王五", seq=3)  # written after the backup
    with pytest.raises(CommandError, match="当前数据库不是空的"):
        call_command("restore", str(backup))
    assert Person.objects.count() == 3
    call_command("restore", "--force", str(backup), stdout=StringIO())
    assert sorted(Person.objects.values_list("name", flat=True)) == ["张三", "李四"]
    assert AuditEntry.objects.filter(action="backup_restore", target=backup.name).exists()
    assert "备份校验通过" in verify(backup_create(directory=tmp_path / "after"))  # the chain goes on


def test_the_nightly_job_backs_up_verifies_and_prunes(registry, tmp_path, settings):
    settings.YIMEN_BACKUP_DIR, settings.YIMEN_BACKUP_KEEP = tmp_path, 2
    suffix = ".sqlite3" if connection.vendor == "sqlite" else ".pgdump"
    for stamp in ("20250101-030000", "20250102-030000"):
        (tmp_path / f"yimen-{stamp}{suffix}").write_bytes(b"old")
        (tmp_path / f"yimen-{stamp}{suffix}.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("运维记录")  # not a backup: never pruned
    tasks.backup_nightly()
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".json"))
    assert left[:2] == ["notes.txt", f"yimen-20250102-030000{suffix}"] and len(left) == 3  # and tonight's
    assert AuditEntry.objects.get(action="backup_verify").result == AuditEntry.Result.SUCCESS
    assert AuditEntry.objects.get(action="backup_prune").detail == {"deleted": [f"yimen-20250101-030000{suffix}"]}
