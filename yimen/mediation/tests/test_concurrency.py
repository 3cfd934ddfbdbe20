"""Two mediation steps sent at once with the same case version: exactly one wins, on SQLite as
on PostgreSQL. Through a real gunicorn (tests/live.py) with its own connections per thread —
the test database of SQLite is one shared in-memory connection, which cannot show it."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.utils import timezone

from tests.live import Server, post, rows, server_database
from yimen.cases import catalogue
from yimen.org.services import token_issue

from .conftest import INITIATIVE, dispute, make_mediator, version

SENDERS = 4


def test_steps_sent_together_with_one_version_exactly_one_wins(transactional_db, persona, tmp_path):
    catalogue.catalogue_seed()  # a transactional test may follow one that flushed the tables
    seats = {name: persona(name) for name in ("clerk", "dispatcher", "judicial", "police")}
    case = dispute(seats)
    mediator = make_mediator("唐桂芳", "people")
    drawn = version(case)
    token, _ = token_issue(member=seats["judicial"], ip="127.0.0.1", second_factor=True)
    database = server_database(tmp_path)
    together = threading.Barrier(SENDERS)
    url = f"/api/v1/cases/{case.code}/mediation"

    def send(n: int) -> tuple[int, dict]:
        if n % 2:
            path, body = "team", {"members": [mediator.pk], "without_consent_reason": INITIATIVE}
        else:
            path, body = (
                "sessions",
                {
                    "held_at": timezone.localtime().isoformat(),
                    "place": "综治中心调解室",
                    "mediators": [mediator.pk],
                    "attendees": ["唐建国", "唐明华"],
                    "minutes": f"第 {n} 份记录。",
                    "outcome": "continue",
                },
            )
        together.wait()
        return post(f"{server.url}{url}/{path}", {**body, "version": drawn}, token=token)

    server = Server(database, tmp_path).start()
    try:
        with ThreadPoolExecutor(SENDERS) as pool:
            answers = list(pool.map(send, range(SENDERS)))
    finally:
        server.stop()
    statuses = sorted(status for status, _ in answers)
    assert statuses == [201] + [409] * (SENDERS - 1), answers
    assert all(body["code"] == "stale_version" for status, body in answers if status == 409)
    assert rows(database, f"SELECT version FROM cases_case WHERE id = {case.pk}") == [(drawn + 1,)]  # noqa: S608
    events = rows(database, f"SELECT action FROM cases_timelineevent WHERE case_id = {case.pk}")  # noqa: S608
    assert sum(action.startswith("mediation_") for (action,) in events) == 1
    sessions = rows(database, "SELECT COUNT(*) FROM mediation_session")[0][0]
    teams = rows(database, "SELECT COUNT(*) FROM mediation_teammember")[0][0]
    assert (sessions, teams) in ((1, 1), (0, 1))  # a session brings its mediator onto the team
