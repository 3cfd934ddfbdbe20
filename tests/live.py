"""A real gunicorn server (gunicorn.conf.py, as `make demo` and production run it) in its own
process, over a database holding what the test committed: for tests of what only separate
processes show — concurrent writers on SQLite, a crash mid-write.

Needs `transactional_db` (the server sees only committed rows). On SQLite the pytest-django test
database lives in memory, out of another process's reach, so the server gets a file copy made
with SQLite's backup API (migrated and seeded in milliseconds, no second `migrate`); read its
rows back with `rows()`. On PostgreSQL the server opens the test database itself."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_database(tmp_path: Path) -> str:
    """The DATABASE_URL for the server: the test database as committed so far."""
    if connection.vendor == "sqlite":
        target = tmp_path / "server.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        connection.connection.backup(copy)
        # In WAL already, as a migrated database is after its first connection: otherwise the
        # server's first connections race to convert it, and a loser can fail at connect with
        # "database is locked" (seen here: a 500 before any request had run).
        copy.execute("PRAGMA journal_mode=WAL")
        copy.close()
        return f"sqlite:///{target}"
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def rows(database_url: str, sql: str) -> list[tuple]:
    """Run a read on the server's database (no parameters: both drivers' placeholders differ)."""
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            return list(db.execute(sql))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())


class Server:
    """gunicorn on a free port over `database_url`; `kill()` is kill -9 of the master and every
    worker at once (its own process group), `start()` brings it back on the same port."""

    def __init__(self, database_url: str, var_dir: Path, *, workers: int = 2, threads: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            # production settings: tasks go to the queue for the consumer instead of running inside
            # the request (as yimen.settings_test makes them), as `make demo` and production run
            "DJANGO_SETTINGS_MODULE": "yimen.settings",
            "DATABASE_URL": database_url,
            "YIMEN_BIND": f"127.0.0.1:{self.port}",
            "YIMEN_WORKERS": str(workers),
            "YIMEN_THREADS": str(threads),
            "YIMEN_VAR_DIR": str(var_dir),
            # the test process's keys, so both sides read each other's encrypted fields and audit chain
            "YIMEN_SECRET_KEY": settings.SECRET_KEY,
            "YIMEN_AUDIT_KEY": settings.YIMEN_AUDIT_KEY,
            "YIMEN_FIELD_KEY": settings.YIMEN_FIELD_KEY,
        }
        self.process: subprocess.Popen | None = None
        self.log = var_dir / "gunicorn.log"  # the server's errors, for a failing test's message

    def start(self) -> "Server":
        gunicorn = Path(sys.executable).with_name("gunicorn")
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                # no shared control socket (~/.gunicorn/gunicorn.ctl): several servers may run at once
                [gunicorn, "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null", "--no-control-socket"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/api/v1/units", timeout=5)  # noqa: S310
            except urllib.error.HTTPError:  # 401 without a token: up and answering
                return self
            except OSError:
                time.sleep(0.1)
        self.kill()
        raise AssertionError("gunicorn did not answer within 30 s")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None


def post(url: str, body: dict, *, token: str, headers: dict | None = None, timeout: float = 30) -> tuple[int, dict]:
    """POST JSON; an HTTP error status is an answer too. A dropped connection raises OSError."""
    request = urllib.request.Request(  # noqa: S310 — http:// URLs of the test server only
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"{}")
