"""One small rate limiter for the doors anyone can knock on (issue 12 item 15).

A fixed window per client address, counted in the Django cache: Redis when REDIS_URL is set, so
every app server shares the count, else the process's local cache. Requests over the limit get
429 — API.md's error shape under /api/, a Chinese page elsewhere — with Retry-After.

What is limited is listed here by path, not decorated view by view, so that a new public door
under /public/ is covered without anyone remembering to; the test walks every page and API path
that needs no login and fails on one that no rule covers."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


@dataclass(frozen=True)
class Rule:
    name: str
    prefixes: tuple[str, ...]
    methods: frozenset[str] | None  # None: every method
    setting: str  # the settings name holding (requests, seconds)

    def applies(self, request: HttpRequest) -> bool:
        if self.methods is not None and request.method not in self.methods:
            return False
        return request.path.startswith(self.prefixes)

    @property
    def limit(self) -> tuple[int, int]:
        return getattr(settings, self.setting)


RULES = (
    # The citizen's progress page, rating and every public API (lookups, reports, ratings), and
    # the hall screen opened with a display token (one refresh a minute).
    Rule(
        "public",
        ("/public/", "/api/v1/public/", "/api/v1/open311/", "/api/v1/dictionary", "/display/", "/s/"),
        None,
        "YIMEN_RATE_PUBLIC",
    ),
    # Password guesses per address; the login page itself (GET) is free to open.
    Rule("login", ("/accounts/login/", "/api/v1/auth/token"), frozenset({"POST"}), "YIMEN_RATE_LOGIN"),
    Rule("gateway", ("/api/v1/notifier/callback",), frozenset({"POST"}), "YIMEN_RATE_GATEWAY"),
)

# Counters live under this generation; reset() moves this process to a fresh one (the test suite
# calls it between tests, as it forgets the other process caches).
_generation = 0


def reset() -> None:
    global _generation
    _generation += 1


def hit(rule: Rule, ident: str) -> int:
    """Count one request of `ident` against `rule`: 0 if it may pass, else the seconds until
    its window ends."""
    limit, seconds = rule.limit
    now = time.time()
    window = int(now // seconds)
    key = f"yimen:rate:{_generation}:{rule.name}:{ident}:{window}"
    if cache.add(key, 1, timeout=seconds):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # the window's key expired between add() and incr()
            cache.add(key, 1, timeout=seconds)
            count = 1
    if count <= limit:
        return 0
    return max(1, int((window + 1) * seconds - now))


def too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    message = f"请求过于频繁，请 {retry_after} 秒后再试。"
    if request.path.startswith("/api/"):
        body = {"detail": message, "code": "rate_limited", "errors": {}}
        response = JsonResponse(body, status=429, json_dumps_params={"ensure_ascii": False})
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Before sessions and the database: a refused request costs one cache round trip."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The address the audit log records too; behind a reverse proxy it is the proxy's.
        ident = request.META.get("REMOTE_ADDR", "")
        for rule in RULES:
            if rule.applies(request):
                retry_after = hit(rule, ident)
                if retry_after:
                    return too_many(request, retry_after)
        return self.get_response(request)
