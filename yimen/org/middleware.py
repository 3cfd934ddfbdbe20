from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from yimen.org import otp
from yimen.org.selectors import choose_seat, memberships_of

SESSION_MEMBER = "yimen_member_id"


class MemberMiddleware:
    """Sets request.member (the seat the user acts in) and request.seats (all of the user's active
    seats); the idle timeout is yimen/org/idle.py's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.member, request.seats = None, []
        if request.user.is_authenticated:
            request.seats = list(memberships_of(request.user))
            request.member = choose_seat(request.seats, request.session.get(SESSION_MEMBER))
        return self.get_response(request)


# The pages a signed-in user may reach before giving the second factor.
SECOND_FACTOR_OPEN = ("otp_verify", "otp_enrol", "logout", "login")


class SecondFactorMiddleware:
    """Until a user who needs the second factor (org.otp.second_factor_required) has given it in
    this session, every page and API call but the OTP steps, login and logout is refused: pages
    go to the OTP step, the API answers 403 in its error shape. Runs after MemberMiddleware and
    reads the seats it loaded, so a signed-in request costs no extra query."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.open_paths: frozenset[str] | None = None

    def __call__(self, request):
        request.otp_pending = (
            request.user.is_authenticated
            and not request.session.get(otp.SESSION_VERIFIED)
            and otp.second_factor_required(request.seats)
        )
        if not request.otp_pending or request.path in self._open_paths():
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "请先完成动态口令验证。", "code": "otp_required", "errors": {}}, status=403)
        target = reverse("otp_verify")
        return HttpResponseClientRedirect(target) if request.headers.get("HX-Request") else redirect(target)

    def _open_paths(self) -> frozenset[str]:
        if self.open_paths is None:  # the URLconf is not loaded yet when middleware is built
            self.open_paths = frozenset(reverse(name) for name in SECOND_FACTOR_OPEN)
        return self.open_paths
