"""Reads for reports and dashboards from a PostgreSQL streaming replica, when one is configured
(YIMEN_REPLICA_URL; issue 22 part 6, README "Scaling out"), without a user ever missing their own
write:

- Only GET/HEAD requests to the report paths (YIMEN_REPLICA_PATHS: the command centre, the big
  screen, the KPIs, the public rankings) read from the replica, and only the case, insight and
  region tables: accounts, sessions, tokens and seats are always read from the primary, so a
  token issued a moment ago on the primary is never "unknown" on a lagging replica.
- Read-your-writes: a member who wrote anything in the last YIMEN_REPLICA_STICKY seconds reads
  from the primary (the mark is kept in the shared cache, Redis in a scaled deployment, so every
  app server behind the load balancer sees it); a request that has written reads from the primary
  from then on; a read inside a transaction on the primary stays there (a service that reads then
  writes must see what it writes over, e.g. the audit chain's tip).
- With no replica configured the router answers None and Django uses `default` for everything.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
REPLICA_APPS = frozenset({"cases", "insight", "geo"})
PRIMARY_ONLY = frozenset({"insight.DisplayToken"})  # the big screen's credential: like a session
SAFE = ("GET", "HEAD")


@dataclass
class _Route:
    request: HttpRequest
    use_replica: bool | None = None  # decided at the first routed read, once the member is known


_route: ContextVar[_Route | None] = ContextVar("yimen_replica_route", default=None)


def _wrote_key(member) -> str:
    return f"replica:wrote:{member.user_id}"


def _replica_configured() -> bool:
    return bool(settings.YIMEN_REPLICA_URL)


def _may_use_replica(route: _Route) -> bool:
    if route.use_replica is None:
        member = getattr(route.request, "member", None)
        # No member yet (not signed in, or the API's token not checked yet): the primary is safe.
        route.use_replica = member is not None and not cache.get(_wrote_key(member))
    return route.use_replica


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        route = _route.get()
        if route is None or model._meta.app_label not in REPLICA_APPS or model._meta.label in PRIMARY_ONLY:
            return None
        if connections["default"].in_atomic_block:
            return None
        return REPLICA if _may_use_replica(route) else None

    def db_for_write(self, model, **hints) -> str | None:
        route = _route.get()
        if route is not None:
            route.use_replica = False  # this request has written: read it back from the primary
        return None

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica is a copy of the primary: the same rows, the same relations

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db != REPLICA  # a streaming replica is read-only and follows the primary's schema


class ReplicaMiddleware:
    """Marks the report requests whose reads may go to the replica, and marks a member who has
    written so that their next reads, on any app server, come from the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _replica_configured():
            return self.get_response(request)
        reporting = request.method in SAFE and request.path.startswith(tuple(settings.YIMEN_REPLICA_PATHS))
        token = _route.set(_Route(request) if reporting else None)
        try:
            response = self.get_response(request)
        finally:
            _route.reset(token)
        member = getattr(request, "member", None)
        if request.method not in SAFE and member is not None and response.status_code < 400:
            cache.set(_wrote_key(member), 1, settings.YIMEN_REPLICA_STICKY)
        return response
