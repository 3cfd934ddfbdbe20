"""Shared fixtures: a small town with two villages, its units, and one persona per role."""

import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import MembershipFactory, RegionFactory, UnitFactory
from yimen.core import calendar, ratelimit
from yimen.core.generations import forget_copies
from yimen.core.security import forget_policy
from yimen.geo import locate
from yimen.geo.models import Region
from yimen.org.models import Unit
from yimen.org.otp import SESSION_VERIFIED
from yimen.org.roles import Role
from yimen.smart import classifier

PASSWORD = "Pass@word1"


def flushes_the_database(item: pytest.Item) -> bool:
    """pytest-django empties the tables after a transactional test (live_server, transactional_db,
    django_db(transaction=True)), migration data included: the holiday calendar, the tag catalogue."""
    fixtures = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    asked = marker is not None and bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    return asked or "transactional_db" in fixtures or "live_server" in fixtures


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark those tests `transactional`. In one process pytest-django runs them after the rest;
    split over xdist workers they would land between other tests and take the migration data away
    from them, so `make test` runs them in a session of their own (`-m transactional`)."""
    for item in items:
        if flushes_the_database(item):
            item.add_marker(pytest.mark.transactional)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_modify_db_settings_parallel_suffix):
    """A session with browser tests or threaded writers runs SQLite on a file, like production (WAL, IMMEDIATE,
    busy_timeout from the settings). The in-memory test database is one connection that the live
    server hands to every request thread, so the phone app's service worker and htmx, which send
    overlapping requests, would share it: 500s, "database table is locked", and an atomic block
    left open for the next test; threaded writers fail on its table locks instead of waiting. On a
    file each thread opens its own connection and waits for the write lock. Sessions without
    either keep the faster in-memory database."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3" or not any(
        item.get_closest_marker("browser") or item.get_closest_marker("threads") for item in request.session.items
    ):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="yimen-test-db-") as folder:
        database.setdefault("TEST", {})["NAME"] = str(Path(folder) / "test.sqlite3")
        yield


@pytest.fixture(autouse=True)
def fresh_process_caches():
    """The per-process caches (calendar, locate, security policy, rate counters, the copies kept
    by generation such as the intake rules) outlive a rolled-back or flushed test."""
    for forget in (
        calendar.invalidate,
        locate.invalidate,
        forget_policy,
        ratelimit.reset,
        forget_copies,
        classifier.forget,
    ):
        forget()
    yield
    for forget in (
        calendar.invalidate,
        locate.invalidate,
        forget_policy,
        ratelimit.reset,
        forget_copies,
        classifier.forget,
    ):
        forget()


@pytest.fixture(autouse=True)
def force_login_gives_second_factor(monkeypatch):
    """client.force_login stands for a whole sign-in: the password step and, where the security
    policy asks for it, the second factor. The second-factor tests sign in through the pages."""
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[SESSION_VERIFIED] = True
        session.save()
        self.cookies[settings.SESSION_COOKIE_NAME] = session.session_key

    monkeypatch.setattr(Client, "force_login", force_login)


def square(west: float, south: float, size: float) -> dict:
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a fresh directory, through the production storage (SM4-sealed files)."""
    sealed = {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}}
    settings.STORAGES = {**settings.STORAGES, "default": sealed}
    return tmp_path


@pytest.fixture
def town(db):
    """县 > 镇 > 两个村 > 各一个网格 > 各一个微网格 (codes shaped like the real ones), each village
    a 0.01° square side by side around 25.855°N 110.99°E; the grid and micro-grid fill it."""
    county = RegionFactory(code="450324", name="全州县", level=Region.Level.COUNTY)
    town = RegionFactory(code="450324106", name="才湾镇", level=Region.Level.TOWN, parent=county)
    for west, village_code, village_name in ((110.98, "450324106200", "才湾村"), (110.99, "450324106201", "小塘村")):
        shape = square(west, 25.85, 0.01)
        village = RegionFactory(code=village_code, name=village_name, level="village", parent=town, geometry=shape)
        grid = RegionFactory(
            code=f"{village_code}01", name=f"{village_name}第一网格", level="grid", parent=village, geometry=shape
        )
        RegionFactory(
            code=f"{grid.code}01", name=f"{village_name}第一微网格", level="microgrid", parent=grid, geometry=shape
        )
    return town


# persona -> (unit kind, role, jurisdiction code or None for the unit's region)
PERSONAS = {
    "clerk": (Unit.Kind.CENTRE, Role.CLERK, None),
    "dispatcher": (Unit.Kind.CENTRE, Role.DISPATCHER, None),
    "supervisor": (Unit.Kind.CENTRE, Role.SUPERVISOR, None),
    "leader": (Unit.Kind.CENTRE, Role.LEADER, None),
    "zhengfa": (Unit.Kind.CENTRE, Role.ZHENGFA, None),
    "police": (Unit.Kind.POLICE, Role.HANDLER, None),
    "court": (Unit.Kind.COURT, Role.HANDLER, None),
    "judicial": (Unit.Kind.JUDICIAL, Role.HANDLER, None),
    "petition": (Unit.Kind.PETITION, Role.HANDLER, None),
    "mediator": (Unit.Kind.OTHER, Role.MEDIATOR, None),
    "gridchief": (Unit.Kind.VILLAGE, Role.GRID_CHIEF, "450324106200"),
    "gridworker": (Unit.Kind.VILLAGE, Role.GRID_WORKER, "45032410620001"),
    "gridworker2": (Unit.Kind.VILLAGE, Role.GRID_WORKER, "45032410620101"),
    "village": (Unit.Kind.VILLAGE, Role.HANDLER, "450324106200"),
    "adviser": (Unit.Kind.JUDICIAL, Role.ADVISER, None),
    "kuaijing": (Unit.Kind.POLICE, Role.HANDLER, None),
    "emergency": (Unit.Kind.DEPARTMENT, Role.DUTY_OFFICER, None),
    "sysadmin": (Unit.Kind.CENTRE, Role.SYSADMIN, None),
    "secadmin": (Unit.Kind.CENTRE, Role.SECADMIN, None),
    "auditor": (Unit.Kind.CENTRE, Role.AUDITOR, None),
}


@pytest.fixture
def persona(town):
    """persona("clerk") -> that role's Membership in the test town (created once per test)."""

    def make(name: str):
        kind, role, jurisdiction_code = PERSONAS[name]
        jurisdiction = Region.objects.get(code=jurisdiction_code) if jurisdiction_code else town
        unit_region = jurisdiction.parent if role == Role.GRID_WORKER else jurisdiction
        unit = UnitFactory(
            code=f"{unit_region.code}-{kind}", kind=kind, region=unit_region, name=f"{unit_region.name}{kind}"
        )
        return MembershipFactory(user__username=name, user__name=name, unit=unit, role=role, jurisdiction=jurisdiction)

    return make
