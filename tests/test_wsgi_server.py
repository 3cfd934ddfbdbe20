"""`make demo` serves through gunicorn with gunicorn.conf.py: no server banner, headers intact."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.live import free_port

ROOT = Path(__file__).resolve().parent.parent


def test_gunicorn_sends_no_version_banner(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yimen.settings_test",
        "YIMEN_BIND": f"127.0.0.1:{port}",
        "YIMEN_WORKERS": "1",
        "YIMEN_VAR_DIR": str(tmp_path),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen([gunicorn, "-c", "gunicorn.conf.py"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)  # noqa: S603
    try:
        for _ in range(100):
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not answer")
        assert response.status == 200
        assert "gunicorn" not in response.headers.get("Server", "").lower()
        assert not any(ch.isdigit() for ch in response.headers.get("Server", ""))
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert "登录" in response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=10)
