"""Crash test (issue 12): kill -9 of the app server during 1,000 concurrent idempotent submits
→ 0 acknowledged writes lost, 0 duplicates.

A real gunicorn (tests/live.py) takes `POST /api/v1/cases` with an Idempotency-Key from a pool
of clients; part-way through, the master and every worker are killed at once (SIGKILL to the
process group, mid-transaction for some). The server comes back on the same database and every
client whose request got no answer sends it again with the same key and body, as the phone app
and the hotline adapters do. Then: every key acknowledged before the crash still names the
case it was answered with, no key and no submission made two cases, all 1,000 are there."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.live import Server, post, rows, server_database
from yimen.cases import catalogue
from yimen.org.services import token_issue

SUBMITS = 1000
KILL_AFTER = 300  # acknowledged answers before the crash
CLIENTS = 8
TITLE = "断电演练来件"


@pytest.fixture
def clerk(transactional_db, persona):
    catalogue.catalogue_seed()  # a transactional test may follow one that flushed the tables
    return persona("clerk")


def body(n: int) -> dict:
    return {
        "kind": "dispute",
        "title": f"{TITLE}{n:04d}",
        "channel": "phone",
        "region": "45032410620001",
        "parties": [{"name": "唐建国", "role": "applicant"}],
    }


def test_kill_9_during_1000_idempotent_submits_loses_and_doubles_nothing(clerk, tmp_path):
    token, _ = token_issue(member=clerk, ip="127.0.0.1", second_factor=False)
    database = server_database(tmp_path)
    server = Server(database, tmp_path).start()
    keys = [str(uuid.uuid4()) for _ in range(SUBMITS)]
    answers: dict[int, tuple[int, dict]] = {}  # submission -> (status, body), only those answered
    acknowledged = threading.Semaphore(0)
    counted = threading.Lock()
    acks = [0]

    def submit(n: int) -> None:
        try:
            status, data = post(
                f"{server.url}/api/v1/cases", body(n), token=token, headers={"Idempotency-Key": keys[n]}
            )
        except OSError:  # the connection died with the server, or was refused while it was down
            return
        answers[n] = (status, data)
        if 200 <= status < 300:
            with counted:
                acks[0] += 1
                if acks[0] == KILL_AFTER:
                    acknowledged.release()

    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            sent = [pool.submit(submit, n) for n in range(SUBMITS)]
            assert acknowledged.acquire(timeout=120), "the server acknowledged too few submissions"
            server.kill()
            for future in sent:
                future.result()
        before_crash = {n: answer for n, answer in answers.items() if 200 <= answer[0] < 300}
        unanswered = [n for n in range(SUBMITS) if n not in answers]
        assert len(before_crash) >= KILL_AFTER and unanswered, "the crash came after the last submission"
        assert all(200 <= status < 300 for status, _ in answers.values()), {s for s, _ in answers.values()}

        server.start()
        replayed = {n: before_crash[n][1]["code"] for n in list(before_crash)[:50]}
        answers.clear()
        with ThreadPoolExecutor(CLIENTS) as pool:  # the retries, and a sample of answered keys again
            list(pool.map(submit, [*unanswered, *replayed]))
    finally:
        server.stop()

    assert sorted(answers) == sorted([*unanswered, *replayed])
    assert all(200 <= status < 300 for status, _ in answers.values()), {s for s, _ in answers.values()}
    for n, code in replayed.items():  # an answered key answers the same case after the crash
        assert answers[n][1]["code"] == code
    cases = rows(database, f"SELECT code, title FROM cases_case WHERE title LIKE '{TITLE}%'")  # noqa: S608
    titles = [title for _, title in cases]
    assert len(titles) == len(set(titles)) == SUBMITS  # all present, none twice
    code_of = dict(cases)
    keyed = rows(
        database,
        "SELECT k.key, c.code, c.title FROM core_idempotencykey k JOIN cases_case c ON c.id = k.object_id",
    )
    by_key = {key: (code, title) for key, code, title in keyed}
    assert len(keyed) == len(by_key) == SUBMITS  # one key per submission, each naming one case
    for n, key in enumerate(keys):
        assert by_key[key][1] == body(n)["title"]
    for n, (_, data) in before_crash.items():  # acknowledged before the crash: still that case
        assert by_key[keys[n]][0] == data["code"] and code_of[data["code"]] == body(n)["title"]
