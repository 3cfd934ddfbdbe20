"""Settings helpers: every setting comes from the environment and a bad value stops start-up."""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def private_files() -> None:
    """Every file Yimen creates (the SQLite database and its WAL, the task store, uploads, backups,
    generated keys) is readable by its owner only: a township PC is shared, and the data at rest is
    personal data (等保2.0 level 3). Called first by manage.py, the WSGI module and gunicorn."""
    os.umask(0o077)


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: str) -> bool:
    value = os.environ.get(name, default)
    if value not in ("true", "false"):
        raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")
    return value == "true"


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def local_secret(var_dir: Path, filename: str, *, production: bool, nbytes: int = 50) -> str:
    """A secret generated on first run into an untracked file; refused in production,
    where every secret must come from the environment."""
    if production:
        raise ImproperlyConfigured(f"YIMEN_PRODUCTION=true needs the secret {filename} from the environment")
    path = var_dir / filename
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(nbytes))
    return path.read_text().strip()


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate limit written "<requests>/<seconds>", e.g. "60/60"."""
    value = os.environ.get(name, default)
    count, _, seconds = value.partition("/")
    if not (count.isdigit() and seconds.isdigit() and int(count) > 0 and int(seconds) > 0):
        raise ImproperlyConfigured(f"{name} must look like 60/60 (requests/seconds), not {value!r}")
    return int(count), int(seconds)
