"""A peer-style HTTP load run (issue 22): the app served as `make demo` serves it (gunicorn with
gunicorn.conf.py, 3 workers × 4 threads, and the huey consumer beside it) over a fresh SQLite
database in a temporary YIMEN_VAR_DIR, bound to 127.0.0.1 on a free port; clients on keep-alive
connections send `POST /api/v1/cases` (each with its own Idempotency-Key) for a bounded time
with 1, 4 and 8 clients, then page through `GET /api/v1/cases` and `/cases/` as the dispatcher.

    .venv/bin/python bench/bench_http.py                         # ~10 s a level
    YIMEN_BENCH_HTTP_SECONDS=120 .venv/bin/python bench/bench_http.py   # the issue's 2-minute soak
    YIMEN_BENCH_HTTP_CASES=100000 .venv/bin/python bench/bench_http.py  # the lists over 100k cases

With YIMEN_BENCH_HTTP_CASES the database (and its keys) lives in var/bench/http-<N>/ instead,
topped up to N synthetic cases once (`manage.py generate_cases`; minutes on SQLite) and reused.

Targets: ≥ 100 req/s with 1 client, ≥ 150 with 4, 0 errors at every level; the first page of
GET /cases and /cases/ p95 ≤ 40 ms at 100,000 cases on SQLite."""

import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("YIMEN_BENCH_HTTP_SECONDS", "10"))
LEVELS = [(1, 100), (4, 150), (8, None)]  # (clients, target req/s)
LIST_RUNS = 200
SEARCH_RUNS = 40  # a search reads every title: at 100k it is the slow one

CASES = int(os.environ.get("YIMEN_BENCH_HTTP_CASES", "0"))
SEARCH = "合成案件70345"  # one synthetic case's title: the search reads every title to find it

workdir = tempfile.TemporaryDirectory(prefix="yimen-bench-http-")
VAR_DIR = ROOT / "var" / "bench" / f"http-{CASES}" if CASES else Path(workdir.name)
os.environ["YIMEN_VAR_DIR"] = str(VAR_DIR)
os.environ["DATABASE_URL"] = f"sqlite:///{VAR_DIR / 'yimen.sqlite3'}"
os.environ.pop("REDIS_URL", None)  # the embedded default: SQLite and the SQLite task queue

from common import demo_town, setup_django  # noqa: E402

setup_django()

from django.db import connections  # noqa: E402

from tests.live import Server  # noqa: E402  (the crash test's gunicorn, as `make demo` runs it)
from yimen.cases.models import Case  # noqa: E402
from yimen.org.models import Membership  # noqa: E402
from yimen.org.services import token_issue  # noqa: E402


def body(n: int) -> dict:
    return {
        "kind": "dispute",
        "title": f"宅基地边界纠纷（压测 {n}）",
        "description": "两户因宅基地边界发生争执，请求调解。",
        "channel": "visit",
        "region": "45032410620001",
        "parties": [{"name": "唐建国", "role": "applicant", "phone": f"139{n % 10**8:08d}"}],
    }


def percentile(ordered: list[float], share: float) -> float:
    return ordered[max(0, int(len(ordered) * share) - 1)]


def drive(port: int, token: str, clients: int, seconds: float, label: str = "") -> None:
    """`clients` threads, each on its own keep-alive connection, creating until the time is up."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, failed, sent = [], {}, 0
        while time.monotonic() < stop_at:
            payload = json.dumps(body(n * 1_000_000 + sent)).encode()
            headers = {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {token}",
                "Idempotency-Key": str(uuid.uuid4()),
            }
            started = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/cases", payload, headers)
                answer = conn.getresponse()
                answer.read()
                status = str(answer.status)
            except OSError as exc:
                status = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine.append((time.perf_counter() - started) * 1000)
            if status != "201":
                failed[status] = failed.get(status, 0) + 1
            sent += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            for status, count in failed.items():
                errors[status] = errors.get(status, 0) + count

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    rate = len(ordered) / elapsed
    target = None if label else dict(LEVELS)[clients]
    goal = f" (target ≥ {target})" if target else ""
    print(
        f"{label or 'create over HTTP'}, {clients} client{'s' if clients > 1 else ''}: {rate:.1f} req/s{goal}, "
        f"p50 {statistics.median(ordered):.0f} ms, p95 {percentile(ordered, 0.95):.0f} ms, "
        f"{sum(errors.values())} errors of {len(ordered)} (target 0){' ' + str(errors) if errors else ''}",
        flush=True,
    )


def pages(port: int, token: str, session_cookie: str) -> None:
    """The dispatcher's first page: GET /api/v1/cases and the /cases/ page, and a search, p50/p95."""
    cases = Case.objects.count()  # the synthetic ones and those just created
    connections.close_all()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    bearer, cookie = {"Authorization": f"Bearer {token}"}, {"Cookie": session_cookie}
    searched = urllib.parse.quote(SEARCH)
    at = f"@{cases:,} cases"
    for label, path, headers, runs in (
        (f"GET /api/v1/cases first page (dispatcher) {at} (target p95 ≤ 40 ms)", "/api/v1/cases", bearer, LIST_RUNS),
        (f"/cases/ first page (dispatcher, logged in) {at} (target p95 ≤ 40 ms)", "/cases/", cookie, LIST_RUNS),
        (f"GET /api/v1/cases?q= a title {at}", f"/api/v1/cases?q={searched}", bearer, SEARCH_RUNS),
    ):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            answer = conn.getresponse()
            answer.read()
            assert answer.status == 200, (path, answer.status)
            times.append((time.perf_counter() - started) * 1000)
        ordered = sorted(times)
        print(
            f"{label}: p50 {statistics.median(ordered):.1f} ms, p95 {percentile(ordered, 0.95):.1f} ms "
            f"over {runs} runs",
            flush=True,
        )
    conn.close()


def dispatcher_session() -> str:
    """A signed-in session cookie for the dispatcher, past the second factor (bench/common.py)."""
    from common import signed_in
    from django.conf import settings

    client = signed_in(Membership.objects.get(user__username="dispatcher").user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def main() -> None:
    demo_town()
    if CASES:
        from django.core.management import call_command

        call_command("generate_cases", count=CASES)
    cases = Case.objects.count()
    clerk = Membership.objects.select_related("user").get(user__username="clerk")
    dispatcher = Membership.objects.select_related("user").get(user__username="dispatcher")
    token, _ = token_issue(member=clerk, ip="127.0.0.1", second_factor=False)
    reader, _ = token_issue(member=dispatcher, ip="127.0.0.1", second_factor=True)
    cookie = dispatcher_session()
    connections.close_all()
    server = Server(os.environ["DATABASE_URL"], VAR_DIR, workers=3, threads=4)
    # production settings serve hashed static names: the manifest must exist, as after `make demo`
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=server.env, check=True
    )
    # the task consumer `make demo` runs beside gunicorn
    consumer = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--quiet"], cwd=ROOT, env=server.env, start_new_session=True
    )
    print(
        f"gunicorn (gunicorn.conf.py, 3×4) + huey on SQLite, {server.url}, {SECONDS:g} s a level, {cases:,} cases",
        flush=True,
    )
    try:
        server.start()
        drive(server.port, token, 4, 3, label="warm-up (every worker loads the app; not counted)")
        for clients, _ in LEVELS:
            drive(server.port, token, clients, SECONDS)
        pages(server.port, reader, cookie)
    finally:
        server.stop()
        consumer.terminate()
        consumer.wait(timeout=30)


if __name__ == "__main__":
    try:
        main()
    finally:
        workdir.cleanup()
    sys.exit(0)
