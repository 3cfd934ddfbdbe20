"""The audit chain (网络安全法 art. 21): any edit, deletion or truncation is found and named by
its seq; `manage.py verify_audit` and the nightly task check it and record what they found."""

import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import datetime

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connection
from huey.contrib.djhuey import HUEY

from yimen.core import audit
from yimen.core.models import AuditEntry, AuditHead, User
from yimen.core.tasks import audit_chain_nightly


def append(n: int) -> None:
    for i in range(n):
        audit.record(action="login", username=f"user{i % 7}", ip="10.0.0.1", detail={"i": i, "名": "测试"})


def test_empty_log_verifies(db):
    report = audit.verify()
    assert report.ok and report.checked == 0


def test_chain_verifies_over_many_entries(db):
    append(250)
    report = audit.verify(batch=40)  # several chunks
    assert report.ok and report.checked == 250
    assert report.tip_digest == AuditHead.objects.get().digest


def test_tampered_row_is_found_by_its_seq(db):
    append(30)
    AuditEntry.objects.filter(seq=17).update(purpose="x")
    report = audit.verify()
    assert (report.ok, report.broken_at, report.checked) == (False, 17, 16)
    assert "篡改" in report.reason


def test_rehashed_row_breaks_the_next_link(db):
    """Recomputing a tampered row's digest needs the key; even with it, the next link breaks."""
    append(10)
    entry = AuditEntry.objects.get(seq=5)
    entry.target = "x"
    entry.digest = audit.entry_digest(entry, entry.prev_digest)
    entry.save()
    assert audit.verify().broken_at == 6


def test_deleted_middle_row_is_found(db):
    append(20)
    AuditEntry.objects.filter(seq=9).delete()
    report = audit.verify()
    assert (report.broken_at, report.checked) == (9, 8)
    assert "删除" in report.reason


def test_deleted_last_row_is_found(db):
    append(20)
    AuditEntry.objects.filter(seq=20).delete()
    report = audit.verify()
    assert (report.broken_at, report.checked) == (20, 19)
    assert "末尾" in report.reason


def test_deleted_head_row_is_found(db):
    append(5)
    AuditHead.objects.all().delete()
    assert audit.verify().broken_at == 6


def test_rewritten_head_digest_is_found(db):
    append(5)
    AuditHead.objects.update(digest="f" * 64)
    assert audit.verify().broken_at == 5


def test_entries_appended_during_the_walk_are_not_a_truncated_tail(db):
    """verify() reads the tip first; entries committed after that lie beyond it and verify."""
    append(8)
    tip_before_walk = AuditEntry.objects.get(seq=6)
    AuditHead.objects.update(seq=6, digest=tip_before_walk.digest)  # the head as read at the start
    report = audit.verify()
    assert report.ok and report.checked == 8


def test_forged_entry_beyond_the_tip_is_found(db):
    append(3)
    last = AuditEntry.objects.get(seq=3)
    AuditEntry.objects.create(
        seq=4, at=last.at, action="login", prev_digest=last.digest, digest="0" * 64, actor_username="intruder"
    )
    assert audit.verify().broken_at == 4


@pytest.fixture
def shared_database(tmp_path):
    """A database several threads can write at once. PostgreSQL's test database is one; the
    in-memory SQLite test database is not (its shared-cache locks fail at once with "database
    table is locked" instead of waiting), so on SQLite the threads get a file copy of it, opened
    as in production: WAL, IMMEDIATE transactions, busy_timeout."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    with closing(sqlite3.connect(tmp_path / "threads.sqlite3")) as copy:
        connection.connection.backup(copy)
    settings_dict = connection.settings_dict  # the dict each thread's new connection reads
    memory_name, settings_dict["NAME"] = settings_dict["NAME"], str(tmp_path / "threads.sqlite3")
    try:
        yield
    finally:
        settings_dict["NAME"] = memory_name


def in_thread(work: Callable[[], object]) -> object:
    """Run `work` on a thread of its own, with its own database connection."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(work())
        except Exception as exc:
            outcome.append(exc)
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    return outcome[0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(shared_database):
    """Writers queue on the chain tip: IMMEDIATE transactions on SQLite, SELECT ... FOR UPDATE
    on AuditHead on PostgreSQL."""
    threads, per_thread = 6, 15
    start = threading.Barrier(threads)

    def writer(n: int) -> Callable[[], None]:
        def work() -> None:
            start.wait()
            for i in range(per_thread):
                audit.record(action="login", username=f"t{n}", detail={"i": i})

        return work

    with ThreadPoolExecutor(threads) as pool:
        outcomes = list(pool.map(in_thread, [writer(n) for n in range(threads)]))
    assert outcomes == [None] * threads

    def check() -> tuple[audit.ChainReport, list[int], tuple[int, str], tuple[int, str]]:
        last = AuditEntry.objects.order_by("-seq").first()
        head = AuditHead.objects.get()
        seqs = sorted(AuditEntry.objects.values_list("seq", flat=True))
        return audit.verify(), seqs, (head.seq, head.digest), (last.seq, last.digest)

    report, seqs, head, tip = in_thread(check)
    assert report.ok and report.checked == threads * per_thread
    assert seqs == list(range(1, threads * per_thread + 1))
    assert head == tip  # the head moved with every entry, in the same statement on PostgreSQL


def test_an_entry_costs_the_lock_and_one_write_on_postgresql(db, django_assert_num_queries):
    """PostgreSQL writes the entry and moves the head in one statement (issue 15's benchmark):
    the head's lock, then the write. SQLite, whose IMMEDIATE transaction is the lock, keeps the
    ORM's read, insert and update. The entry comes back as save() would leave it."""
    append(1)
    user = User.objects.create_user(username="审计员甲", password="x")
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 3):
        entry = audit.record(action="login", actor=user, ip="10.0.0.2", detail={"名": "测试", "n": [1, 2]})
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.seq, stored.actor_id, stored.actor_username, stored.detail) == (
        2,
        user.pk,
        "审计员甲",
        {"名": "测试", "n": [1, 2]},
    )
    first = AuditEntry.objects.get(seq=1)
    assert (stored.at, stored.digest, stored.prev_digest) == (entry.at, entry.digest, first.digest)
    head = AuditHead.objects.get()
    assert (head.seq, head.digest) == (2, entry.digest)
    assert audit.verify().ok


def test_verify_audit_command_reports_an_intact_chain_and_records_itself(db, capsys):
    append(12)
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "审计链完整：共 12 条" in out
    entry = AuditEntry.objects.get(action="audit_verify")
    assert entry.result == "success" and entry.detail["trigger"] == "command" and entry.detail["checked"] == 12
    assert audit.verify().ok  # its own entry extends the chain


def test_verify_audit_command_exits_non_zero_on_a_broken_chain(db):
    append(12)
    AuditEntry.objects.filter(seq=4).update(purpose="x")
    with pytest.raises(CommandError, match="审计链断裂：第 4 条") as raised:
        call_command("verify_audit")
    assert raised.value.returncode != 0
    entry = AuditEntry.objects.get(action="audit_verify")
    assert entry.result == "failure" and entry.detail["broken_at"] == 4


@pytest.mark.django_db(transaction=True)  # the command line closes every connection when done
def test_verify_audit_exit_status_from_the_command_line(capsys):
    append(3)
    execute_from_command_line(["manage.py", "verify_audit"])  # returns normally: status 0
    AuditEntry.objects.filter(seq=2).delete()
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "verify_audit"])
    assert exited.value.code == 1
    assert "第 2 条" in capsys.readouterr().err


def test_nightly_task_records_its_result(db):
    append(5)
    audit_chain_nightly()  # huey runs tasks inline under the test settings
    entry = AuditEntry.objects.get(action="audit_verify")
    assert entry.result == "success"
    assert entry.detail == {**entry.detail, "trigger": "nightly", "checked": 5, "broken_at": None}
    assert entry.actor_username == ""


def test_nightly_task_records_a_broken_chain(db):
    append(5)
    AuditEntry.objects.filter(seq=3).update(ip="1.2.3.4")
    audit_chain_nightly()
    assert AuditEntry.objects.get(action="audit_verify").result == "failure"


@pytest.mark.parametrize(
    ("utc", "due"),
    [(datetime(2026, 3, 1, 18, 30), True), (datetime(2026, 3, 1, 2, 30), False), (datetime(2026, 3, 1, 18, 31), False)],
)
def test_nightly_task_runs_at_half_past_two_beijing_time(utc, due):
    """huey's scheduler passes naive UTC times; 18:30 UTC is 02:30 in Beijing."""
    due_now = any(isinstance(task, audit_chain_nightly.task_class) for task in HUEY.read_periodic(utc))
    assert due_now is due
