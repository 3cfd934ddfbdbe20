"""Grid work on the phone (issue 7): bytes the server sends for the first load of /m/ (service
worker install and precache included) and for a reload the service worker answers from its
cache; the phone's household list in natural order, whole and searched (target: under 300 ms
for a village's chief); the time to sync 500 queued reports through the API the app uses (session, CSRF token,
Idempotency-Key, each one located and registered as a case); and locate() per report.

Bytes are counted at the server (a WSGI wrapper around the live server): what a phone on a
weak mountain connection would actually have to receive. SQLite is enough for these figures."""

import random
import shutil
import time
import uuid

from common import demo_town, setup_django, signed_in

setup_django()

from django.contrib.staticfiles.handlers import StaticFilesHandler  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.testcases import LiveServerThread  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from shapely.geometry import Point, shape  # noqa: E402

from yimen.core.models import User  # noqa: E402
from yimen.geo.locate import locate  # noqa: E402
from yimen.org.models import Membership  # noqa: E402

SENT = {"bytes": 0}


class Counting(StaticFilesHandler):
    """Counts the body bytes of every answer the live server sends."""

    def __call__(self, environ, start_response):
        for chunk in super().__call__(environ, start_response):
            SENT["bytes"] += len(chunk)
            yield chunk


def points_in(grid, n: int, rng: random.Random) -> list[tuple[float, float]]:
    polygon = shape(grid.geometry)
    west, south, east, north = polygon.bounds
    found = []
    while len(found) < n:
        lng, lat = rng.uniform(west, east), rng.uniform(south, north)
        if polygon.contains(Point(lng, lat)):
            found.append((lat, lng))
    return found


def page_bytes(password: str) -> tuple[int, int]:
    server = LiveServerThread("localhost", Counting, connections_override=None, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    base = f"http://localhost:{server.port}"
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(f"{base}/accounts/login/")
            page.get_by_label("用户名").fill("gridworker")
            page.get_by_label("密码").fill(password)
            with page.expect_navigation():
                page.get_by_role("button", name="登录").click()
            SENT["bytes"] = 0
            page.goto(f"{base}/m/")
            for _ in range(100):  # until the service worker is installed and controls the page
                if page.evaluate("() => Boolean(navigator.serviceWorker.controller)"):
                    break
                page.wait_for_timeout(100)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1000)
            first = SENT["bytes"]
            SENT["bytes"] = 0
            page.reload()
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            browser.close()
            return first, SENT["bytes"]
    finally:
        server.terminate()


def household_list_ms(username: str, query: dict) -> tuple[float, int]:
    """The best of five loads of /m/households/ (natural order: every match's key sorted in
    Python, then the page), and the village's household count."""
    from yimen.fieldwork import selectors

    member = Membership.objects.select_related("jurisdiction").get(user__username=username, is_active=True)
    client = signed_in(member.user)
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        assert client.get("/m/households/", query).status_code == 200
        best = min(best, time.perf_counter() - started)
    return best * 1000, selectors.household_search(member=member, q=query.get("q", "")).count()


def main() -> None:
    from django.conf import settings

    demo_town()
    worker = Membership.objects.select_related("jurisdiction").get(user__username="gridworker", is_active=True)
    first, cached = page_bytes(settings.YIMEN_DEMO_PASSWORD)
    print(f"/m/ first load (page, shell, service worker, precache): {first / 1024:,.1f} KB")
    print(f"/m/ reload answered by the service worker cache: {cached / 1024:,.1f} KB (the page itself, network first)")

    from yimen.demo.town import TOWN_CODE
    from yimen.geo.models import Region
    from yimen.people.demo import build_demo_residents

    build_demo_residents(town=Region.objects.get(code=TOWN_CODE))  # the registry `make demo` seeds
    for label, query in (("whole", {}), ("searched 3-12", {"q": "3-12"})):
        ms, count = household_list_ms("gridchief", query)
        print(f"/m/households/ for the village chief, {label} ({count} households): {ms:.0f} ms (target < 300 ms)")

    rng = random.Random(7)
    points = points_in(worker.jurisdiction, 500, rng)
    started = time.perf_counter()
    for lat, lng in points:
        locate(lat, lng)
    per_locate = (time.perf_counter() - started) / len(points)
    print(f"locate per report: {per_locate * 1e6:,.0f} µs")

    phone = Client(enforce_csrf_checks=True)
    phone.force_login(User.objects.get(username="gridworker"))
    token = phone.get("/m/token/").json()["csrf"]
    started = time.perf_counter()
    for i, (lat, lng) in enumerate(points):
        answer = phone.post(
            "/api/v1/fieldwork/reports",
            {"kind": "hazard", "title": f"基准测试上报 {i}", "location": {"lat": lat, "lng": lng}},
            "application/json",
            headers={"Idempotency-Key": str(uuid.uuid4()), "X-CSRFToken": token},
        )
        assert answer.status_code == 201, answer.content
    elapsed = time.perf_counter() - started
    print(f"sync 500 queued reports (each a case): {elapsed:.1f} s, {elapsed / len(points) * 1000:.1f} ms each")


if __name__ == "__main__":
    main()
