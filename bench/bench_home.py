"""Logged-in home page: requests per second through the whole Django stack (middleware,
session, membership, menu, template), in one process and thread."""

import time

from common import demo_town, setup_django

setup_django()

from django.test import Client  # noqa: E402

from yimen.core.models import User  # noqa: E402


def main() -> None:
    demo_town()
    client = Client()
    client.force_login(User.objects.get(username="clerk"))
    for _ in range(20):  # warm caches and the template loader
        assert client.get("/").status_code == 200
    n, started = 500, time.perf_counter()
    for _ in range(n):
        client.get("/")
    elapsed = time.perf_counter() - started
    print(f"home page (logged in, clerk): {n / elapsed:,.0f} requests/s; {elapsed / n * 1000:.2f} ms each")


if __name__ == "__main__":
    main()
