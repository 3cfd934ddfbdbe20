from yimen.core.security import current_policy
from yimen.org.selectors import active_membership

SESSION_MEMBER = "yimen_member_id"


class MemberMiddleware:
    """Sets request.member (the seat the user acts in) and applies the idle-timeout policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.member = None
        if request.user.is_authenticated:
            request.member = active_membership(request.user, request.session.get(SESSION_MEMBER))
            request.session.set_expiry(current_policy().session_idle_minutes * 60)
        return self.get_response(request)
