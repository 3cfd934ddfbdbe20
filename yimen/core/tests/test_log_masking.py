"""Issue 12 item 11: the citizen's public token never reaches a log line — neither gunicorn's
access log (the configuration `make demo` and production run) nor Django's 4xx warnings."""

import io
import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

from yimen.cases.tests.conftest import register

ROOT = Path(__file__).resolve().parents[3]


def gunicorn_access_line(path: str, status: str) -> str:
    """The line gunicorn.conf.py's logger writes to its access log for a request of `path`. Read
    from the handler's own stream: what sys.stdout is at the logger's setup depends on which
    tests ran before (import-linter's in-process run swaps it), so capturing stdout was not
    a measure of the log line."""
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    cfg = Config()
    for name in ("logger_class", "access_log_format", "accesslog"):
        cfg.set(name, conf[name])
    logger = cfg.logger_class(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.8",
        "HTTP_REFERER": path,
    }
    response = SimpleNamespace(status=status, sent=1234, headers=[])
    written, errors = io.StringIO(), io.StringIO()
    for log, stream in ((logger.access_log, written), (logger.error_log, errors)):
        for handler in log.handlers:
            if getattr(handler, "_gunicorn", False):  # gunicorn's own, not pytest's capture
                handler.setStream(stream)
    logger.access(response, SimpleNamespace(headers=[("REFERER", path)]), environ, timedelta(milliseconds=12))
    # gunicorn writes a failure to format the line to its error log instead of raising
    assert errors.getvalue() == ""
    return written.getvalue()


def test_the_access_line_of_a_public_lookup_masks_the_token(client, persona):
    token = register(persona("clerk")).public_token
    path = f"/public/cases/{token}/"
    lookup = client.get(path)
    assert lookup.status_code == 200  # a real lookup, answered
    line = gunicorn_access_line(path, f"{lookup.status_code} OK")
    assert '"GET /public/cases/***/ HTTP/1.1" 200' in line
    assert token not in line


def test_django_warning_for_a_refused_lookup_masks_the_token(client, db):
    console = next(h for h in logging.getLogger().handlers if getattr(h, "name", "") == "console")
    written = io.StringIO()
    before = console.setStream(written)
    try:
        assert client.get("/api/v1/public/cases/SomeGuessedToken123/rating").status_code in (404, 405)
        assert client.get("/public/cases/SomeGuessedToken123/").status_code == 404
    finally:
        console.setStream(before)
    log = written.getvalue()
    assert "/public/cases/***/" in log
    assert "SomeGuessedToken123" not in log


def test_a_phone_searched_in_the_case_list_is_masked_in_the_access_line():
    for typed in ("13907730001", "%2B86%20139%200773%200001", "139-0773-0001"):
        line = gunicorn_access_line(f"/cases/?tab=all&q={typed}&page=2", "200 OK")
        assert '"GET /cases/?tab=all&q=***&page=2 HTTP/1.1" 200' in line
        assert "0773" not in line
    kept = gunicorn_access_line("/cases/?tab=all&q=002129", "200 OK")
    assert "q=002129" in kept  # a code's tail is no one's phone
