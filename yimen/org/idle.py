"""The idle timeout (等保 level 3: a session nobody uses ends after the security policy's idle
minutes; issue 12 item 8).

Only what a person does counts. Requests a page sends by itself — the big screen's refresh, an
import's progress — carry the header X-Yimen-Poll and leave the clock alone, so an unattended
screen is logged out like any other idle session instead of renewing itself forever.

The clock is the session's own stamp of the last activity, checked on every request; the session
store keeps a session twice the idle time, so it is this middleware, not the store, that ends
an idle session: audited, and the person told why on the login page."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from yimen.core import audit
from yimen.core.security import current_policy

POLL_HEADER = "X-Yimen-Poll"
LAST_ACTIVITY = "yimen_last_activity"


def is_poll(request: HttpRequest) -> bool:
    return request.headers.get(POLL_HEADER) == "1"


class IdleTimeoutMiddleware:
    """After authentication, before the member is looked up (an ended session has none)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and self._idle_too_long(request):
            minutes = current_policy().session_idle_minutes
            audit.record(action="session_idle_end", actor=request.user, ip=request.META.get("REMOTE_ADDR", ""))
            logout(request)
            messages.info(request, f"您已超过 {minutes} 分钟未操作，为安全起见已退出，请重新登录。")
            if is_poll(request):
                # A refreshing page reloads itself (htmx on HX-Refresh, the big screen on 401)
                # and so lands on the login page instead of showing stale figures.
                body = {"detail": "长时间未操作，已退出登录。", "code": "session_idle", "errors": {}}
                response = JsonResponse(body, status=401, json_dumps_params={"ensure_ascii": False})
                response["HX-Refresh"] = "true"
                return response
        response = self.get_response(request)
        # A session login only (just made, or still there): request.user is also set by a bearer
        # token during an API call, and an API call must not create a session.
        if SESSION_KEY in request.session and not is_poll(request):
            self._touch(request)
        return response

    @staticmethod
    def _idle_too_long(request: HttpRequest) -> bool:
        last = request.session.get(LAST_ACTIVITY)
        if last is None:  # a session from before this stamp existed: its clock starts now
            request.session[LAST_ACTIVITY] = timezone.now().timestamp()
            return False
        return timezone.now().timestamp() - last > current_policy().session_idle_minutes * 60

    @staticmethod
    def _touch(request: HttpRequest) -> None:
        now = timezone.now()
        request.session[LAST_ACTIVITY] = now.timestamp()
        # A moment, not a number of seconds: Django would count seconds from each save, and the
        # expiry must stay where the last activity put it.
        request.session.set_expiry(now + timedelta(minutes=2 * current_policy().session_idle_minutes))
