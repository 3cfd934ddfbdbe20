"""Concurrent redemptions at several counters: the balance and the stock are locked and checked
in one transaction, so no interleaving leaves a negative balance or oversold stock (issue 16
tests). Threads send at once through a real gunicorn (tests/live.py), each request on its own
connection: on PostgreSQL the server uses the test database itself, on SQLite a file copy."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.live import Server, post, rows, server_database
from yimen.org.services import token_issue
from yimen.points.models import Item

from .conftest import award

COUNTERS = 6


@pytest.mark.threads
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("awards", "stock", "served", "refusal"),
    [(5, 3, 3, "stock_short"), (3, 10, 3, "balance_short")],
    ids=["stock runs out", "balance runs out"],
)
def test_concurrent_redemptions_never_oversell_or_overdraw(
    seats, homes, item, tmp_path, awards, stock, served, refusal
):
    wang = homes["wang"]
    for _ in range(awards):
        award(seats, wang, rule="fam-school")  # +10 each, no monthly cap; the item costs 10
    Item.objects.filter(pk=item.pk).update(stock=stock)
    token, _ = token_issue(member=seats["village"], ip="127.0.0.1", second_factor=True)
    database = server_database(tmp_path)
    together = threading.Barrier(COUNTERS)
    body = {"household": wang.pk, "item": item.pk, "quantity": 1}

    def send(_: int) -> tuple[int, str]:
        together.wait()
        status, answer = post(f"{server.url}/api/v1/points/redemptions", body, token=token)
        return status, answer.get("code", "ok")

    server = Server(database, tmp_path).start()
    try:
        with ThreadPoolExecutor(COUNTERS) as pool:
            answers = list(pool.map(send, range(COUNTERS)))
    finally:
        server.stop()
    assert sorted(answers) == sorted([(201, "ok")] * served + [(409, refusal)] * (COUNTERS - served))
    [(left,)] = rows(database, f"SELECT stock FROM points_item WHERE id = {item.pk}")  # noqa: S608
    assert left == stock - served >= 0
    [(balance,)] = rows(database, f"SELECT balance FROM points_balance WHERE household_id = {wang.pk}")  # noqa: S608
    [(total, count)] = rows(
        database,
        f"SELECT SUM(points), SUM(CASE WHEN kind = 'redemption' THEN 1 ELSE 0 END) FROM points_entry WHERE household_id = {wang.pk}",  # noqa: S608, E501
    )
    assert balance == total == awards * 10 - served * 10 >= 0
    assert count == served
