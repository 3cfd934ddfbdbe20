"""Data at rest (issue 12 item 6): every file the app creates is its owner's only, uploads are
sealed, and the session table holds no key that signs anyone in."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from yimen.core.models import AuditEntry
from yimen.core.services import stored_files_reseal
from yimen.core.sessions import stored_key

ROOT = Path(__file__).resolve().parent.parent

# Started the way an operator starts Yimen (manage.py): the database with its WAL and shared
# memory, the task store, the generated keys and an upload, listed while the database is open
# (SQLite removes the WAL when the last connection closes).
MAKE_FILES = """
import json, os
from pathlib import Path
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from huey.contrib.djhuey import HUEY
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE t (x)")
    cursor.execute("INSERT INTO t VALUES (1)")
    HUEY.put("probe", 1)
    default_storage.save("cases/X-1/photo.jpg", ContentFile(b"photo"))
    found = {str(p.relative_to(settings.VAR_DIR)) + "/" * p.is_dir(): p.stat().st_mode & 0o777
             for p in Path(settings.VAR_DIR).rglob("*")}
    print(json.dumps(found))
"""


def test_files_the_app_creates_are_readable_by_their_owner_only(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env["YIMEN_VAR_DIR"] = str(tmp_path / "var")
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", MAKE_FILES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        umask=0o022,
    )
    modes = json.loads(done.stdout.strip().splitlines()[-1])
    expected = {
        "yimen.sqlite3",
        "yimen.sqlite3-wal",
        "yimen.sqlite3-shm",
        "tasks.sqlite3",
        "field_key",
        "audit_key",
        "secret_key",
        "media/cases/X-1/photo.jpg",
    }
    assert expected <= set(modes)
    assert {name: oct(mode) for name, mode in modes.items() if mode != (0o700 if name.endswith("/") else 0o600)} == {}
    assert "media/cases/X-1/" in modes


def test_an_upload_is_sealed_on_disk_and_opens_as_it_was(media):
    name = default_storage.save("cases/X-1/合同.pdf", ContentFile(b"%PDF-1.4 contract"))
    on_disk = (media / name).read_bytes()
    assert b"contract" not in on_disk
    assert default_storage.open(name).read() == b"%PDF-1.4 contract"
    (media / name).write_bytes(on_disk[:-1] + bytes([on_disk[-1] ^ 1]))  # one bit changed on disk
    with pytest.raises(InvalidTag):
        default_storage.open(name)


def test_a_field_key_rotation_reseals_the_files(settings, media, db):
    settings.YIMEN_FIELD_KEY = "old-field-key"
    first = default_storage.save("cases/X-1/a.jpg", ContentFile(b"first"))
    settings.YIMEN_FIELD_KEY = "new-field-key"
    second = default_storage.save("cases/X-1/b.jpg", ContentFile(b"second"))
    with pytest.raises(InvalidTag):
        default_storage.open(first)
    assert stored_files_reseal(old_secret="old-field-key") == 1  # the file already under the new key stays
    assert default_storage.open(first).read() == b"first" and default_storage.open(second).read() == b"second"
    assert AuditEntry.objects.get(action="file_key_rotate").detail == {"files": 1}


def test_the_session_table_holds_no_usable_session_key(client, persona):
    clerk = persona("clerk")
    client.force_login(clerk.user)
    assert client.get("/").status_code == 200
    cookie = client.cookies["sessionid"].value
    stored = Session.objects.get()
    assert stored.session_key != cookie and cookie not in {s.session_key for s in Session.objects.all()}
    assert stored.session_key == stored_key(cookie)
    # What a copy of the database holds does not sign anyone in.
    client.cookies["sessionid"] = stored.session_key
    assert client.get("/").status_code == 302
    client.cookies["sessionid"] = cookie
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert not Session.objects.exists()
